"""Issue 5 figures: anonymous survey submissions under load (none may be lost), the
respondent page, and the results page of a survey with 100,000 responses (its p95 and its
query count), 16 concurrent clients, production server, on SQLite and on PostgreSQL.

Each submission comes from its own loopback network (127.a.b.1): the per-network rate
limit stays on, as in production, and does not stop the benchmark.

Run: .venv/bin/python bench/feedback.py [sqlite|postgres ...]   (default: both)
"""

import contextlib
import itertools
import os
import random
import subprocess
import sys
import time
import urllib.parse
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
SEEDED_RESPONSES = int(os.environ.get("BENCH_RESPONSES", "100000"))


def seed():
    """An organisation with an editor and an open survey of every bank question; a session."""
    import datetime

    from django.contrib.auth import get_user_model

    from inclusion.feedback import surveys
    from inclusion.feedback.bank import RESPONDENT_LANGUAGES, get_question_bank
    from inclusion.organisations.models import Membership, Organisation, Role

    user = get_user_model().objects.create_user(username="bench", email="bench@example.org", password="x" * 20)
    organisation = Organisation.objects.create(name="Bench City", slug="bench-city", kind="authority")
    Membership.objects.create(user=user, organisation=organisation, role=Role.EDITOR)
    today = surveys.today()
    survey = surveys.create_survey(
        organisation=organisation, user=user, title="Bench survey", languages=list(RESPONDENT_LANGUAGES),
        opens_on=today - datetime.timedelta(days=400), closes_on=today + datetime.timedelta(days=30),
        bank_ids=list(get_question_bank()),
        contact="privacy@example.org",
    )  # fmt: skip
    session_key = signed_in_session(user)
    return user, survey, session_key


def submission_body(survey) -> bytes:
    questions = {q.bank_id: q for q in survey.questions.all()}
    fields = [
        (f"q{questions['q.satisfaction'].pk}", str(random.randint(1, 5))),
        (f"q{questions['q.respect'].pk}", random.choice(["yes", "no"])),
        (f"q{questions['q.information'].pk}", str(random.randint(1, 5))),
        (f"q{questions['q.barriers'].pk}", "q.barriers.language"),
        (f"q{questions['q.barriers'].pk}", "q.barriers.waiting"),
        (f"q{questions['q.improve'].pk}", "Longer opening hours, please. " * 3),
    ]
    return urllib.parse.urlencode(fields).encode()


def seed_responses(survey, count: int) -> float:
    """count responses over the last 12 months, five or six answers each, by bulk_create."""
    import datetime

    from inclusion.feedback import surveys
    from inclusion.feedback.models import Response, SurveyAnswer

    questions = {q.bank_id: q for q in survey.questions.all()}
    languages = survey.languages
    today = surveys.today()
    began = time.perf_counter()
    batch = 5000
    for start in range(0, count, batch):
        responses = Response.objects.bulk_create(
            Response(
                survey=survey,
                language=random.choice(languages),
                submitted_on=today - datetime.timedelta(days=random.randint(0, 364)),
            )
            for _ in range(min(batch, count - start))
        )
        answers = []
        for response in responses:
            answers += [
                SurveyAnswer(response=response, question=questions["q.satisfaction"], choice=str(random.randint(1, 5))),
                SurveyAnswer(response=response, question=questions["q.respect"], choice=random.choice(["yes", "no"])),
                SurveyAnswer(response=response, question=questions["q.information"], choice=str(random.randint(1, 5))),
                SurveyAnswer(response=response, question=questions["q.language"], choice=random.choice(["yes", "no"])),
                SurveyAnswer(response=response, question=questions["q.barriers"], choice="q.barriers.language"),
            ]
            if random.random() < 0.2:
                answers.append(
                    SurveyAnswer(response=response, question=questions["q.improve"], text="More evening hours.")
                )
        SurveyAnswer.objects.bulk_create(answers, batch_size=5000)
    return time.perf_counter() - began


def results_query_count(user, survey) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    url = f"/en/feedback/{survey.organisation.slug}/{survey.pk}/results/"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def measure(database: str):
    from_networks = itertools.count()
    with contextlib.ExitStack() as stack:
        database_url = stack.enter_context(throwaway_postgres()) if database == "postgres" else None
        env = base_environment(database_url)
        manage(env, "migrate", "--no-input")
        manage(env, "import_content")
        setup_django(env)
        from inclusion.feedback.models import Response

        user, survey, session_key = seed()
        body = submission_body(survey)
        accepted = {"count": 0}

        def submit(connection, index, sequence):
            number = next(from_networks)
            # A different /24 for every submission: 127.<a>.<b>.1 all reach the loopback server.
            connection.source_address = (f"127.{(number // 250) % 250 + 1}.{number % 250 + 1}.1", 0)
            connection.request(
                "POST", f"/s/{survey.token}/en/", body=body,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )  # fmt: skip
            response = connection.getresponse()
            response.read()
            if response.status == 302:
                accepted["count"] += 1  # one thread at a time under the GIL for this increment
            return response.status

        def respondent_page(connection, index, sequence):
            connection.request("GET", f"/s/{survey.token}/ar/")
            response = connection.getresponse()
            response.read()
            return response.status

        cookie = f"sessionid={session_key}"

        def results_page(connection, index, sequence):
            connection.request(
                "GET", f"/en/feedback/{survey.organisation.slug}/{survey.pk}/results/", headers={"Cookie": cookie}
            )
            response = connection.getresponse()
            response.read()
            return response.status

        with production_server(env, workers=WORKERS) as (address, _process):
            submissions = run_load(address, f"submit a response ({database})", submit, CLIENTS, SECONDS)
            stored = Response.objects.filter(survey=survey).count()
            page = run_load(address, f"respondent page, Arabic ({database})", respondent_page, CLIENTS, SECONDS)
            seed_seconds = seed_responses(survey, SEEDED_RESPONSES)
            total = Response.objects.filter(survey=survey).count()
            queries = results_query_count(user, survey)
            results = run_load(
                address, f"results page, {total:,} responses ({database})", results_page, CLIENTS, SECONDS
            )
        from django.db import connections

        connections.close_all()
        return submissions, accepted["count"], stored, page, results, queries, seed_seconds


def main():
    databases = sys.argv[1:] or ["sqlite", "postgres"]
    if len(databases) > 1:
        # Django is configured once per process: one child process per database.
        for database in databases:
            subprocess.run([sys.executable, __file__, database], check=True)
        return
    [database] = databases
    submissions, accepted, stored, page, results, queries, seed_seconds = measure(database)
    print(f"\n{database}: gunicorn, {WORKERS} sync workers, {CLIENTS} concurrent clients, {SECONDS:.0f} s per phase\n")
    print(TABLE_HEADER)
    print(submissions.row())
    print(page.row())
    print(results.row())
    print(
        f"Submissions ({database}): {accepted} accepted (302) in total incl. warm-up, {stored} stored, "
        f"lost: {accepted - stored}; errors in the measured phase: {submissions.errors}"
    )
    print(f"Results page queries ({database}): {queries}; seeding {SEEDED_RESPONSES:,} responses: {seed_seconds:.0f} s")


if __name__ == "__main__":
    main()
