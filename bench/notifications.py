"""Issue 12 figures: one run of ``send_notifications`` over 10,000 organisations with 50,000
actions and 2,000 surveys on PostgreSQL — wall time, queries, peak memory — and a second
run right after it, which must send nothing.

The database is a fresh one on the shared PostgreSQL server (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:55432/inclusion_notify_bench), dropped and created each run.
Mail goes to Django's dummy backend: messages are built in full but not delivered.

Run: .venv/bin/python bench/notifications.py
"""

import datetime
import io
import os
import random
import resource
import subprocess
import sys
import time
import tracemalloc
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import base_environment, manage, setup_django

URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:55432/inclusion_notify_bench")
ORGANISATIONS = int(os.environ.get("BENCH_ORGANISATIONS", "10000"))
ACTIONS = int(os.environ.get("BENCH_ACTIONS", "50000"))
SURVEYS = int(os.environ.get("BENCH_SURVEYS", "2000"))


def recreate_database() -> None:
    parsed = urllib.parse.urlparse(URL)
    name = parsed.path.lstrip("/")
    admin = ["psql", "-h", parsed.hostname, "-p", str(parsed.port), "-U", parsed.username, "-d", "postgres", "-q"]
    subprocess.run([*admin, "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=True)
    subprocess.run([*admin, "-c", f'CREATE DATABASE "{name}"'], check=True)


def seed() -> None:
    """10,000 organisations with an owner and an editor each, one self-assessment each (a
    fifth with a 6-month rhythm), 50,000 actions due between 60 days ago and 60 days ahead
    (owned by a member in half of them), 2,000 surveys closing over the last and next
    months with 0 to 20 responses each."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from inclusion.assessments.models import Action, Assessment
    from inclusion.feedback.models import Response, Survey
    from inclusion.organisations.models import Membership, Organisation, Role

    UNUSABLE = make_password(None)
    rng = random.Random(12)
    today = timezone.localdate()
    User = get_user_model()
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Organisation {i}", slug=f"org-{i}", kind="ngo") for i in range(ORGANISATIONS)
    )
    users = User.objects.bulk_create(
        User(username=f"u{i}", email=f"u{i}@example.org", password=UNUSABLE) for i in range(2 * ORGANISATIONS)
    )
    Membership.objects.bulk_create(
        Membership(user=users[2 * i + j], organisation=organisation, role=(Role.OWNER, Role.EDITOR)[j])
        for i, organisation in enumerate(organisations)
        for j in (0, 1)
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(
            organisation=organisation,
            title=f"Assessment {i}",
            organisation_kind="ngo",
            content_version="bench",
            next_round_months=6 if i % 5 == 0 else 0,
        )
        for i, organisation in enumerate(organisations)
    )
    Action.objects.bulk_create(
        (
            Action(
                assessment=assessments[i % ORGANISATIONS],
                area="a1",
                description=f"Action {i}",
                due_date=today + datetime.timedelta(days=rng.randint(-60, 60)),
                owner_user=users[2 * (i % ORGANISATIONS) + 1] if i % 2 else None,
            )
            for i in range(ACTIONS)
        ),
        batch_size=5000,
    )
    surveys = Survey.objects.bulk_create(
        Survey(
            organisation=organisations[i * (ORGANISATIONS // SURVEYS)],
            title=f"Survey {i}",
            languages=["en"],
            opens_on=today - datetime.timedelta(days=90),
            closes_on=today + datetime.timedelta(days=rng.randint(-60, 30)),
        )
        for i in range(SURVEYS)
    )
    Response.objects.bulk_create(
        (
            Response(survey=survey, language="en", submitted_on=today)
            for survey in surveys
            for _ in range(rng.randint(0, 20))
        ),
        batch_size=5000,
    )
    # Old enough for the "no survey in 6 months" reminder.
    Organisation.objects.update(created_at=timezone.now() - datetime.timedelta(days=400))


def one_run(label: str, trace_memory: bool) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from inclusion.notifications.models import EmailStatus, Notification

    sent_before = Notification.objects.filter(email_status=EmailStatus.SENT).count()
    counted = []

    def count(execute, sql, params, many, context):
        counted.append(1)
        return execute(sql, params, many, context)

    if trace_memory:
        tracemalloc.start()
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        call_command("send_notifications", stdout=io.StringIO())
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace_memory else None
    if trace_memory:
        tracemalloc.stop()
    queries = len(counted)
    sent = Notification.objects.filter(email_status=EmailStatus.SENT).count() - sent_before
    return {"run": label, "seconds": seconds, "queries": queries, "peak": peak, "sent": sent}


def main() -> None:
    # BENCH_REUSE=1: the database of an earlier run is kept (seeded), its outbox emptied.
    reuse = os.environ.get("BENCH_REUSE") == "1"
    if not reuse:
        recreate_database()
    env = base_environment(URL)
    env["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    env["SITE_URL"] = "https://toolkit.example.org"
    if not reuse:
        manage(env, "migrate", "--no-input")
    setup_django(env)
    from django.db import connection

    from inclusion.notifications.models import Notification

    if reuse:
        Notification.objects.all().delete()
    else:
        started = time.perf_counter()
        seed()
        print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("| run | wall time | queries | notifications e-mailed | process peak RSS (before → after) |")
    print("|---|---|---|---|---|", flush=True)
    for label in ("first", "second, right after"):
        row = one_run(label, trace_memory=os.environ.get("BENCH_TRACEMALLOC") == "1")
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(
            f"| {row['run']} | {row['seconds']:.1f} s | {row['queries']} | {row['sent']} "
            f"| {rss_before / 1024:.0f} → {rss_after / 1024:.0f} MiB |",
            flush=True,
        )
    print(f"notifications recorded: {Notification.objects.count()}", flush=True)


if __name__ == "__main__":
    main()
