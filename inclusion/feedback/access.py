"""Who may open a survey's organisation pages, through organisations.access: outsiders get
404 on every method, members using another method 405, members whose role is too low 403."""

import functools

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.utils.translation import gettext as _

from inclusion.organisations.access import member_view, membership_for
from inclusion.organisations.models import Role

from .models import Survey

PAGE_METHODS = ("GET", "HEAD", "POST")


def organisation_view(role: str = Role.VIEWER):
    """``view(request, membership)`` for the URLs /<slug>/…: membership_for first (one query)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, slug, **kwargs):
            membership = membership_for(request.user, slug)
            if request.method not in PAGE_METHODS:
                return HttpResponseNotAllowed(PAGE_METHODS)
            if not membership.can(role):
                raise PermissionDenied(_("Your role in this organisation does not allow this."))
            return view(request, membership, **kwargs)

        return wrapper

    return decorator


def survey_view(role: str = Role.VIEWER, methods=PAGE_METHODS):
    """member_view for the URLs /<slug>/<survey_id>/…: ``view(request, survey, membership)``,
    where the survey must also belong to the organisation the URL names."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, slug, **kwargs):
            surveys = Survey.objects.filter(organisation__slug=slug)
            return member_view(surveys, role=role, url_kwarg="survey_id", methods=methods)(view)(request, **kwargs)

        return wrapper

    return decorator
