from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "inclusion.notifications"
    verbose_name = "Notifications"
