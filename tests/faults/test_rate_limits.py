"""A limit of N admits exactly N across 4 gunicorn workers, one client at a time and with 8
clients at once: the count lives in a cache all workers share and grows atomically. The
sign-in limits (django-allauth, 5 wrong passwords per address in 5 minutes) count there too."""

import http.client
import threading

import pytest

from bench.harness import base_environment, manage, production_server
from tests.redis_server import redis_url

from .conftest import SKIP_ON_POSTGRES_PASS, Browser

pytestmark = [pytest.mark.faults, SKIP_ON_POSTGRES_PASS]

LIMIT = 30
WORKERS = 4


def probe(address: str, network: str) -> int:
    host, port = address.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        # Behind the proxy of a production set-up, the proxy names the client last.
        connection.request("POST", "/bench/ratelimit", headers={"X-Forwarded-For": network})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def admitted(address: str, network: str, clients: int, requests_each: int) -> tuple[int, list[int]]:
    statuses: list[int] = []
    lock = threading.Lock()

    def client():
        for _ in range(requests_each):
            status = probe(address, network)
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses.count(200), sorted(set(statuses))


def wrong_logins_checked(address: str, email: str, network: str, clients: int, attempts_each: int) -> int:
    """How many wrong passwords were checked, not refused as "too many" (allauth: 5 per 5 minutes per address)."""
    checked = []
    lock = threading.Lock()

    def client():
        browser = Browser(address, timeout=30)
        browser.request("GET", "/en/accounts/login/", headers={"X-Forwarded-For": network})
        for _ in range(attempts_each):
            form = {"login": email, "password": "not the password"}
            _status, _headers, body = browser.request(
                "POST", "/en/accounts/login/", form, headers={"X-Forwarded-For": network}
            )
            assert "Too many failed login attempts" in body or "are not correct" in body, body[:300]
            with lock:
                checked.append("are not correct" in body)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(checked)


def run_against(env) -> dict:
    env.update(BEHIND_PROXY="1", BENCH_RATE_LIMIT=str(LIMIT))
    manage(env, "migrate", "--no-input")  # creates the cache table too: no other step
    for email in ("one@example.org", "eight@example.org"):
        manage(
            env,
            "shell",
            "-c",
            f"from inclusion.accounts.models import User; User.objects.create_user('{email}', '{email}', 'x' * 20)",
        )
    with production_server(env, workers=WORKERS) as (address, _process):
        return {
            1: admitted(address, "192.0.2.1", clients=1, requests_each=2 * LIMIT),
            8: admitted(address, "198.51.100.1", clients=8, requests_each=LIMIT // 2),
            "logins 1": wrong_logins_checked(address, "one@example.org", "203.0.113.1", clients=1, attempts_each=9),
            "logins 8": wrong_logins_checked(address, "eight@example.org", "203.0.113.2", clients=8, attempts_each=1),
        }


def assert_limits_held(results):
    assert (results[1], results[8]) == ((LIMIT, [200, 429]), (LIMIT, [200, 429]))
    assert results["logins 1"] == 5
    # allauth refuses when it cannot take its counter's lock within a second, so parallel
    # attempts can be refused early: never more than the limit, though.
    assert 1 <= results["logins 8"] <= 5


def test_database_cache_admits_exactly_the_limit(tmp_path):
    env = base_environment(workdir=tmp_path)
    env.pop("CACHE_URL", None)  # the production default: the database's cache table

    results = run_against(env)

    print(f"database cache, {WORKERS} workers, limit {LIMIT}: admitted {results}")
    assert_limits_held(results)


def test_redis_admits_exactly_the_limit(tmp_path):
    import redis

    url = redis_url()
    redis.Redis.from_url(url).flushdb()
    env = base_environment(workdir=tmp_path)
    env["CACHE_URL"] = url

    results = run_against(env)

    print(f"Redis, {WORKERS} workers, limit {LIMIT}: admitted {results}")
    assert_limits_held(results)
