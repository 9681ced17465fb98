import os

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from inclusion.core import ratelimit
from inclusion.urls import handler404, handler500  # noqa: F401
from inclusion.urls import urlpatterns as project_urlpatterns

# The limit of the rate-limit probe (tests/faults/test_rate_limits.py sets it).
PROBE_LIMIT = int(os.environ.get("BENCH_RATE_LIMIT", "30"))


def minimal(request):
    """The floor: the cheapest response Django can give through the full middleware stack."""
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt  # like the survey form it stands for: anonymous, no cookie
def rate_limited(request):
    """One count under the "probe" limit, as the survey form counts a response: 200 while
    admitted, 429 after. The shared counter is what is measured, not a page."""
    admitted = ratelimit.allow("probe", ratelimit.client_address(request), PROBE_LIMIT, 600)
    return HttpResponse("ok" if admitted else "limited", content_type="text/plain", status=200 if admitted else 429)


urlpatterns = [path("bench/minimal", minimal), path("bench/ratelimit", rate_limited), *project_urlpatterns]


def access_only(request, public_id):
    """A member's page that runs only the access check of an assessment's pages (the summary's
    floor: tells the page's own cost from the check's)."""
    from inclusion.assessments.access import assessment_for

    assessment_for(request, public_id)
    return HttpResponse("ok", content_type="text/plain")


urlpatterns.insert(0, path("bench/access/<uuid:public_id>", access_only))
