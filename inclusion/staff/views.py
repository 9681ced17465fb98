"""Pages for platform staff only. Everyone else gets 404: the pages do not exist for them."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .usage import RECENT_DAYS, count_usage


def _require_staff(request) -> None:
    if not (request.user.is_authenticated and request.user.is_active and request.user.is_staff):
        raise Http404("No such page")


@never_cache
def usage(request):
    _require_staff(request)
    return render(request, "staff/usage.html", {"usage": count_usage(), "recent_days": RECENT_DAYS})
