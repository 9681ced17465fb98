"""While the database is away: a clear 503 (page or API JSON), never a 500 traceback."""

import logging
import uuid

import pytest
from django.db import DatabaseError, InterfaceError, OperationalError, ProgrammingError, connection
from django.test import Client

from inclusion.core.middleware import DatabaseUnavailableMiddleware
from tests.factories import UserFactory

PAGE_HEADINGS = ("Pakalpojums īslaicīgi nav pieejams", "Service temporarily unavailable")


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails as it does when PostgreSQL refuses connections."""

    def refuse(error=None):
        error = error or OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

        def cursor(*args, **kwargs):
            raise error

        monkeypatch.setattr(connection, "cursor", cursor)

    return refuse


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    body = response.content.decode()
    for heading in PAGE_HEADINGS:
        assert heading in body
    assert "Traceback" not in body


@pytest.mark.django_db
def test_database_outage_in_a_view_answers_503_page(client, database_down, caplog):
    database_down()

    path = f"/en/assessments/{uuid.uuid4()}/"

    with caplog.at_level(logging.ERROR, logger="inclusion.database"):
        response = client.get(path)

    assert_unavailable_page(response)
    [record] = [r for r in caplog.records if r.name == "inclusion.database"]
    assert record.getMessage() == (
        'Database unavailable (OperationalError: connection to server at "127.0.0.1", port 5432 failed: '
        "Connection refused)"
    )
    assert (record.path, record.method, record.status) == (path, "GET", 503)


@pytest.mark.django_db
def test_database_outage_while_loading_the_session_answers_503_too(database_down, caplog):
    # A signed-in visitor's session and user are loaded by middleware before the view runs;
    # Django turns errors there into a 500 that process_exception never sees.
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    database_down()

    with caplog.at_level(logging.INFO):
        response = client.get("/en/organisations/")

    assert_unavailable_page(response)
    # One line from us, Django's one-line 503 notice, and no 500 traceback.
    assert [(r.name, r.levelname, r.getMessage()[:40], bool(r.exc_info)) for r in caplog.records] == [
        ("inclusion.database", "ERROR", "Database unavailable (OperationalError: ", False),
        ("inclusion.request", "INFO", "GET /en/organisations/ 503", False),
        ("django.request", "ERROR", "Service Unavailable: /en/organisations/", False),
    ]


@pytest.mark.django_db
def test_a_closed_connection_counts_as_an_outage(client, database_down):
    database_down(InterfaceError("connection already closed"))

    assert_unavailable_page(client.get(f"/en/assessments/{uuid.uuid4()}/"))


@pytest.mark.parametrize("message", ["file is not a database", "database disk image is malformed"])
@pytest.mark.parametrize("path", ["/en/organisations/", "/api/v1/organisation", "/en/"])
@pytest.mark.django_db
def test_a_corrupt_database_answers_503_on_signed_in_pages_and_the_api(database_down, message, path):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    database_down(DatabaseError(message))

    response = client.get(path, headers={"Authorization": "Bearer some-token"})

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"


@pytest.mark.django_db
def test_api_answers_json_while_the_database_is_away(client, database_down):
    database_down()

    response = client.get("/api/v1/organisation", headers={"Authorization": "Bearer some-token"})

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.json() == {
        "error": {
            "code": "unavailable",
            "message": "The service is temporarily unavailable. Please try again in a moment.",
        }
    }


@pytest.mark.django_db
def test_other_database_errors_stay_500(database_down):
    # A broken query is a bug to fix, not an outage to wait out.
    client = Client(raise_request_exception=False)
    database_down(ProgrammingError("relation does not exist"))

    response = client.get(f"/en/assessments/{uuid.uuid4()}/")

    assert response.status_code == 500
    assert "Radās kļūda" in response.content.decode()


def test_middleware_leaves_other_exceptions_alone(rf):
    middleware = DatabaseUnavailableMiddleware(lambda request: None)

    assert middleware.process_exception(rf.get("/en/"), ValueError("not ours")) is None
    assert_unavailable_page(middleware.process_exception(rf.get("/en/"), OperationalError("gone")))


def test_health_check_reports_the_outage(client, database_down):
    database_down()

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "OperationalError"}
