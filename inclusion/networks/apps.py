from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "inclusion.networks"
    verbose_name = "Networks"

    def ready(self):
        from inclusion.assessments.models import Assessment
        from inclusion.assessments.signals import summary_panels
        from inclusion.organisations.models import Organisation
        from inclusion.organisations.signals import organisation_panels
        from inclusion.practices.models import Practice
        from inclusion.practices.signals import library_scope as library_scope_signal

        from .panels import benchmarks_panel, library_scope, organisation_panel

        organisation_panels.connect(organisation_panel, sender=Organisation, dispatch_uid="networks_panel")
        summary_panels.connect(benchmarks_panel, sender=Assessment, dispatch_uid="networks_benchmarks")
        library_scope_signal.connect(library_scope, sender=Practice, dispatch_uid="networks_library_scope")
