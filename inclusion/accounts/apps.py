from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "inclusion.accounts"
    verbose_name = "Accounts"

    def ready(self):
        # The system checks, and the note taken at sign-in of whether the person moderates.
        from . import checks, middleware  # noqa: F401
