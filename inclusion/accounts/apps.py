from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "inclusion.accounts"
    verbose_name = "Accounts"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
