"""Rate limits count in a cache shared by all workers, atomically: the database's by default
in production, or Redis."""

import subprocess
import sys

import pytest
from django.core.cache import cache
from django.db import connection

from bench.harness import ROOT, base_environment
from inclusion.core import ratelimit
from tests.redis_server import redis_url

SETTINGS = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"


def cache_backend(tmp_path, **environment) -> str:
    env = base_environment(workdir=tmp_path)
    env.pop("CACHE_URL", None)
    env.update(DJANGO_SETTINGS_MODULE="inclusion.settings", **environment)
    command = [sys.executable, "manage.py", "shell", "-c", SETTINGS]
    return subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.split()[-1]


def test_production_shares_the_database_cache_unless_cache_url_says_otherwise(tmp_path):
    assert cache_backend(tmp_path, DEBUG="0") == "inclusion.core.cache.DatabaseCache"
    assert cache_backend(tmp_path, DEBUG="0", CACHE_URL="redis://127.0.0.1:6379/0") == (
        "django.core.cache.backends.redis.RedisCache"
    )
    assert cache_backend(tmp_path, DEBUG="1") == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.django_db
def test_migrate_creates_the_cache_table():
    assert "inclusion_cache" in connection.introspection.table_names()


@pytest.fixture(params=["db", "redis"])
def shared_cache(request, settings):
    if request.param == "db":
        request.getfixturevalue("db")
        settings.CACHES = {"default": {"BACKEND": "inclusion.core.cache.DatabaseCache", "LOCATION": "inclusion_cache"}}
    else:
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url()}
        }
    cache.clear()
    yield request.param
    cache.clear()


def test_a_limit_of_n_admits_exactly_n(shared_cache):
    admitted = [ratelimit.allow("test", "192.0.2.7", 5, 600) for _ in range(12)]

    assert admitted == [True] * 5 + [False] * 7
    assert ratelimit.allow("test", "198.51.100.7", 5, 600) is True  # another network counts alone


def test_increment_counts_on_an_existing_value_and_refuses_a_missing_one(shared_cache):
    cache.add("counter", 0, timeout=60)

    assert [cache.incr("counter") for _ in range(3)] == [1, 2, 3]
    assert cache.incr("counter", 10) == 13
    with pytest.raises(ValueError):
        cache.incr("no-such-counter")


@pytest.mark.django_db
def test_an_expired_counter_starts_again(settings):
    settings.CACHES = {"default": {"BACKEND": "inclusion.core.cache.DatabaseCache", "LOCATION": "inclusion_cache"}}
    cache.add("counter", 5, timeout=60)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE inclusion_cache SET expires = %s", ["2000-01-01 00:00:00"])

    with pytest.raises(ValueError):
        cache.incr("counter")
    assert ratelimit.allow("test", "192.0.2.7", 1, 600) is True


@pytest.mark.django_db
def test_a_full_database_cache_culls_rendered_pages_and_keeps_the_limits(settings):
    # Django's own cull would take the first third of the keys in alphabetical order: the
    # counter and its salt (":1:feedback:…") before any page (":1:page:…").
    settings.CACHES = {
        "default": {
            "BACKEND": "inclusion.core.cache.DatabaseCache",
            "LOCATION": "inclusion_cache",
            "OPTIONS": {"MAX_ENTRIES": 20},
        }
    }
    cache.clear()
    cache.set("expired-note", "x", timeout=60)
    cache.set("small-note", "y", timeout=600)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE inclusion_cache SET expires = %s WHERE cache_key LIKE %s", ["2000-01-01", "%expired%"])
    assert [ratelimit.allow("feedback", "192.0.2.7", 3, 600) for _ in range(3)] == [True] * 3

    for number in range(60):  # rendered pages, each well over the counter's size
        cache.set(f"page:{number:03}", "<p>" + "rendered " * 1000 + "</p>", timeout=600)

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM inclusion_cache")
        (rows,) = cursor.fetchone()
    assert rows <= 21  # culled as it filled: at most one over the limit
    assert cache.get("expired-note") is None
    assert cache.get("small-note") == "y"
    assert ratelimit.allow("feedback", "192.0.2.7", 3, 600) is False  # the fourth is still refused
    assert cache.get("page:059") is not None  # the newest page was stored after the last cull


def test_the_production_database_cache_has_room_for_rendered_pages():
    from inclusion.settings import cache_from_url

    assert cache_from_url("db://inclusion_cache")["OPTIONS"] == {"MAX_ENTRIES": 5000}
    assert "OPTIONS" not in cache_from_url("redis://127.0.0.1:6379/0")
