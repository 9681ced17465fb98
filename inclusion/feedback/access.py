"""Who may open a survey's organisation pages: members only, through organisations.access
(outsiders 404 before anything else, members whose role is too low 403)."""

import functools

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.utils.translation import gettext as _

from inclusion.organisations.access import membership_for
from inclusion.organisations.models import Role

from .models import Survey


def with_membership(role: str = Role.VIEWER, methods=("GET", "HEAD", "POST")):
    """Load the membership (404 for outsiders, on every method) before the method check."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, slug, **kwargs):
            membership = membership_for(request.user, slug)
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            if not membership.can(role):
                raise PermissionDenied(_("Your role in this organisation does not allow this."))
            return view(request, membership, **kwargs)

        return wrapper

    return decorator


def with_survey(role: str = Role.VIEWER, methods=("GET", "HEAD", "POST")):
    """As with_membership, and the survey must belong to that organisation (else 404)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, slug, survey_id, **kwargs):
            membership = membership_for(request.user, slug)
            survey = Survey.objects.filter(pk=survey_id, organisation=membership.organisation).first()
            if survey is None:
                raise Http404("No such survey")
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            if not membership.can(role):
                raise PermissionDenied(_("Your role in this organisation does not allow this."))
            survey.organisation = membership.organisation
            return view(request, membership, survey, **kwargs)

        return wrapper

    return decorator
