from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "inclusion.core"
    verbose_name = "Core"
