"""kill -9 of one gunicorn worker in the middle of a stream of answer saves."""

import os
import signal
import sqlite3
import threading
import time
import uuid

import pytest

from bench.harness import base_environment, manage, production_server, worker_pids

from .conftest import SKIP_ON_POSTGRES_PASS, Browser, acknowledged, checklist_items

pytestmark = [pytest.mark.faults, SKIP_ON_POSTGRES_PASS]

STREAMS = 3
VALUES = ("yes", "partly", "no")


def stored_answers(database: str) -> dict[tuple[str, str], str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT assessment.public_id, answer.item_key, answer.value FROM assessments_answer answer"
            " JOIN assessments_assessment assessment ON assessment.id = answer.assessment_id"
        ).fetchall()
    return {(str(uuid.UUID(public_id)), item): value for public_id, item, value in rows}


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"gave up after {seconds:.0f} s waiting for {what}")


def test_killed_worker_loses_no_acknowledged_save_and_is_replaced(tmp_path):
    env = base_environment(workdir=tmp_path)
    manage(env, "migrate", "--no-input")
    manage(env, "import_content")
    items = checklist_items()
    saved: dict[tuple[str, str], str] = {}  # (assessment, item) -> value, acknowledged saves only
    lock = threading.Lock()

    with production_server(env, workers=2) as (address, master):
        browsers = [Browser(address) for _ in range(STREAMS)]
        assessments = [browser.start_assessment() for browser in browsers]
        stop = threading.Event()

        def stream(index: int) -> None:
            # Each item is saved once, so a save that was cut off can never hide an earlier one.
            for number, item in enumerate(items):
                if stop.is_set():
                    return
                value = VALUES[(number + index) % 3]
                status, _headers, body = browsers[index].save_answer(assessments[index], item, value)
                if acknowledged(status, body):
                    with lock:
                        saved[(assessments[index], item)] = value

        threads = [threading.Thread(target=stream, args=(index,)) for index in range(STREAMS)]
        for thread in threads:
            thread.start()
        try:
            wait_for(lambda: len(saved) >= 20, 30, "the first saves")
            workers = worker_pids(master)
            assert len(workers) == 2, workers
            [victim, survivor] = workers
            os.kill(victim, signal.SIGKILL)
            replacement = wait_for(
                lambda: [pid for pid in worker_pids(master) if pid not in (victim, survivor)], 30, "a new worker"
            )
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
        saved_before_replacement = len(saved)

        # The master is the same process and keeps two workers; the new one serves requests.
        assert master.poll() is None
        assert sorted(worker_pids(master)) == sorted([survivor, *replacement])
        after = Browser(address)
        public_id = after.start_assessment("After the kill")
        results = [after.save_answer(public_id, item, "yes") for item in items[:20]]
        assert [acknowledged(status, body) for status, _headers, body in results] == [True] * 20, [
            (status, body[:200]) for status, _headers, body in results
        ]
        saved.update({(public_id, item): "yes" for item in items[:20]})

    assert saved_before_replacement >= 20
    stored = stored_answers(str(tmp_path / "bench.sqlite3"))
    assert {key: stored.get(key) for key in saved} == saved
