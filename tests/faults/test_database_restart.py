"""PostgreSQL stopped and started again under traffic: 503s while it is away, recovery by
itself afterwards, and no acknowledged save lost."""

import json
import threading
import time
from dataclasses import dataclass

import pytest

from bench.harness import base_environment, manage, postgres_cluster, production_server

from .conftest import SKIP_ON_POSTGRES_PASS, Browser, acknowledged, checklist_items

pytestmark = [pytest.mark.faults, SKIP_ON_POSTGRES_PASS]

TIMEOUT = 10.0  # the client's limit: no request may hang longer
OUTAGE_SECONDS = 3.0


@dataclass
class Save:
    sent: float
    done: float
    assessment: str
    item: str
    value: str
    status: int
    headers: dict
    body: str


def stored_answers(database_url: str) -> dict[tuple[str, str], str]:
    import psycopg

    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT assessment.public_id, answer.item_key, answer.value FROM assessments_answer answer"
            " JOIN assessments_assessment assessment ON assessment.id = answer.assessment_id"
        ).fetchall()
    return {(str(public_id), item): value for public_id, item, value in rows}


def test_database_restart_answers_503_then_recovers_without_losing_saves(tmp_path, postgres_binaries):
    items = checklist_items()
    with postgres_cluster() as cluster:
        env = base_environment(cluster.url, tmp_path)
        manage(env, "migrate", "--no-input")
        manage(env, "import_content")
        with production_server(env, workers=2) as (address, _master):
            browser = Browser(address, timeout=TIMEOUT)
            assessments = [browser.start_assessment(f"Round {n}") for n in range(3)]
            pairs = [(public_id, item) for public_id in assessments for item in items]
            saves = []  # Save records, in the order they were sent
            moments = {}  # when the database was stopped and started, on the monotonic clock
            stop = threading.Event()

            def stream() -> None:
                # One save per (assessment, item), so a save cut off by the outage never hides another.
                for number, (public_id, item) in enumerate(pairs):
                    if stop.is_set():
                        return
                    value = ("yes", "partly", "no")[number % 3]
                    sent = time.monotonic()
                    status, headers, body = browser.save_answer(public_id, item, value)
                    saves.append(Save(sent, time.monotonic(), public_id, item, value, status, headers, body))
                    time.sleep(0.05)

            thread = threading.Thread(target=stream)
            thread.start()
            try:
                time.sleep(1.5)
                moments["stopping"] = time.monotonic()
                cluster.stop("fast")
                moments["stopped"] = time.monotonic()
                time.sleep(OUTAGE_SECONDS)
                outside = Browser(address, timeout=TIMEOUT)
                api = outside.request("GET", "/api/v1/organisation", headers={"Authorization": "Bearer x"})
                health = outside.request("GET", "/healthz")
                moments["starting"] = time.monotonic()
                cluster.start()
                moments["started"] = time.monotonic()
                deadline = time.monotonic() + 30
                while (
                    time.monotonic() < deadline
                    and [s.status for s in saves if s.sent > moments["started"]].count(200) < 10
                ):
                    time.sleep(0.1)
            finally:
                stop.set()
                thread.join(timeout=TIMEOUT * 2)
        stored = stored_answers(cluster.url)

    # Nothing hangs, nothing breaks with a 500 traceback or a dropped connection.
    timeline = [(round(save.sent - moments["stopping"], 2), save.status) for save in saves]
    assert max(save.done - save.sent for save in saves) < TIMEOUT, timeline
    assert {save.status for save in saves} <= {200, 503}, timeline
    assert {save.status for save in saves if save.done < moments["stopping"]} == {200}, timeline
    # While the database is away: the 503 page, with Retry-After, for pages and the API alike.
    outage = [save for save in saves if save.sent > moments["stopped"] and save.done < moments["starting"]]
    assert len(outage) >= 10, timeline
    for save in outage:
        assert save.status == 503
        assert save.headers["Retry-After"] == "30"
        assert "Service temporarily unavailable" in save.body and "Traceback" not in save.body
    assert api[0] == 503 and json.loads(api[2])["error"]["code"] == "unavailable"
    assert health[0] == 503
    # Afterwards it recovers by itself (same server processes): after at most a few 503s while
    # the workers reconnect, every save succeeds again.
    after = [save.status for save in saves if save.sent > moments["started"]]
    assert after.count(200) >= 10, timeline
    first_success = after.index(200)
    assert set(after[first_success:]) == {200}, timeline
    # No acknowledged save is lost.
    acknowledged_saves = {
        (save.assessment, save.item): save.value for save in saves if acknowledged(save.status, save.body)
    }
    assert len(acknowledged_saves) >= 20  # before the outage and after it
    assert {key: stored.get(key) for key in acknowledged_saves} == acknowledged_saves
