"""Issue 11 figures: the summary page of a fully answered round (80 answers, a note per key
area, 20 actions) against a minimal Django view measured in the same run, 16 concurrent
clients, gunicorn with 2 workers; p95, page size, query count and in-process render time, on
SQLite and on PostgreSQL.

Run: .venv/bin/python bench/summary.py [sqlite|postgres ...]   (default: both)
PostgreSQL: the server at BENCH_PG_URL (default postgres://postgres@127.0.0.1:55432), in a
database of its own that is created and dropped (BENCH_PG_DATABASE, default inclusion_bench_summary).
Environment: BENCH_SECONDS (10), BENCH_WORKERS (2), BENCH_CACHE_URL (the production default,
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

        def summary_page(connection, index, sequence):
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            return response.status

        with production_server(env, workers=WORKERS, start_timeout=180) as (address, _process):
            minimal = run_load(address, f"minimal Django view ({database})", get("/bench/minimal"), CLIENTS, SECONDS)
            summary = run_load(
                address, f"summary page, {answered} answers ({database})", summary_page, CLIENTS, SECONDS
            )
        return minimal, summary, queries, size, render_ms


def main():
    databases = sys.argv[1:] or ["sqlite", "postgres"]
    if len(databases) > 1:
        # Django is configured once per process: one child process per database.
        for database in databases:
            subprocess.run([sys.executable, __file__, database], check=True)
        return
    [database] = databases
    minimal, summary, queries, size, render_ms = measure(database)
    print(f"\n{database}: gunicorn, {WORKERS} sync workers, {CLIENTS} concurrent clients, {SECONDS:.0f} s per phase\n")
    print(TABLE_HEADER)
    print(minimal.row())
    print(summary.row())
    print(
        f"\nSummary page: {100 * summary.rate / minimal.rate:.1f}% of the minimal view's throughput; "
        f"{size / 1024:.0f} KB, {queries} queries, {render_ms:.1f} ms in process (median of 20)."
    )


if __name__ == "__main__":
    main()
