"""The one place that decides who may see an organisation's data.

Outsiders get 404 (not 403), so that they cannot even learn that something exists;
members whose role is too low get 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Membership, Organisation, Role


def membership_for(user, organisation_slug: str, role: str = Role.VIEWER) -> Membership:
    """The user's membership of the organisation with that slug, at least `role`, or 404/403."""
    if not user.is_authenticated:
        raise Http404("No such organisation")
    membership = (
        Membership.objects.select_related("organisation")
        .filter(user=user, organisation__slug=organisation_slug)
        .first()
    )
    if membership is None:
        raise Http404("No such organisation")
    if not membership.can(role):
        raise PermissionDenied("Your role in this organisation does not allow this")
    return membership


def organisation_for(user, organisation_slug: str, role: str = Role.VIEWER) -> Organisation:
    return membership_for(user, organisation_slug, role).organisation
