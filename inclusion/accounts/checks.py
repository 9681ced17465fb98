"""System checks for the two settings this app depends on (`manage.py check` reports them)."""

from django.conf import settings
from django.core.checks import Warning, register

MIDDLEWARE = "inclusion.accounts.middleware.StaffRequireMFAMiddleware"
ACCOUNT_MIDDLEWARE = "allauth.account.middleware.AccountMiddleware"


@register()
def check_accounts_settings(app_configs, **kwargs):
    problems = []
    apps = list(settings.INSTALLED_APPS)
    if "allauth" in apps and "inclusion.accounts" in apps and apps.index("inclusion.accounts") > apps.index("allauth"):
        problems.append(
            Warning(
                "django-allauth's pages do not use the site layout.",
                hint='Put "inclusion.accounts" before "allauth" in INSTALLED_APPS, so that the templates in '
                "inclusion/accounts/templates/allauth/ replace allauth's own.",
                id="accounts.W001",
            )
        )
    middleware = list(settings.MIDDLEWARE)
    if MIDDLEWARE not in middleware or (
        ACCOUNT_MIDDLEWARE in middleware and middleware.index(MIDDLEWARE) < middleware.index(ACCOUNT_MIDDLEWARE)
    ):
        problems.append(
            Warning(
                "Platform staff are not required to use two-factor authentication.",
                hint=f'Add "{MIDDLEWARE}" to MIDDLEWARE after "{ACCOUNT_MIDDLEWARE}".',
                id="accounts.W002",
            )
        )
    return problems
