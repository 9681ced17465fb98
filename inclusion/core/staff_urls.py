from django.urls import path

from . import staff_views

app_name = "staff"

urlpatterns = [
    path("usage/", staff_views.usage, name="usage"),
]
