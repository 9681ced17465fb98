"""Middleware for running in production: a clear answer while the database is away, and a
short log line per request.

Also the logging filter that keeps such requests to that one line (settings.LOGGING uses it):
it belongs with the middleware that logs them, and keeps core.logging free of Django."""

import logging
import sys
import time

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from .logging import redact

logger = logging.getLogger("inclusion.database")
request_logger = logging.getLogger("inclusion.request")

RETRY_AFTER_SECONDS = 30
# Set on a request whose handling failed because the database could not be reached.
OUTAGE_ATTRIBUTE = "_database_outage"


def is_database_outage(error: BaseException | None) -> bool:
    """The database cannot serve us right now: it is down, restarting, refusing
    connections or closed ours (OperationalError, InterfaceError). OperationalError also
    covers lock and statement timeouts, for which "try again shortly" is the right answer
    too; broken queries (ProgrammingError) and constraint violations (IntegrityError) are
    bugs, and stay 500s.

    A database that cannot be read at all counts too: SQLite raises the plain DatabaseError
    (none of its subclasses) for a corrupt or overwritten file ("file is not a database",
    "database disk image is malformed"). Nobody can be served until it is restored, which
    is an outage, not a bug in a page."""
    return isinstance(error, OperationalError | InterfaceError) or type(error) is DatabaseError


def database_unavailable_response(request) -> HttpResponse:
    """503 with Retry-After: a standalone page (no database, no session, no context
    processors), or the API's JSON error shape under /api/."""
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "error": {
                    "code": "unavailable",
                    "message": "The service is temporarily unavailable. Please try again in a moment.",
                }
            },
            status=503,
        )
    else:
        response = HttpResponse(render_to_string("core/503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _remember_outage(sender, request=None, **kwargs):
    """Errors raised outside the view (loading the session or the user in another
    middleware's process_view, saving the session afterwards) never reach
    process_exception: Django turns them into a 500 further in. Note them on the request
    so that DatabaseUnavailableMiddleware can answer 503 instead."""
    error = sys.exc_info()[1]
    if request is not None and is_database_outage(error):
        setattr(request, OUTAGE_ATTRIBUTE, error)


got_request_exception.connect(_remember_outage, dispatch_uid="inclusion.core.middleware.remember_outage")


class SkipDatabaseOutageTracebacks(logging.Filter):
    """For django.request: drop the "Internal Server Error" traceback of a request that
    failed only because the database was away. DatabaseUnavailableMiddleware answers that
    request with a 503 and logs one line for it; a full traceback per request would flood
    the log during an outage."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and is_database_outage(record.exc_info[1]))


class DatabaseUnavailableMiddleware:
    """Answer 503 "try again shortly" instead of a 500 when the database cannot be reached.

    Goes near the top of MIDDLEWARE (above sessions and authentication, which need the
    database), so that it also sees the 500s that those produce.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        error = getattr(request, OUTAGE_ATTRIBUTE, None)
        if error is not None and response.status_code == 500:
            return self.unavailable(request, error)
        return response

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            return self.unavailable(request, exception)
        return None

    def unavailable(self, request, error: BaseException) -> HttpResponse:
        # The first line only: enough to tell "connection refused" from "too many clients".
        summary = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
        logger.error(
            "Database unavailable (%s: %s)",
            error.__class__.__name__,
            summary,
            extra={"path": redact(request.path), "method": request.method, "status": 503},
        )
        return database_unavailable_response(request)


class RequestLogMiddleware:
    """One INFO line per request: method, path, status and duration (no query string, no
    client address, no user agent). Static files are left out; so is the whole thing when
    INFO is not logged (the check costs next to nothing)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        if not request_logger.isEnabledFor(logging.INFO) or request.path.startswith(self.static_prefix):
            return self.get_response(request)
        began = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - began) * 1000, 1)
        request_logger.info(
            "%s %s %s",
            request.method,
            redact(request.path),
            response.status_code,
            extra={
                "path": redact(request.path),
                "method": request.method,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response
