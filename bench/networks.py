"""Issue 14 figures: networks at the scale of the European Union, on PostgreSQL.

Seeds (COPY) SCALE × (10,000 organisations, 100,000 rounds of 80 answers each), 200
networks (the largest with 3,000 organisations, scaled likewise), runs a full aggregate
refresh, then touches 10% of the rounds (the 10,000 rounds of a day at full scale) and times
the incremental refresh; then, against the production server (gunicorn), the p95 of the
coordinator's dashboard of the largest network and of an organisation's summary page with
benchmarks.

Run: .venv/bin/python bench/networks.py
Environment: BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:55432/inclusion_networks_bench:
dropped and created), BENCH_SCALE (1.0), BENCH_SECONDS (15), BENCH_CLIENTS (8), BENCH_WORKERS (2).
"""

import os
import random
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import TABLE_HEADER, base_environment, manage, production_server, run_load, setup_django

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:55432/inclusion_networks_bench")
SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
# The heatmap has 100 organisations a page: the largest network's ~1,500 sharing their summary.
DASHBOARD_PAGES = 15

ORGANISATIONS = int(10_000 * SCALE)
ROUNDS_PER_ORGANISATION = 10
NETWORKS = 200
LARGEST = int(3_000 * SCALE)
COUNTRIES = ["LV", "LT", "EE", "PL", "DE", "FR", "IT", "ES", "SE", "NL"]
KINDS = ["authority", "ngo", "refugee_led", "faith", "education", "business", "other"]
VALUES = ["yes"] * 4 + ["partly"] * 3 + ["no"] * 2 + ["na"]
SHARING = ["nothing"] + ["aggregates"] * 4 + ["summary"] * 4 + ["survey"]


