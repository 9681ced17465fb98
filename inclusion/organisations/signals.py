from django.dispatch import Signal

organisation_panels = Signal()
