from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "inclusion.feedback"
    verbose_name = "Beneficiary feedback"
