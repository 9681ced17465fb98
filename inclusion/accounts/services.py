"""A person's own data: what we hold about them, and erasing their account.

Accounts sits in the top layer (docs/architecture.md): gathering what every app holds about
a person is its job, so it imports the domain apps' models, and none of them imports it
(they reach the user model through settings.AUTH_USER_MODEL).
"""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.utils.translation import gettext as _

from inclusion.assessments.models import Assessment
from inclusion.organisations.models import Membership, Role
from inclusion.practices.models import Rating


class AccountError(Exception):
    """A rule stopped the deletion; ``message`` is translated for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _iso(value):
    return value.isoformat() if isinstance(value, datetime.date | datetime.datetime) else value


def personal_data(user) -> dict:
    """Everything the platform holds about this person as a person (GDPR art. 15/20).

    What they wrote inside an organisation (answers, notes, practices) belongs to the
    organisation; it is listed by reference here, and exported in full by the organisation.
    """
    return {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "two_factor_methods": sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
        "memberships": [
            {
                "organisation": m.organisation.name,
                "slug": m.organisation.slug,
                "role": m.role,
                "since": _iso(m.created_at),
            }
            for m in Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")
        ],
        "self_assessments_started": [
            {"id": str(a.public_id), "title": a.title, "round": a.round_number, "created_at": _iso(a.created_at)}
            for a in Assessment.objects.filter(created_by=user).order_by("created_at")
        ],
        "practice_ratings": [
            {"practice": rating.practice_id, "scores": rating.scores, "evidence": rating.evidence}
            for rating in Rating.objects.filter(rater=user).order_by("pk")
        ],
    }


def organisations_blocking_deletion(user) -> list:
    """Organisations where this person is the only owner while others are members."""
    owned = Membership.objects.filter(user=user, role=Role.OWNER).select_related("organisation")
    blocking = []
    for membership in owned:
        members = membership.organisation.memberships
        if not members.exclude(user=user).filter(role=Role.OWNER).exists() and members.exclude(user=user).exists():
            blocking.append(membership.organisation)
    return blocking


def organisations_deleted_with(user) -> list:
    """Organisations where this person is the only member: they go with the account."""
    return [
        membership.organisation
        for membership in Membership.objects.filter(user=user).select_related("organisation")
        if membership.organisation.memberships.count() == 1
    ]


@transaction.atomic
def delete_account(user) -> None:
    blocking = organisations_blocking_deletion(user)
    if blocking:
        raise AccountError(
            _("You are the only owner of %(names)s. Make someone else an owner there first.")
            % {"names": ", ".join(organisation.name for organisation in blocking)}
        )
    for organisation in organisations_deleted_with(user):
        organisation.delete()
    user.delete()
