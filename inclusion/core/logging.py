"""Structured logs: one JSON object per line, for a log collector to parse (LOG_FORMAT=json).

Only what an operator needs to see that something is wrong and where: time, level, logger,
message and, where a request is involved, its path, method, status and duration. Never IP
addresses, user agents, query strings or request bodies; secrets that travel in a URL path
(private links, invitations, password-reset and email-confirmation keys, survey tokens) are
masked, and a survey respondent's request is timed only to the day.
"""

import datetime
import json
import logging
import re

# Path segments that are themselves a key to something: whoever reads the log must not
# be able to open a private self-assessment or accept someone else's invitation with it.
SECRET_IN_PATH = re.compile(r"/(private|shared|invitations|confirm-email|reset/key)/[^/\s?#\"']+")
# Survey respondents' pages (/s/<token>/…): the token says which survey someone answered.
RESPONDENT_PATH = re.compile(r"(^|[\s\"'(])/s/[^/\s?#\"']+")
RESPONDENT_PREFIX = "/s/"
# PostgreSQL's DETAIL lines quote the offending values ("Key (email)=(…) already exists").
ERROR_DETAIL = re.compile(r"^DETAIL:.*$", re.MULTILINE)

REQUEST_FIELDS = ("path", "method", "status", "duration_ms")


def redact(text: str) -> str:
    text = RESPONDENT_PATH.sub(r"\1/s/…", text)
    return ERROR_DETAIL.sub("DETAIL: [redacted]", SECRET_IN_PATH.sub(r"/\1/[redacted]", text))


def is_respondent_request(record: logging.LogRecord) -> bool:
    """A record about a survey respondent's request: its time is kept only to the day."""
    path = getattr(record, "path", None)
    request = getattr(record, "request", None)
    if path is None and request is not None:
        path = getattr(request, "path", None)
    return isinstance(path, str) and path.startswith(RESPONDENT_PREFIX)


class PlainFormatter(logging.Formatter):
    """The usual one-line text format, with the same masking as the JSON one."""

    def formatTime(self, record, datefmt=None):
        if is_respondent_request(record):
            return datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).date().isoformat()
        return super().formatTime(record, datefmt)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JSONFormatter(logging.Formatter):
    """Formats a record as a single line of JSON.

    Request fields come from `extra={"path": …, "method": …, "status": …, "duration_ms": …}`
    (our request log) or from the `request` and `status_code` that Django's own
    django.request records carry.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).date().isoformat()
            if is_respondent_request(record)
            else datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["path"] = request.path
            entry["method"] = request.method
        if isinstance(getattr(record, "status_code", None), int):
            entry["status"] = record.status_code
        for field in REQUEST_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if "path" in entry:
            entry["path"] = redact(str(entry["path"]))
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exception"] = redact(record.exc_text)
        return json.dumps(entry, ensure_ascii=False, default=str)
