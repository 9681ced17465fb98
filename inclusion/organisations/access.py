"""The one place that decides who may see an organisation's data.

Every app loads an organisation-owned object for the current user through this module:
outsiders (and anonymous visitors) get 404, not 403, so that they cannot even learn that
something exists; members whose role is too low get 403. A view that accepts only some
methods answers 405 only to members (outsiders still get 404).

- ``membership_for(user, slug, role)``: an organisation's own pages.
- ``object_for_member(user, queryset, role, **lookup)``: anything with an ``organisation``
  foreign key (an assessment, a practice, a survey…), with the user's membership.
- ``member_view(...)``: the same as a view decorator.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import F, Model, QuerySet
from django.http import Http404, HttpResponseNotAllowed
from django.utils.translation import gettext as _

from .models import Membership, Organisation, Role


def _require_role(membership: Membership, role: str) -> None:
    if not membership.can(role):
        raise PermissionDenied(_("Your role in this organisation does not allow this."))


def _membership(user, organisation_filter: dict) -> Membership:
    if not user.is_authenticated:
        raise Http404("No such organisation")
    membership = Membership.objects.select_related("organisation").filter(user=user, **organisation_filter).first()
    if membership is None:
        raise Http404("No such organisation")
    return membership


def membership_for(user, organisation_slug: str, role: str = Role.VIEWER) -> Membership:
    """The user's membership of the organisation with that slug, at least `role`, or 404/403."""
    membership = _membership(user, {"organisation__slug": organisation_slug})
    _require_role(membership, role)
    return membership


def object_for_member(
    user, queryset: QuerySet | type[Model], role: str | None = Role.VIEWER, **lookup
) -> tuple[Model, Membership]:
    """(object, membership) for a member of the organisation that owns the object.

    404 when no object matches ``lookup``, when it belongs to no organisation, or when the
    user is not a member; 403 when the member's role is below ``role`` (``None``: any role,
    for views that check the method before the role).
    """
    # The object is looked up even for anonymous visitors (turned away after it), so that
    # every request answers the same way while the database is down: 503, not 404.
    if not isinstance(queryset, QuerySet):
        queryset = queryset._default_manager.all()
    if queryset.model is Organisation:
        organisation = queryset.filter(**lookup).first()
        if organisation is None:
            raise Http404("No such organisation")
        membership = _membership(user, {"organisation": organisation})
        obj = membership.organisation
    else:
        # One query: the object, its organisation and this user's membership of it (at most
        # one: a user has one membership per organisation). No row: not found or not a member.
        queryset = queryset.select_related("organisation").order_by()
        if user.is_authenticated:
            queryset = queryset.filter(organisation__memberships__user=user, **lookup).annotate(
                member_role=F("organisation__memberships__role"), membership_id=F("organisation__memberships__id")
            )
        else:
            queryset = queryset.filter(organisation__isnull=False, **lookup)
        obj = next(iter(queryset[:1]), None)
        if obj is None or not user.is_authenticated:
            raise Http404("Not found")
        membership = Membership(pk=obj.membership_id, user=user, organisation=obj.organisation, role=obj.member_role)
    if role is not None:
        _require_role(membership, role)
    return obj, membership


def member_view(
    queryset: QuerySet | type[Model],
    *,
    role: str = Role.VIEWER,
    url_kwarg: str = "pk",
    field: str = "pk",
    methods: Iterable[str] | None = None,
):
    """Decorate ``view(request, obj, membership, **kwargs)``: the object named by the URL
    keyword ``url_kwarg`` is loaded for this member first, so that outsiders get 404 from
    every method; then the method (405), then the role (403)."""
    allowed = list(methods) if methods is not None else None

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, **kwargs):
            value = kwargs.pop(url_kwarg)
            obj, membership = object_for_member(request.user, queryset, None, **{field: value})
            if allowed is not None and request.method not in allowed:
                return HttpResponseNotAllowed(allowed)
            _require_role(membership, role)
            return view(request, obj, membership, **kwargs)

        return wrapper

    return decorator
