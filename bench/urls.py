from django.http import HttpResponse
from django.urls import path

from inclusion.urls import handler404, handler500  # noqa: F401
from inclusion.urls import urlpatterns as project_urlpatterns


def minimal(request):
    """The floor: the cheapest response Django can give through the full middleware stack."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal", minimal), *project_urlpatterns]
