"""Structured logs: one JSON object per line, request fields, and no personal data."""

import datetime
import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from inclusion.core.logging import JSONFormatter, PlainFormatter

ROOT = Path(__file__).resolve().parents[2]


def record(message="Saved %s", *args, exc_info=None, **extra):
    entry = logging.LogRecord("inclusion.test", logging.WARNING, __file__, 1, message, args, exc_info)
    entry.__dict__.update(extra)
    return entry


def test_json_line_has_time_level_logger_and_message():
    line = JSONFormatter().format(record("Saved %s", "answer"))

    entry = json.loads(line)
    assert set(entry) == {"time", "level", "logger", "message"}
    assert (entry["level"], entry["logger"], entry["message"]) == ("WARNING", "inclusion.test", "Saved answer")
    assert datetime.datetime.fromisoformat(entry["time"]).utcoffset() == datetime.timedelta(0)


def test_json_line_carries_the_request_fields():
    line = JSONFormatter().format(record(path="/en/handbook/", method="GET", status=200, duration_ms=12.5))

    entry = json.loads(line)
    assert {key: entry[key] for key in ("path", "method", "status", "duration_ms")} == {
        "path": "/en/handbook/",
        "method": "GET",
        "status": 200,
        "duration_ms": 12.5,
    }


def test_an_exception_stays_on_one_line_with_its_details_masked():
    message = "duplicate key\nDETAIL:  Key (email)=(someone@example.org) already exists."
    try:
        raise ValueError(message)
    except ValueError:
        line = JSONFormatter().format(record("Failed", exc_info=sys.exc_info()))

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["exception"].startswith("Traceback (most recent call last):")
    assert "ValueError: duplicate key\nDETAIL: [redacted]" in entry["exception"]
    assert "someone@example.org" not in line


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/en/assessments/private/Xy3kQ9-secret/", "/en/assessments/private/[redacted]/"),
        ("/lv/assessments/shared/abc123/", "/lv/assessments/shared/[redacted]/"),
        ("/en/organisations/invitations/tok3n/", "/en/organisations/invitations/[redacted]/"),
        ("/en/accounts/password/reset/key/1a-set-password/", "/en/accounts/password/reset/key/[redacted]/"),
        ("/en/accounts/confirm-email/MQ:1v:abc/", "/en/accounts/confirm-email/[redacted]/"),
        ("/en/handbook/areas/4/", "/en/handbook/areas/4/"),
    ],
)
def test_secrets_in_paths_are_masked(path, logged):
    entry = json.loads(JSONFormatter().format(record("Not Found: %s", path, path=path)))

    assert entry["path"] == logged
    assert entry["message"] == f"Not Found: {logged}"
    assert PlainFormatter("%(message)s").format(record("Not Found: %s", path)) == f"Not Found: {logged}"


@pytest.fixture
def json_log():
    """What the console handler would print, in JSON, for the duration of a test."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JSONFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


@pytest.mark.django_db
def test_requests_are_logged_without_address_agent_query_or_body(client, json_log):
    client.get("/en/handbook/", {"q": "private words"}, REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Agent/1.0")
    client.post(
        "/en/assessments/private/Xy3kQ9-secret/",
        {"secret": "body text"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Agent/1.0",
    )
    client.get("/static/css/site.css").close()

    entries = json_log()
    requests = [entry for entry in entries if entry["logger"] == "inclusion.request"]
    assert [(e["method"], e["path"], e["status"], e["message"]) for e in requests] == [
        ("GET", "/en/handbook/", 200, "GET /en/handbook/ 200"),
        ("POST", "/en/assessments/private/[redacted]/", 404, "POST /en/assessments/private/[redacted]/ 404"),
    ]
    assert all(isinstance(entry["duration_ms"], float) for entry in requests)
    [not_found] = [entry for entry in entries if entry["logger"] == "django.request"]
    assert {key: not_found[key] for key in ("level", "message", "path", "method", "status")} == {
        "level": "WARNING",
        "message": "Not Found: /en/assessments/private/[redacted]/",
        "path": "/en/assessments/private/[redacted]/",
        "method": "POST",
        "status": 404,
    }
    everything = json.dumps(entries)
    for private in ("203.0.113.7", "Agent/1.0", "private words", "body text", "Xy3kQ9"):
        assert private not in everything


def settings_process(**environment):
    env = {key: value for key, value in os.environ.items() if key not in {"LOG_FORMAT", "DEBUG"}}
    env.update(environment, DJANGO_SETTINGS_MODULE="inclusion.settings", SECRET_KEY="x" * 50)
    script = "import django, logging; django.setup(); logging.getLogger('inclusion.check').warning('Hello %s', 'log')"
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)


def test_production_logs_json_by_default():
    result = settings_process(DEBUG="0")

    assert result.returncode == 0, result.stderr
    [line] = result.stderr.splitlines()
    entry = json.loads(line)
    assert (entry["level"], entry["logger"], entry["message"]) == ("WARNING", "inclusion.check", "Hello log")


def test_development_logs_plain_text_by_default_and_log_format_chooses():
    assert settings_process(DEBUG="1").stderr.strip().endswith("WARNING inclusion.check Hello log")
    assert json.loads(settings_process(DEBUG="1", LOG_FORMAT="json").stderr)["message"] == "Hello log"
    assert settings_process(DEBUG="0", LOG_FORMAT="plain").stderr.strip().endswith("WARNING inclusion.check Hello log")


def test_an_unknown_log_format_is_refused():
    result = settings_process(DEBUG="0", LOG_FORMAT="xml")

    assert result.returncode != 0
    assert "LOG_FORMAT must be plain or json, not 'xml'" in result.stderr
