import copy
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

import inclusion.accounts
from inclusion.accounts.checks import ACCOUNT_MIDDLEWARE, MIDDLEWARE

ACCOUNTS_TEMPLATES = Path(inclusion.accounts.__file__).parent / "templates"


@pytest.fixture(autouse=True)
def _accounts_settings(settings):
    """The settings the accounts app needs (system checks accounts.W001 and W002), applied here
    for as long as inclusion/settings.py lacks them, so that these tests run the intended set-up."""
    if MIDDLEWARE not in settings.MIDDLEWARE:
        middleware = list(settings.MIDDLEWARE)
        middleware.insert(middleware.index(ACCOUNT_MIDDLEWARE) + 1, MIDDLEWARE)
        settings.MIDDLEWARE = middleware
    apps = list(django_settings.INSTALLED_APPS)
    if apps.index("inclusion.accounts") > apps.index("allauth"):
        # Same effect as listing inclusion.accounts before allauth: our allauth/ templates win.
        templates = copy.deepcopy(settings.TEMPLATES)
        templates[0]["DIRS"] = [ACCOUNTS_TEMPLATES, *templates[0]["DIRS"]]
        settings.TEMPLATES = templates


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts sign-in attempts in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()
