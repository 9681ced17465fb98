"""Issue 6 load test: mixed traffic against the production server on PostgreSQL.

Traffic, chosen at random per request (weights in MIX):
  - reading the handbook: the home page, key-area pages and search, in Latvian and English;
  - answering checklists: htmx autosave POSTs to /<lang>/assessments/<id>/answers/, each
    from one of several signed-in editors with their own self-assessment;
  - submitting feedback: anonymous survey responses to /s/<token>/<lang>/, each from its own
    loopback network so that the per-network rate limit stays on as in production.

Requests are started at a fixed rate whatever the response times (open loop), and each
latency counts from when the request was due. First a ramp finds the highest rate whose p95
stays under BENCH_P95_MS (steps of BENCH_RAMP_STEP requests/s, BENCH_RAMP_SECONDS each);
then that rate is held for BENCH_HOLD_SECONDS while the gunicorn processes' resident memory
is sampled every 10 s.

Run: .venv/bin/python bench/load.py
Environment: BENCH_WORKERS (4), BENCH_RAMP_START (20), BENCH_RAMP_STEP (20),
BENCH_RAMP_SECONDS (20), BENCH_RAMP_MAX (600), BENCH_P95_MS (300), BENCH_HOLD_SECONDS (300),
BENCH_HOLD_RATE (hold this rate instead of the one the ramp found; with BENCH_RAMP_MAX=0,
no ramp at all).
"""

import contextlib
import itertools
import os
import random
import secrets
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    base_environment,
    manage,
    process_group,
    production_server,
    rss_kib,
    run_open_loop,
    setup_django,
    signed_in_session,
    throwaway_postgres,
)

WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
RAMP_START = int(os.environ.get("BENCH_RAMP_START", "20"))
RAMP_STEP = int(os.environ.get("BENCH_RAMP_STEP", "20"))
RAMP_SECONDS = float(os.environ.get("BENCH_RAMP_SECONDS", "20"))
RAMP_MAX = int(os.environ.get("BENCH_RAMP_MAX", "600"))
P95_LIMIT_MS = float(os.environ.get("BENCH_P95_MS", "300"))
HOLD_SECONDS = float(os.environ.get("BENCH_HOLD_SECONDS", "300"))
HOLD_RATE = int(os.environ.get("BENCH_HOLD_RATE", "0"))  # 0: the highest rate the ramp found
MEMORY_EVERY_SECONDS = 10
EDITORS = 20

# kind -> share of requests
MIX = {"home": 0.10, "area": 0.30, "search": 0.20, "answer": 0.30, "feedback": 0.10}
SEARCH_TERMS = {
    "en": ["housing", "language courses", "employment", "participation", "refugee-led", "schools", "trust"],
    "lv": ["mājokļi", "valodas kursi", "nodarbinātība", "līdzdalība", "bēgļi", "skolas", "uzticēšanās"],
}


def seed():
    """EDITORS editors of one organisation, each with a session and a self-assessment of
    their own; an open survey. Returns what the traffic needs."""
    import datetime

    from django.contrib.auth import get_user_model

    from inclusion.assessments.answers import applicable_items
    from inclusion.assessments.rounds import start_assessment
    from inclusion.feedback import surveys as feedback
    from inclusion.feedback.questions import present_questions
    from inclusion.handbook.services import get_handbook
    from inclusion.organisations.models import Membership, Organisation, Role

    organisation = Organisation.objects.create(name="Load City", slug="load-city", kind="authority")
    editors, users = [], []
    for number in range(EDITORS):
        user = get_user_model().objects.create_user(
            username=f"editor{number}", email=f"editor{number}@example.org", password=secrets.token_hex(12)
        )
        Membership.objects.create(user=user, organisation=organisation, role=Role.EDITOR)
        users.append(user)
        assessment, _ = start_assessment(
            title=f"Load {number}", organisation_kind="authority", organisation=organisation, user=user
        )
        session_key = signed_in_session(user)
        csrf = secrets.token_hex(16)  # an unmasked CSRF secret is a valid token
        editors.append((str(assessment.public_id), f"sessionid={session_key}; csrftoken={csrf}", csrf))

    edition = get_handbook().edition("en")
    items = [item.id for area in edition.areas for item in applicable_items(area, "authority")]
    today = feedback.today()
    survey = feedback.create_survey(
        organisation=organisation, user=users[0], title="Visitors", languages=["lv", "en"],
        opens_on=today - datetime.timedelta(days=1), closes_on=today + datetime.timedelta(days=30),
        bank_ids=["q.satisfaction", "q.respect", "q.improve"],
        contact="privacy@example.org",
    )  # fmt: skip
    body = {}
    for language in survey.languages:
        fields = []
        for question in present_questions(survey, survey.questions.all(), language):
            if question.kind == "text":
                fields.append((question.name, "Longer opening hours, please."))
            elif question.choices:
                fields.append((question.name, question.choices[0][0]))
        body[language] = urllib.parse.urlencode(fields)
    return editors, items, len(edition.areas), survey.token, body


