from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "inclusion.practices"
    verbose_name = "Good practices"
