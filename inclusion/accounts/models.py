from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """Our own user model from the start, so that fields can be added without a migration
    of Django's auth tables. People sign in with their email address (django-allauth)."""
