from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "inclusion.accounts"
    verbose_name = "Accounts"

    def ready(self):
        # The system checks, the note taken at sign-in of whether the person moderates, and
        # the erasure of a deleted account's addresses.
        from . import checks, deletion, middleware  # noqa: F401
