"""Issue 13 figures: 200 kiosk tablets reconnect at once and each replays its queue of 50
responses (bounded concurrency, loopback only) against gunicorn on PostgreSQL; nothing may
be lost or doubled. Then the respondent page's weight (HTML + CSS + JS, gzip-compressed)
and its time to first render in Chromium.

Every tablet sends its queue as kiosk.js does (batches of 50, the device code in the
Authorization header) from its own loopback network (127.a.b.1), so the per-network sync
limit stays on. One tablet in five sends its batch a second time, as a tablet does whose
connection dropped before the server's answer arrived: those keys must be reported as
duplicates and stored once.

Run: .venv/bin/python bench/kiosk.py   (PostgreSQL at 127.0.0.1:55432, user postgres;
BENCH_DATABASE_URL to use another; the database named there is dropped and made again)
"""

import gzip
import http.client
import json
import os
import random
import re
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import base_environment, manage, production_server, setup_django

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:55432/inclusion_kiosk_bench")
KIOSKS = int(os.environ.get("BENCH_KIOSKS", "200"))
QUEUE = int(os.environ.get("BENCH_QUEUE", "50"))
BATCH = 50  # kiosk.js sends this many per request
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "32"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
RESEND_EVERY = 5  # every fifth tablet sends its first batch twice (a lost answer)
CHROMIUM = "/usr/bin/chromium"


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = f"{parts.scheme}://{parts.netloc}/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def seed():
    import datetime

    from inclusion.feedback import kiosks, surveys
    from inclusion.feedback.bank import RESPONDENT_LANGUAGES, get_question_bank
    from inclusion.organisations.models import Organisation

    organisation = Organisation.objects.create(name="Bench City", slug="bench-city", kind="authority")
    today = surveys.today()
    survey = surveys.create_survey(
        organisation=organisation, user=None, title="Bench kiosks", languages=list(RESPONDENT_LANGUAGES),
        opens_on=today - datetime.timedelta(days=10), closes_on=today + datetime.timedelta(days=30),
        bank_ids=list(get_question_bank()), contact="privacy@example.org",
    )  # fmt: skip
    codes = [kiosks.create_device(survey, f"Tablet {n}")[1] for n in range(KIOSKS)]
    return survey, codes


def queue_for(survey, questions) -> list[dict]:
    """One tablet's queue: QUEUE responses, each with a key made on the device."""
    items = []
    for _n in range(QUEUE):
        answers = {
            f"q{questions['q.satisfaction'].pk}": str(random.randint(1, 5)),
            f"q{questions['q.respect'].pk}": random.choice(["yes", "no"]),
            f"q{questions['q.barriers'].pk}": ["q.barriers.language", "q.barriers.waiting"],
        }
        if random.random() < 0.3:
            answers[f"q{questions['q.improve'].pk}"] = "Longer opening hours, please."
        items.append({"key": str(uuid.uuid4()), "language": random.choice(survey.languages), "answers": answers})
    return items


def replay(address: str, survey, codes: list[str]):
    questions = {q.bank_id: q for q in survey.questions.all()}
    queues = [queue_for(survey, questions) for _code in codes]
    host, port = address.split(":")
    latencies: list[float] = []
    outcome = {"stored": 0, "duplicates": 0, "rejected": 0, "errors": 0, "requests": 0}
    lock = threading.Lock()

    def send(index: int, batch: list[dict]) -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        connection.source_address = (f"127.{index // 250 + 1}.{index % 250 + 1}.1", 0)
        began = time.perf_counter()
        try:
            connection.request(
                "POST", f"/s/{survey.token}/kiosk/sync/", body=json.dumps({"responses": batch}),
                headers={"Content-Type": "application/json", "Authorization": f"Kiosk {codes[index]}"},
            )  # fmt: skip
            response = connection.getresponse()
            body = response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status, body = 0, b""
        finally:
            connection.close()
        elapsed = (time.perf_counter() - began) * 1000
        with lock:
            outcome["requests"] += 1
            latencies.append(elapsed)
            if status != 200:
                outcome["errors"] += 1
                return
            result = json.loads(body)
            for name in ("stored", "duplicates", "rejected"):
                outcome[name] += len(result[name])

    def tablet(index: int) -> None:
        queue = queues[index]
        batches = [queue[start : start + BATCH] for start in range(0, len(queue), BATCH)]
        for batch in batches:
            send(index, batch)
        if index % RESEND_EVERY == 0:
            send(index, batches[0])

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        list(pool.map(tablet, range(len(codes))))
    seconds = time.perf_counter() - began
    sent_keys = {item["key"] for queue in queues for item in queue}
    return outcome, latencies, seconds, sent_keys


