from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "inclusion.api"
    verbose_name = "JSON API"

    def ready(self):
        from . import receivers  # noqa: F401 - revokes a person's tokens when their membership ends
