"""Issue 3 figures: saving one answer and the summary page of a fully answered assessment,
16 concurrent clients, production server, on SQLite and on PostgreSQL; summary PDF time.

Run: .venv/bin/python bench/assessments.py [sqlite|postgres ...]   (default: both)
"""

import contextlib
import os
import random
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    TABLE_HEADER,
    base_environment,
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


def seed():
    """An organisation with an editor, a fully answered assessment with notes; a session."""
    from django.contrib.auth import get_user_model

    from inclusion.assessments.answers import applicable_items, save_answer
    from inclusion.assessments.notes import save_note
    from inclusion.assessments.rounds import start_assessment
    from inclusion.handbook.services import get_handbook
    from inclusion.organisations.models import Membership, Organisation, Role

    user = get_user_model().objects.create_user(username="bench", email="bench@example.org", password="x" * 20)
    organisation = Organisation.objects.create(name="Bench City", slug="bench-city", kind="authority")
    Membership.objects.create(user=user, organisation=organisation, role=Role.EDITOR)
    assessment, _ = start_assessment(title="Bench", organisation_kind="authority", organisation=organisation, user=user)
    edition = get_handbook().edition("en")
    items = []
    for area in edition.areas:
        for item in applicable_items(area, "authority"):
            save_answer(assessment, item.id, random.choice(["yes", "partly", "no", "na"]), "comment", user)
            items.append(item.id)
        save_note(assessment, area.id, "<p>" + "A note. " * 60 + "</p>", 0, user)
    from inclusion.assessments.models import Action

    Action.objects.bulk_create(
        Action(assessment=assessment, item_id=item_id, area=item_id.split(".")[0], description=f"Act on {item_id}")
        for item_id in items[:20]
    )
    session_key = signed_in_session(user)
    return assessment, items, session_key


def summary_pdf_seconds(assessment) -> float:
    """The council report: all 80 answers with comments, notes in six areas, 20 actions."""
    from inclusion.assessments.exports import summary_pdf

    timings = []
    for _ in range(3):
        began = time.perf_counter()
        summary_pdf(assessment, "lv")
        timings.append(time.perf_counter() - began)
    return statistics.median(timings)


def measure(database: str):
    with contextlib.ExitStack() as stack:
        database_url = stack.enter_context(throwaway_postgres()) if database == "postgres" else None
        env = base_environment(database_url)
        manage(env, "migrate", "--no-input")
        manage(env, "import_content")
        setup_django(env)
        assessment, items, session_key = seed()
        csrf = secrets.token_hex(16)  # an unmasked CSRF secret is a valid token
        cookie = f"sessionid={session_key}; csrftoken={csrf}"

        def save_answer(connection, index, sequence):
            body = f"item={random.choice(items)}&value={random.choice(['yes', 'partly', 'no'])}"
            connection.request(
                "POST",
                f"/en/assessments/{assessment.public_id}/answers/",
                body=body,
                headers={
                    "Cookie": cookie,
                    "X-CSRFToken": csrf,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "HX-Request": "true",
                },
            )
            response = connection.getresponse()
            response.read()
            return response.status

        def summary_page(connection, index, sequence):
            connection.request("GET", f"/en/assessments/{assessment.public_id}/summary/", headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            return response.status

        with production_server(env, workers=WORKERS) as (address, _process):
            save = run_load(address, f"save one answer ({database})", save_answer, CLIENTS, SECONDS)
            summary = run_load(address, f"summary page, 80 answers ({database})", summary_page, CLIENTS, SECONDS)
        pdf_seconds = summary_pdf_seconds(assessment)
        from django.db import connections

        connections.close_all()
        return save, summary, pdf_seconds


def main():
    databases = sys.argv[1:] or ["sqlite", "postgres"]
    if len(databases) > 1:
        # Django is configured once per process: one child process per database.
        for database in databases:
            subprocess.run([sys.executable, __file__, database], check=True)
        return
    [database] = databases
    save, summary, pdf_seconds = measure(database)
    print(f"\n{database}: gunicorn, {WORKERS} sync workers, {CLIENTS} concurrent clients, {SECONDS:.0f} s per phase\n")
    print(TABLE_HEADER)
    print(save.row())
    print(summary.row())
    if pdf_seconds:
        print(f"Summary PDF of a fully answered assessment ({database}): {pdf_seconds:.2f} s (median of 3)")


if __name__ == "__main__":
    main()
