from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "inclusion.assessments"
    verbose_name = "Self-assessments"

    def ready(self):
        from inclusion.organisations.models import Organisation
        from inclusion.organisations.signals import organisation_panels

        from .evidence import connect_signals
        from .panels import organisation_panel

        connect_signals()

        organisation_panels.connect(organisation_panel, sender=Organisation, dispatch_uid="assessments_panel")
