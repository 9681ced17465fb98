from django.apps import AppConfig


class HandbookConfig(AppConfig):
    name = "inclusion.handbook"
    verbose_name = "Handbook"
