"""Who may open an assessment.

An organisation's assessment: its members (outsiders get 404, members below the role 403,
through organisations.access). An assessment started without an account: whoever opened
its private link in this browser session. The link itself is never stored: the session
remembers the link's hash, which is what the assessment stores too.
"""

import functools

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from inclusion.core.tokens import hash_token
from inclusion.organisations.access import object_for_member
from inclusion.organisations.models import Role

from .models import Assessment

SESSION_KEY = "unlocked_assessments"


def unlock(request, token: str) -> Assessment:
    """Open the latest round of the series that a private link belongs to, or 404."""
    token_hash = hash_token(token)
    latest = (
        Assessment.objects.filter(private_token_hash=token_hash, organisation__isnull=True)
        .order_by("-round_number")
        .first()
    )
    if latest is None:
        raise Http404("No such assessment")
    unlocked = request.session.get(SESSION_KEY, [])
    if token_hash not in unlocked:
        request.session[SESSION_KEY] = [*unlocked, token_hash][-20:]
    return latest


def assessment_for(request, public_id, role: str = Role.VIEWER) -> tuple[Assessment, bool]:
    """The assessment and whether this user may change it; 404 for anyone without access."""
    unlocked = request.session.get(SESSION_KEY, [])
    if unlocked:
        private = Assessment.objects.filter(
            public_id=public_id, organisation__isnull=True, private_token_hash__in=unlocked
        ).first()
        if private is not None:
            return private, True
    assessment, membership = object_for_member(request.user, Assessment, role, public_id=public_id)
    return assessment, membership.can(Role.EDITOR)


def with_assessment(view):
    """Load the assessment for this user before anything else, so that outsiders get 404
    from every URL and method (a POST-only view answers 405 only to those with access)."""

    @functools.wraps(view)
    def wrapper(request, public_id, **kwargs):
        assessment, can_edit = assessment_for(request, public_id)
        return view(request, assessment, can_edit, **kwargs)

    return wrapper


def require_edit(can_edit: bool) -> None:
    if not can_edit:
        raise PermissionDenied(_("Your role lets you read this self-assessment, not change it."))
