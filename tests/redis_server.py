"""REDIS_URL for the tests that run against Redis: skipped without it, except in CI
(CI=true), where .ci/run starts Debian's redis-server and these tests must run."""

import os

import pytest


def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the rate limits against Redis: REDIS_URL is not set (see .ci/run)")
        pytest.skip("REDIS_URL is not set (start redis-server and set it to run these tests)")
    return url
