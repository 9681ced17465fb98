"""The health check before each request's first query: no round trip for a connection that is
still open, a fresh connection for one the server closed (inclusion.core.postgresql)."""

import time

import psycopg
import pytest
from django.core.signals import request_started
from django.db import connection, connections

from inclusion.core.postgresql.base import has_pending_input

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the health check is PostgreSQL's (SQLite has no connection to lose)")
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]


@pytest.fixture
def full_checks(postgresql, monkeypatch):
    """Counts Django's own check (SELECT 1 on the connection) as it runs."""
    calls = []
    wrapper = type(connections["default"])
    usable = wrapper.is_usable

    def counted(self):
        calls.append(self.connection.info.backend_pid)
        return usable(self)

    monkeypatch.setattr(wrapper, "is_usable", counted)
    return calls


def next_request():
    request_started.send(sender=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_an_open_connection_is_reused_without_a_round_trip(full_checks):
    first = next_request()
    assert next_request() == first
    assert next_request() == first
    assert full_checks == []


def test_a_connection_the_server_closed_is_replaced_before_the_request_uses_it(full_checks):
    closed = next_request()
    settings = connection.get_connection_params()
    with psycopg.connect(**{**settings, "autocommit": True}) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [closed]).fetchone() == (True,)
    socket = connection.connection.fileno()
    deadline = time.monotonic() + 10
    while not has_pending_input(socket) and time.monotonic() < deadline:
        time.sleep(0.01)

    replacement = next_request()  # no OperationalError: the check saw the closed socket

    assert replacement != closed
    assert full_checks == [closed]
