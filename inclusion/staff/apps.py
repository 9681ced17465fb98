from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "inclusion.staff"
    verbose_name = "Staff"