def recreate_database():
    parsed = urlparse(DATABASE_URL)
    name = parsed.path.lstrip("/")
    base = ["psql", "-h", parsed.hostname, "-p", str(parsed.port or 5432), "-U", parsed.username or "postgres"]
    subprocess.run([*base, "-q", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=True)
    subprocess.run([*base, "-q", "-c", f'CREATE DATABASE "{name}"'], check=True)


def copy_rows(cursor, table: str, columns: list[str], rows) -> int:
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def seed():
    """Everything by COPY, in one transaction per table; returns what the load needs."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from inclusion.assessments.answers import applicable_items
    from inclusion.handbook.services import get_handbook
    from inclusion.networks.models import Coordinator, Network
    from inclusion.organisations.models import Membership, Organisation, Role

    random.seed(14)
    edition = get_handbook().reference_edition
    items_by_kind = {
        kind: [item.id for area in edition.areas for item in applicable_items(area, kind)] for kind in KINDS
    }
    now = datetime.now(UTC)
    began = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        copy_rows(
            raw,
            "organisations_organisation",
            ["name", "slug", "kind", "country", "city", "region", "created_at"],
            (
                (
                    f"Organisation {number}",
                    f"org-{number}",
                    KINDS[number % len(KINDS)],
                    COUNTRIES[number % len(COUNTRIES)],
                    "",
                    f"Region {number % 5}",
                    now,
                )
                for number in range(ORGANISATIONS)
            ),
        )
        organisations = list(Organisation.objects.order_by("pk").values_list("pk", "kind"))
        copy_rows(
            raw,
            "assessments_assessment",
            [
                "public_id",
                "organisation_id",
                "private_token_hash",
                "title",
                "organisation_kind",
                "series",
                "round_number",
                "content_version",
                "created_at",
                "updated_at",
                "closed",
                "signed_off_name",
                "revision",
                "next_round_months",
                "answering_mode",
            ],
            (
                (
                    uuid.uuid4(),
                    pk,
                    "",
                    "Self-assessment",
                    kind,
                    series,
                    number + 1,
                    "bench",
                    created,
                    created,
                    number + 1 < ROUNDS_PER_ORGANISATION,
                    "",
                    0,
                    0,
                    "together",
                )
                for pk, kind in organisations
                for series in [uuid.uuid4()]
                for number in range(ROUNDS_PER_ORGANISATION)
                for created in [now - timedelta(days=180 * (ROUNDS_PER_ORGANISATION - number) + random.randint(0, 90))]
            ),
        )
        rounds = _fetch(cursor, "SELECT id, organisation_kind FROM assessments_assessment ORDER BY id")
        answers = copy_rows(
            raw,
            "assessments_answer",
            ["assessment_id", "item_key", "value", "comment", "version", "updated_at"],
            (
                (assessment_id, item, random.choice(VALUES), "", 1, now)
                for assessment_id, kind in rounds
                for item in items_by_kind[kind]
            ),
        )
    seeded = time.perf_counter() - began

    ids = [pk for pk, _kind in organisations]
    random.shuffle(ids)
    sizes = [LARGEST] + [random.randint(max(5, LARGEST // 100), max(10, LARGEST // 10)) for _ in range(NETWORKS - 1)]
    user_model = get_user_model()
    coordinator = user_model.objects.create_user(username="coordinator", email="c@example.org", password="x" * 20)
    networks = []
    with connection.cursor() as cursor:
        for number, size in enumerate(sizes):
            network = Network.objects.create(name=f"Network {number}", slug=f"network-{number}", country="LV")
            networks.append(network)
            members = random.sample(ids, size)
            copy_rows(
                cursor.cursor,
                "networks_networkmember",
                ["network_id", "organisation_id", "status", "sharing", "created_at", "joined_at"],
                ((network.pk, pk, "active", random.choice(SHARING), now, now) for pk in members),
            )
    Coordinator.objects.create(network=networks[0], user=coordinator)
    reader = user_model.objects.create_user(username="reader", email="r@example.org", password="x" * 20)
    organisation = Organisation.objects.get(slug="org-1")
    Membership.objects.create(user=reader, organisation=organisation, role=Role.VIEWER)
    latest = organisation.assessments.order_by("-round_number").first()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "seconds": seeded,
        "rounds": len(rounds),
        "answers": answers,
        "network": networks[0],
        "coordinator": coordinator,
        "reader": reader,
        "assessment": latest,
    }


def existing_data():
    """What the load needs, from a database seeded by an earlier run (BENCH_REUSE=1)."""
    from django.contrib.auth import get_user_model

    from inclusion.assessments.models import Answer, Assessment
    from inclusion.networks.models import Network
    from inclusion.organisations.models import Organisation

    users = get_user_model().objects
    return {
        "rounds": Assessment.objects.count(),
        "answers": Answer.objects.count(),
        "network": Network.objects.get(slug="network-0"),
        "coordinator": users.get(username="coordinator"),
        "reader": users.get(username="reader"),
        "assessment": Organisation.objects.get(slug="org-1").assessments.order_by("-round_number").first(),
    }


def _fetch(cursor, sql):
    cursor.execute(sql)
    return cursor.fetchall()


def timed(function, *args, **kwargs):
    began = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - began, result


def touch_rounds(count: int) -> None:
    """A day's changes: ``count`` rounds get one answer changed each (and their updated_at)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "WITH picked AS (SELECT id FROM assessments_assessment ORDER BY random() LIMIT %s) "
            "UPDATE assessments_assessment SET updated_at = now() WHERE id IN (SELECT id FROM picked)",
            [count],
        )
        cursor.execute(
            "UPDATE assessments_answer SET value = 'no', updated_at = now() WHERE id IN ("
            "SELECT DISTINCT ON (assessment_id) id FROM assessments_answer WHERE assessment_id IN ("
            "SELECT id FROM assessments_assessment WHERE updated_at > now() - interval '1 minute'))"
        )


def get_page(path, cookie, pages: int = 1):
    """Each client's requests cycle through the first ``pages`` pages of ``path`` (from
    where its index puts it): a coordinator leafing through the heatmap, each page rendered
    the first time it is asked for after a change and served from the cache after that."""

    def request(connection, index, sequence):
        number = (index + sequence) % pages + 1
        connection.request("GET", path if pages == 1 else f"{path}?page={number}", headers={"Cookie": cookie})
        response = connection.getresponse()
        response.read()
        return response.status

    return request


