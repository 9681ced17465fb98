from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "inclusion.assessments"
    verbose_name = "Self-assessments"
