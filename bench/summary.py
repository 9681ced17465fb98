"""Issue 11 figures: the summary page of a fully answered round (80 answers, a note per key
area, 20 actions) against a minimal Django view measured in the same run, 16 concurrent
clients, gunicorn with 2 workers; p95, page size, query count and in-process render time, on
SQLite and on PostgreSQL.

Run: .venv/bin/python bench/summary.py [sqlite|postgres ...]   (default: both)
PostgreSQL: the server at BENCH_PG_URL (default postgres://postgres@127.0.0.1:55432), in a
database of its own that is created and dropped (BENCH_PG_DATABASE, default inclusion_bench_summary).
Environment: BENCH_SECONDS (10 per phase), BENCH_ROUNDS (3: minimal view and summary alternate),
BENCH_WORKERS (2), BENCH_CACHE_URL (the production default,
db://inclusion_cache, unless set).
"""

import contextlib
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    TABLE_HEADER,
    base_environment,
    get,
    manage,
    production_server,
    run_load,
    setup_django,
    signed_in_session,
)

CLIENTS = 16
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:55432")
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "inclusion_bench_summary")


@contextlib.contextmanager
def postgres_database():
    """A fresh database on the shared PostgreSQL server; dropped on exit."""
    import psycopg

    def run(statement):
        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as connection:
            connection.execute(statement)

    run(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
    run(f'CREATE DATABASE "{PG_DATABASE}"')
    try:
        yield f"{PG_URL}/{PG_DATABASE}"
    finally:
        run(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')


def seed():
    """An organisation with an editor; a round with every item answered (with a comment), a
    note in every key area and 20 actions; a signed-in session for the editor."""
    from django.contrib.auth import get_user_model

    from inclusion.assessments.answers import applicable_items, save_answer
    from inclusion.assessments.models import Action
    from inclusion.assessments.notes import save_note
    from inclusion.assessments.rounds import start_assessment
    from inclusion.handbook.services import get_handbook
    from inclusion.organisations.models import Membership, Organisation, Role

    random.seed(11)
    user = get_user_model().objects.create_user(username="bench", email="bench@example.org", password="x" * 20)
    organisation = Organisation.objects.create(name="Bench City", slug="bench-city", kind="authority")
    Membership.objects.create(user=user, organisation=organisation, role=Role.EDITOR)
    assessment, _ = start_assessment(title="Bench", organisation_kind="authority", organisation=organisation, user=user)
    edition = get_handbook().edition("en")
    items = []
    for area in edition.areas:
        for item in applicable_items(area, "authority"):
            save_answer(assessment, item.id, random.choice(["yes", "partly", "no", "na"]), "A comment.", user)
            items.append(item.id)
        save_note(assessment, area.id, "<p>" + "A note on this key area. " * 30 + "</p><ul><li>one</li></ul>", 0, user)
    Action.objects.bulk_create(
        Action(assessment=assessment, item_id=item_id, area=item_id.split(".")[0], description=f"Act on {item_id}")
        for item_id in items[:20]
    )
    return user, assessment, len(items)


def in_process(user, path: str) -> tuple[int, int, float]:
    """(queries, bytes, median ms) of the page rendered in this process, after one warm-up."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    client.get(path)
    timings = []
    for _ in range(20):
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
    return len(queries), len(response.content), statistics.median(timings)


def measure(database: str):
    with contextlib.ExitStack() as stack:
        database_url = stack.enter_context(postgres_database()) if database == "postgres" else None
        env = base_environment(database_url)
        if os.environ.get("BENCH_CACHE_URL"):
            env["CACHE_URL"] = os.environ["BENCH_CACHE_URL"]
        manage(env, "migrate", "--no-input")
        manage(env, "createcachetable")
        manage(env, "import_content")
        setup_django(env)
        user, assessment, answered = seed()
        path = f"/en/assessments/{assessment.public_id}/summary/"
        queries, size, render_ms = in_process(user, path)
        cookie = f"sessionid={signed_in_session(user)}"
        from django.db import connections

        connections.close_all()

        def signed_in(page):
            def request(connection, index, sequence):
                connection.request("GET", page, headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
                return response.status

            return request

        with production_server(env, workers=WORKERS, start_timeout=180) as (address, _process):
            # The machine's speed drifts (other tenants): the pages alternate, ROUNDS times, and
            # each round's ratio is of phases measured back to back. The minimal view signed in
            # (session and user read, nothing else) is the ceiling of any member's page; the
            # access check alone, the floor of an assessment's page.
            rounds = []
            for number in range(1, ROUNDS + 1):
                minimal = run_load(
                    address,
                    f"minimal Django view ({database}), round {number}",
                    get("/bench/minimal"),
                    CLIENTS,
                    SECONDS,
                )
                ceiling = run_load(
                    address,
                    f"minimal Django view signed in ({database}), round {number}",
                    signed_in("/bench/minimal"),
                    CLIENTS,
                    SECONDS,
                )
                check = run_load(
                    address,
                    f"access check only, signed in ({database}), round {number}",
                    signed_in(f"/bench/access/{assessment.public_id}"),
                    CLIENTS,
                    SECONDS,
                )
                summary = run_load(
                    address,
                    f"summary page, {answered} answers ({database}), round {number}",
                    signed_in(path),
                    CLIENTS,
                    SECONDS,
                )
                rounds.append((minimal, ceiling, check, summary))
        return rounds, queries, size, render_ms


def main():
    databases = sys.argv[1:] or ["sqlite", "postgres"]
    if len(databases) > 1:
        # Django is configured once per process: one child process per database.
        for database in databases:
            subprocess.run([sys.executable, __file__, database], check=True)
        return
    [database] = databases
    rounds, queries, size, render_ms = measure(database)
    print(
        f"\n{database}: gunicorn, {WORKERS} sync workers, {CLIENTS} concurrent clients, {SECONDS:.0f} s per phase, "
        f"{ROUNDS} rounds\n"
    )
    print(TABLE_HEADER)
    for phases in rounds:
        for phase in phases:
            print(phase.row())
    ratios = [100 * summary.rate / minimal.rate for minimal, _ceiling, _check, summary in rounds]
    ceilings = [100 * ceiling.rate / minimal.rate for minimal, ceiling, _check, _summary in rounds]
    checks = [100 * check.rate / minimal.rate for minimal, _ceiling, check, _summary in rounds]
    latencies = [latency for *_others, summary in rounds for latency in summary.latencies_ms]
    p95 = statistics.quantiles(latencies, n=100, method="inclusive")[94]
    print(
        f"\nSummary page: {statistics.median(ratios):.1f}% of the minimal view's throughput (median of the rounds: "
        f"{', '.join(f'{ratio:.1f}%' for ratio in ratios)}); p95 {p95:.0f} ms over all rounds; "
        f"{size / 1024:.0f} KB, {queries} queries, {render_ms:.1f} ms in process (median of 20).\n"
        f"Any signed-in page (the minimal view with a session): {statistics.median(ceilings):.1f}% of the minimal "
        f"view's throughput (median; rounds: {', '.join(f'{ratio:.1f}%' for ratio in ceilings)}).\n"
        f"The access check alone, signed in: {statistics.median(checks):.1f}% "
        f"(rounds: {', '.join(f'{ratio:.1f}%' for ratio in checks)})."
    )


if __name__ == "__main__":
    main()