def main():
    from bench.harness import signed_in_session

    env = base_environment(DATABASE_URL)
    reuse = os.environ.get("BENCH_REUSE") == "1"
    if not reuse:
        recreate_database()
    manage(env, "migrate", "--no-input")  # on a reused database: what was added since it was seeded
    if not reuse:
        manage(env, "import_content")
    setup_django(env)
    from django.db import connection

    from inclusion.networks.aggregates import refresh

    if reuse:
        data = existing_data()
        print(f"Reusing the seeded database: {data['rounds']} rounds, {data['answers']} answers", flush=True)
        from inclusion.networks.models import RefreshState

        if not RefreshState.objects.filter(watermark__isnull=False).exists():
            # A migration since the seeding asked for every round to be scored again.
            full_seconds, full = timed(refresh)
            print(
                f"Refresh of every round (after a migration): {full_seconds:.1f} s ({full.rounds} rounds)", flush=True
            )
    else:
        data = seed()
        print(
            f"Scale {SCALE}: {ORGANISATIONS} organisations, {data['rounds']} rounds, {data['answers']} answers, "
            f"{NETWORKS} networks (largest {LARGEST}); seeded by COPY in {data['seconds']:.0f} s",
            flush=True,
        )
        full_seconds, full = timed(refresh, full=True)
        print(f"Full refresh (every round): {full_seconds:.1f} s ({full.rounds} rounds)", flush=True)
    touched = max(1, data["rounds"] // 10)
    touch_rounds(touched)
    day_seconds, day = timed(refresh)
    print(f"Refresh after {touched} rounds touched: {day_seconds:.1f} s ({day.rounds} rounds rescored)", flush=True)

    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(data["coordinator"])
    dashboard_url = f"/en/networks/{data['network'].slug}/dashboard/"
    summary_url = f"/en/assessments/{data['assessment'].public_id}/summary/"
    # Query counts are pinned in tests/networks (request_started resets the query log here).
    assert client.get(dashboard_url).status_code == 200
    client.force_login(data["reader"])
    assert client.get(summary_url).status_code == 200

    # In this process, one request at a time: the report (it is not under load: coordinators
    # ask for it now and then), and the two pages as rendered (every cache emptied before each
    # request) and as served from the cache, for comparison with the loaded figures.
    from django.core.cache import cache

    from inclusion.core import fragments

    def forget_pages():
        cache.clear()
        fragments.clear()

    client.force_login(data["coordinator"])
    report_url = f"/en/networks/{data['network'].slug}/report.xlsx"
    for label, url, user, forget in (
        ("network report (XLSX)", report_url, data["coordinator"], False),
        ("network report (PDF)", report_url.replace(".xlsx", ".pdf"), data["coordinator"], False),
        ("dashboard, rendered", dashboard_url, data["coordinator"], True),
        ("dashboard, from the cache", dashboard_url, data["coordinator"], False),
        ("summary page, rendered", summary_url, data["reader"], True),
        ("summary page, from the cache", summary_url, data["reader"], False),
    ):
        client.force_login(user)
        timings = []
        for _number in range({"network report (PDF)": 3, "network report (XLSX)": 5}.get(label, 20)):
            if forget:
                forget_pages()
            took, response = timed(client.get, url)
            assert response.status_code == 200, (url, response.status_code)
            timings.append(took * 1000)
        timings.sort()
        print(
            f"{label}, one at a time: median {timings[len(timings) // 2]:.0f} ms, "
            f"p95 {timings[max(0, int(len(timings) * 0.95) - 1)]:.0f} ms, max {timings[-1]:.0f} ms",
            flush=True,
        )

    coordinator_cookie = f"sessionid={signed_in_session(data['coordinator'])}"
    reader_cookie = f"sessionid={signed_in_session(data['reader'])}"
    connection.close()
    forget_pages()  # the load starts with nothing cached: every page is rendered once
    with production_server(env, workers=WORKERS) as (address, _process):
        dashboard = run_load(
            address,
            f"coordinator dashboard, largest network, its first {DASHBOARD_PAGES} pages",
            get_page(dashboard_url, coordinator_cookie, pages=DASHBOARD_PAGES),
            CLIENTS,
            SECONDS,
        )
        summary = run_load(
            address, "summary page with benchmarks", get_page(summary_url, reader_cookie), CLIENTS, SECONDS
        )

    print(f"\ngunicorn, {WORKERS} sync workers, {CLIENTS} concurrent clients, {SECONDS:.0f} s per phase\n")
    print(TABLE_HEADER)
    print(dashboard.row())
    print(summary.row())


if __name__ == "__main__":
    main()