def traffic(editors, items, area_count, survey_token, feedback_body):
    """choose_request(sequence) for run_open_loop: one request of the mix."""
    networks = itertools.count()
    kinds, weights = zip(*MIX.items(), strict=True)

    def get(path):
        def send(connection):
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            return response.status

        return send

    def save_answer(language):
        public_id, cookie, csrf = random.choice(editors)
        body = f"item={random.choice(items)}&value={random.choice(['yes', 'partly', 'no', 'na'])}"

        def send(connection):
            connection.request(
                "POST", f"/{language}/assessments/{public_id}/answers/", body=body,
                headers={
                    "Cookie": cookie, "X-CSRFToken": csrf, "HX-Request": "true",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )  # fmt: skip
            response = connection.getresponse()
            response.read()
            return response.status

        return send

    def submit_feedback(language):
        number = next(networks)
        source = (f"127.{(number // 250) % 250 + 1}.{number % 250 + 1}.1", 0)

        def send(connection):
            connection.source_address = source
            connection.request(
                "POST", f"/s/{survey_token}/{language}/", body=feedback_body[language],
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )  # fmt: skip
            response = connection.getresponse()
            response.read()
            return response.status

        return send

    def choose(sequence):
        kind = random.choices(kinds, weights)[0]
        language = random.choice(["lv", "en"])
        if kind == "home":
            return kind, get(f"/{language}/")
        if kind == "area":
            return kind, get(f"/{language}/handbook/areas/{random.randint(1, area_count)}/")
        if kind == "search":
            return kind, get(
                f"/{language}/handbook/search/?q={urllib.parse.quote(random.choice(SEARCH_TERMS[language]))}"
            )
        if kind == "answer":
            return kind, save_answer(language)
        return kind, submit_feedback(language)

    return choose


def load_average() -> float:
    with open("/proc/loadavg") as loadavg:
        return float(loadavg.read().split()[0])


class MemorySampler:
    """Resident memory of the server's process group (and the machine's load average, since
    other work on the machine shows in the latencies) every MEMORY_EVERY_SECONDS seconds."""

    def __init__(self, master):
        self.master = master
        self.samples = []  # (seconds since start, master KiB, [worker KiB, …], load average)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        began = time.monotonic()
        while True:
            pids = process_group(self.master.pid)
            workers = [rss_kib(pid) for pid in pids if pid != self.master.pid]
            self.samples.append((time.monotonic() - began, rss_kib(self.master.pid), workers, load_average()))
            if self._stop.wait(MEMORY_EVERY_SECONDS):
                return

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def describe(result) -> str:
    return (
        f"{result.target_rate:.0f}/s: achieved {result.rate:.1f}/s, p50 {result.percentile(50):.0f} ms, "
        f"p95 {result.percentile(95):.0f} ms, p99 {result.percentile(99):.0f} ms, "
        f"{result.requests} requests, {result.errors} errors"
    )


def main():
    with contextlib.ExitStack() as stack:
        database_url = stack.enter_context(throwaway_postgres())
        env = base_environment(database_url)
        manage(env, "migrate", "--no-input")
        manage(env, "import_content")
        manage(env, "import_practices")
        setup_django(env)
        choose = traffic(*seed())
        from django.db import connections

        connections.close_all()

        address, master = stack.enter_context(production_server(env, workers=WORKERS))
        print(f"gunicorn, {WORKERS} sync workers, PostgreSQL, mix {MIX}\n", flush=True)
        run_open_loop(address, "warm-up", choose, rate=10, seconds=5)

        best = None
        if RAMP_MAX >= RAMP_START:
            print(f"Ramp ({RAMP_SECONDS:.0f} s per step, p95 limit {P95_LIMIT_MS:.0f} ms):", flush=True)
            for rate in range(RAMP_START, RAMP_MAX + 1, RAMP_STEP):
                step = run_open_loop(address, f"ramp {rate}/s", choose, rate=rate, seconds=RAMP_SECONDS)
                print(f"  {describe(step)} (load average {load_average():.1f})", flush=True)
                if step.errors or step.percentile(95) >= P95_LIMIT_MS:
                    break
                best = rate
            print(f"Highest rate with p95 under {P95_LIMIT_MS:.0f} ms and no errors: {best}/s", flush=True)
        best = HOLD_RATE or best
        if best is None:
            print(f"Even {RAMP_START} requests/s kept p95 above {P95_LIMIT_MS:.0f} ms: nothing to hold.")
            return 1

        print(f"\nHold at {best}/s for {HOLD_SECONDS:.0f} s:", flush=True)
        with MemorySampler(master) as memory:
            hold = run_open_loop(address, f"hold {best}/s", choose, rate=best, seconds=HOLD_SECONDS)
        print("  " + describe(hold))
        print("\n| kind | requests | errors | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|---|")
        for kind in MIX:
            latencies = hold.by_kind.get(kind, [])
            print(
                f"| {kind} | {len(latencies)} | {hold.errors_by_kind.get(kind, 0)} | "
                f"{hold.kind_percentile(kind, 50):.0f} | {hold.kind_percentile(kind, 95):.0f} | "
                f"{hold.kind_percentile(kind, 99):.0f} |"
            )
        print(
            "\nEvery 10 s of the hold: requests due, errors, p95; resident memory (MiB) of the gunicorn master, "
            "workers and in total; the machine's 1-minute load average (2 cores)\n"
            "| s | requests | errors | p95 ms | master | workers | total | load |\n|---|---|---|---|---|---|---|---|"
        )
        windows = {int(start): row for start, *row in hold.windows(MEMORY_EVERY_SECONDS)}
        for seconds, master_kib, workers, load in memory.samples:
            requests, errors, p95 = windows.get(round(seconds / MEMORY_EVERY_SECONDS) * MEMORY_EVERY_SECONDS, (0, 0, 0))
            print(
                f"| {seconds:.0f} | {requests} | {errors} | {p95:.0f} | {master_kib / 1024:.1f} | "
                f"{' '.join(f'{kib / 1024:.1f}' for kib in workers)} | {(master_kib + sum(workers)) / 1024:.1f} | "
                f"{load:.1f} |"
            )
        first, last = memory.samples[0], memory.samples[-1]
        growth = (last[1] + sum(last[2]) - first[1] - sum(first[2])) / 1024
        print(f"Total growth over the hold: {growth:+.1f} MiB")
        return 1 if hold.errors else 0


if __name__ == "__main__":
    sys.exit(main())
