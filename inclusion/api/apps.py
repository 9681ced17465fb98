from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "inclusion.api"
    verbose_name = "JSON API"