def page_weight(address: str, survey) -> dict:
    """Bytes of each respondent page with everything it loads (no images: the faces are text)."""
    host, port = address.split(":")

    def fetch(path: str) -> bytes:
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        assert response.status == 200, (path, response.status)
        return body

    weights = {}
    for label, path in (
        ("respondent page (ar)", f"/s/{survey.token}/ar/"),
        ("kiosk start page", f"/s/{survey.token}/kiosk/"),
        ("kiosk survey page (ar)", f"/s/{survey.token}/kiosk/ar/"),
    ):
        html = fetch(path)
        assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
        bodies = [html, *(fetch(asset.decode()) for asset in assets)]
        weights[label] = (
            sum(len(body) for body in bodies),
            sum(len(gzip.compress(body, 6)) for body in bodies),
            [asset.decode().rsplit("/", 1)[-1] for asset in assets],
        )
    return weights


def first_render(address: str, survey, runs: int = 5) -> dict:
    """First contentful paint of the Arabic respondent page in Chromium: on loopback, and with
    the network throttled to "regular 3G" (750 kbit/s down, 100 ms round trip)."""
    from playwright.sync_api import sync_playwright

    url = f"http://{address}/s/{survey.token}/ar/"
    figures = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        for label, conditions in (
            ("loopback", None),
            ("3G (750 kbit/s, 100 ms)", {"latency": 100, "downloadThroughput": 750_000 / 8,
                                         "uploadThroughput": 250_000 / 8}),
        ):  # fmt: skip
            paints = []
            for _run in range(runs):
                context = browser.new_context(viewport={"width": 360, "height": 740})
                page = context.new_page()
                if conditions:
                    session = context.new_cdp_session(page)
                    session.send("Network.enable")
                    session.send("Network.emulateNetworkConditions", {"offline": False, **conditions})
                page.goto(url, wait_until="load")
                paints.append(
                    page.evaluate(
                        "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? "
                        "new Promise(r => new PerformanceObserver(l => r(l.getEntries()[0].startTime))"
                        ".observe({type: 'paint', buffered: true}))"
                    )
                )
                context.close()
            figures[label] = statistics.median(paints)
        browser.close()
    return figures


def main():
    recreate_database(DATABASE_URL)
    env = base_environment(DATABASE_URL)
    # Each worker loads the handbook on its first request; on a busy machine that outlasts
    # gunicorn's default 30 s worker timeout.
    env["GUNICORN_CMD_ARGS"] = "--timeout 300"
    # Each tablet sends one or two requests; the limit per network stays on.
    manage(env, "migrate", "--no-input")
    setup_django(env)
    from django.db.models import Count

    from inclusion.feedback.models import Response

    survey, codes = seed()
    with production_server(env, workers=WORKERS, start_timeout=300) as (address, _process):
        outcome, latencies, seconds, sent_keys = replay(address, survey, codes)
        weights = page_weight(address, survey)
        paints = first_render(address, survey)
    stored = Response.objects.filter(survey=survey)
    stored_keys = {str(key) for key in stored.values_list("submission_key", flat=True)}
    doubled = stored.values("submission_key").annotate(n=Count("id")).filter(n__gt=1).count()
    p95 = statistics.quantiles(latencies, n=100, method="inclusive")[94]
    p50 = statistics.median(latencies)
    print(f"\nPostgreSQL, gunicorn {WORKERS} sync workers, {KIOSKS} kiosks x {QUEUE} responses, "
          f"{CONCURRENCY} tablets at a time\n")  # fmt: skip
    print(f"sync requests: {outcome['requests']} in {seconds:.1f} s, errors {outcome['errors']}, "
          f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {max(latencies):.0f} ms")  # fmt: skip
    print(f"responses sent (distinct keys): {len(sent_keys)}; stored: {stored.count()}; "
          f"lost: {len(sent_keys - stored_keys)}; doubled: {doubled}; "
          f"reported stored {outcome['stored']}, duplicates {outcome['duplicates']}, "
          f"rejected {outcome['rejected']}")  # fmt: skip
    print("\n| page | bytes | gzip bytes | assets |\n|---|---|---|---|")
    for label, (raw, packed, assets) in weights.items():
        print(f"| {label} | {raw:,} | {packed:,} | {', '.join(assets)} |")
    print("\nfirst contentful paint, Arabic respondent page, median of 5 runs:")
    for label, value in paints.items():
        print(f"- {label}: {value:.0f} ms")
    from django.db import connections

    connections.close_all()


if __name__ == "__main__":
    main()
