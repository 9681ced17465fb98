"""Issue 11 figures: the consensus page of a round answered individually by 10 members
(every applicable item, about 80, with a comment each), consensus step open and half the
items agreed; 16 concurrent clients, production server, on SQLite and on PostgreSQL; and
the page's query count at 2 and at 10 members (it must not grow).

Run: .venv/bin/python bench/consensus.py [sqlite|postgres ...]   (default: both)
"""

import contextlib
import os
import random
import subprocess
import sys
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
    throwaway_postgres,
)

CLIENTS = 16
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
MEMBERS = 10


def seed(members: int, slug: str):
    """An organisation with an owner and ``members`` editors who each answered every item on
    their own; the consensus step open; every other item agreed. Returns (round, owner)."""
    from django.contrib.auth import get_user_model

    from inclusion.assessments.answers import applicable_items, save_answer
    from inclusion.assessments.consensus import open_consensus
    from inclusion.assessments.models import IndividualAnswer
    from inclusion.assessments.rounds import start_assessment
    from inclusion.handbook.services import get_handbook
    from inclusion.organisations.models import Membership, Organisation, Role

    users = get_user_model().objects
    owner = users.create_user(username=f"owner-{slug}", email=f"owner@{slug}.example", password="x" * 20)
    organisation = Organisation.objects.create(name=f"Bench {slug}", slug=slug, kind="authority")
    Membership.objects.create(user=owner, organisation=organisation, role=Role.OWNER)
    assessment, _ = start_assessment(
        title="Bench", organisation_kind="authority", organisation=organisation, user=owner, answering_mode="individual"
    )
    items = [item.id for area in get_handbook().edition("en").areas for item in applicable_items(area, "authority")]
    for number in range(members):
        member = users.create_user(
            username=f"m{number}-{slug}",
            email=f"m{number}@{slug}.example",
            first_name=f"Member {number}",
            password="x" * 20,
        )
        Membership.objects.create(user=member, organisation=organisation, role=Role.EDITOR)
        IndividualAnswer.objects.bulk_create(
            IndividualAnswer(
                assessment=assessment,
                member=member,
                item_id=item_id,
                value=random.choice(["yes", "partly", "no", "na"]),
                comment=f"Why member {number} thinks so",
            )
            for item_id in items
        )
    open_consensus(assessment)
    for item_id in items[::2]:
        save_answer(assessment, item_id, "partly", "Agreed after talking", owner)
    return assessment, owner, len(items)


def render_ms(assessment, owner) -> float:
    """One consensus page in-process, no concurrency: the median of 7 (key area 1)."""
    import statistics
    import time

    from django.test import Client

    client = Client()
    client.force_login(owner)
    timings = []
    for _ in range(7):
        began = time.perf_counter()
        client.get(f"/en/assessments/{assessment.public_id}/consensus/areas/1/")
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def queries_per_area(assessment, owner) -> int:
    """The most queries any key area's consensus page runs (in-process, test client)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(owner)
    client.get(f"/en/assessments/{assessment.public_id}/consensus/areas/1/")  # warm-up: caches fill
    most = 0
    for number in range(1, 7):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/en/assessments/{assessment.public_id}/consensus/areas/{number}/")
        assert response.status_code == 200, response.status_code
        most = max(most, len(queries))
    return most


def measure(database: str):
    with contextlib.ExitStack() as stack:
        database_url = stack.enter_context(throwaway_postgres()) if database == "postgres" else None
        env = base_environment(database_url)
        manage(env, "migrate", "--no-input")
        manage(env, "import_content")
        setup_django(env)
        from django.test.utils import override_settings

        small, small_owner, _ = seed(2, "two")
        assessment, owner, items = seed(MEMBERS, "ten")
        with override_settings(ALLOWED_HOSTS=["testserver", "127.0.0.1", "localhost"]):
            counts = {2: queries_per_area(small, small_owner), MEMBERS: queries_per_area(assessment, owner)}
            alone_ms = render_ms(assessment, owner)
        cookie = f"sessionid={signed_in_session(owner)}"

        def consensus_page(connection, index, sequence):
            number = sequence % 6 + 1  # every key area in turn
            connection.request(
                "GET", f"/en/assessments/{assessment.public_id}/consensus/areas/{number}/", headers={"Cookie": cookie}
            )
            response = connection.getresponse()
            body = response.read()
            consensus_page.largest = max(getattr(consensus_page, "largest", 0), len(body))
            return response.status

        label = f"consensus page, {MEMBERS} members × {items} items ({database})"
        # On a machine shared with other work gunicorn can take longer than 30 s to start.
        with production_server(env, workers=WORKERS, start_seconds=180) as (address, _process):
            result = run_load(address, label, consensus_page, CLIENTS, SECONDS)
            # The floor in the same run: on a shared machine only the ratio is comparable.
            floor = run_load(address, f"minimal Django view ({database})", get("/bench/minimal"), CLIENTS, SECONDS)
        from django.db import connections

        connections.close_all()
        return result, floor, counts, getattr(consensus_page, "largest", 0), alone_ms


def main():
    databases = sys.argv[1:] or ["sqlite", "postgres"]
    if len(databases) > 1:
        # Django is configured once per process: one child process per database.
        for database in databases:
            subprocess.run([sys.executable, __file__, database], check=True)
        return
    [database] = databases
    result, floor, counts, largest, alone_ms = measure(database)
    print(f"\n{database}: gunicorn, {WORKERS} sync workers, {CLIENTS} concurrent clients, {SECONDS:.0f} s\n")
    print(TABLE_HEADER)
    print(result.row())
    print(floor.row())
    print(f"Consensus page / minimal view throughput: {100 * result.rate / floor.rate:.1f} %")
    print(f"One consensus page in-process, no load: {alone_ms:.0f} ms (median of 7)")
    print(f"Queries per consensus page (most of the six key areas): {counts}  (members: queries)")
    print(f"Largest page: {largest / 1024:.0f} KB")


if __name__ == "__main__":
    main()
