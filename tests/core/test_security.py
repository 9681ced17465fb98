"""Hardening: headers, production checks, sign-in rate limits."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_security_headers_on_every_page(client):
    response = client.get("/en/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_hsts_and_secure_cookies_when_configured(client, settings, db):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/en/accounts/login/", secure=True)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_production_settings_pass_check_deploy():
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a "production" check.
    env = {
        **{name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "SECRET_KEY": "x9$Kq2!vLm7#pR4@wZ8^tY1&uN6*eB3(hJ5)cF0_sD-aG+iO=lP{oQ}rS[tU]vW",
        "ALLOWED_HOSTS": "toolkit.example.org",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_COOKIES": "1",
        "SECURE_HSTS_PRELOAD": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_refuses_to_start_in_production():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {"DEBUG": "0"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.django_db
def test_failed_sign_ins_are_rate_limited(client):
    from django.core.cache import cache

    cache.clear()
    bodies = [
        client.post(
            "/en/accounts/login/", {"login": "nobody@example.org", "password": "wrong-password"}
        ).content.decode()
        for _ in range(6)
    ]
    assert "Too many failed login attempts" not in bodies[0]
    assert "Too many failed login attempts" in bodies[-1]
    cache.clear()


@pytest.mark.django_db
def test_password_reset_is_rate_limited(client):
    from django.core.cache import cache

    cache.clear()
    statuses = [
        client.post("/en/accounts/password/reset/", {"email": "someone@example.org"}).status_code for _ in range(8)
    ]
    assert 429 in statuses
    cache.clear()
