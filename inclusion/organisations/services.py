"""Organisations, memberships and invitations: the rules, as plain functions.

Views parse input, call one of these and render; they hold no rules of their own. Every
function that changes who belongs to an organisation takes the acting membership and checks
its role again here, so that the rules hold whichever view, command or API calls them.
"""

import unicodedata
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from inclusion.core.tokens import hash_token, new_token

from .models import Invitation, Membership, Organisation, Role

INVITATION_LIFETIME = timedelta(days=14)
SLUG_MAX_LENGTH = Organisation._meta.get_field("slug").max_length
# Paths under /organisations/ that are not organisations: a slug must never shadow them.
RESERVED_SLUGS = frozenset({"new", "invitations"})


class OrganisationError(Exception):
    """A rule stopped the change; `message` is translated and can be shown as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class LastOwnerError(OrganisationError):
    pass


class InvitationError(OrganisationError):
    pass


class InvitationNotFound(InvitationError):
    pass


class InvitationGone(InvitationError):
    """The invitation existed but can no longer be used: expired, withdrawn or used."""


class InvitationForAnotherAddress(InvitationError):
    """The invitation is valid, but for an address the signed-in person has not verified."""

    def __init__(self, invitation: Invitation):
        super().__init__(
            _(
                "This invitation was sent to %(email)s. Sign in with that address, or add it to your "
                "account and confirm it, to accept."
            )
            % {"email": invitation.email}
        )
        self.email = invitation.email


def _require_owner(by_membership: Membership, organisation: Organisation) -> None:
    if by_membership.organisation_id != organisation.pk or not by_membership.can(Role.OWNER):
        raise PermissionDenied("Only an owner of this organisation may do this")


def _is_last_owner(membership: Membership) -> bool:
    """Whether this membership is its organisation's only owner (locking the owners' rows)."""
    if membership.role != Role.OWNER:
        return False
    # FOR UPDATE cannot be combined with COUNT on PostgreSQL, hence the list.
    owners = list(
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Role.OWNER)
        .values_list("pk", flat=True)
    )
    return owners == [membership.pk]


def sort_key(name: str) -> str:
    """Sort names alphabetically whatever the database collation: "Ādaži" comes before "Rīga"."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold() + "\0" + name


def memberships_of(user) -> list[Membership]:
    """The user's memberships with their organisations and member counts, by organisation name."""
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .annotate(member_count=Count("organisation__memberships"))
    )
    return sorted(memberships, key=lambda membership: sort_key(membership.organisation.name))


def membership_of(user, organisation: Organisation) -> Membership | None:
    """The user's membership of the organisation, if any; not an access check (that is
    access.membership_for), just whether they already belong."""
    return Membership.objects.filter(user=user, organisation=organisation).first()


def editor_memberships(user) -> list[Membership]:
    """The memberships through which the user may create or change an organisation's work."""
    if not user.is_authenticated:
        return []
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    editable = [membership for membership in memberships if membership.can(Role.EDITOR)]
    return sorted(editable, key=lambda membership: sort_key(membership.organisation.name))


def unique_slug(name: str) -> str:
    """A slug for the name that no organisation uses yet: `name`, `name-2`, `name-3`, …"""
    base = slugify(name)[: SLUG_MAX_LENGTH - 6].strip("-") or "organisation"
    taken = set(Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    slug, counter = base, 1
    while slug in taken:
        counter += 1
        slug = f"{base}-{counter}"
    return slug


def create_organisation(
    user, name: str, kind: str, *, country: str = "", city: str = "", region: str = ""
) -> Organisation:
    """Create an organisation with `user` as its first owner."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                organisation = Organisation.objects.create(
                    name=name, slug=unique_slug(name), kind=kind, country=country.upper(), city=city, region=region
                )
                Membership.objects.create(user=user, organisation=organisation, role=Role.OWNER)
                return organisation
        except IntegrityError:
            # Someone else took the same slug between our check and our insert: try the next one.
            continue
    raise OrganisationError(_("The organisation could not be created. Please try again."))


def update_organisation(
    by_membership: Membership, *, name: str, kind: str, country: str = "", city: str = "", region: str = ""
) -> Organisation:
    """Change an organisation's details. The slug stays, so that links keep working."""
    organisation = by_membership.organisation
    _require_owner(by_membership, organisation)
    organisation.name = name
    organisation.kind = kind
    organisation.country = country.upper()
    organisation.city = city
    organisation.region = region
    organisation.save(update_fields=["name", "kind", "country", "city", "region"])
    return organisation


def invite(
    organisation: Organisation,
    by_membership: Membership,
    email: str,
    role: str,
    *,
    base_url: str,
    language: str | None = None,
) -> Invitation:
    """Invite `email` to join with `role` and send the link, in `language` (the current one by default).

    `base_url` is the scheme and host the link starts with (e.g. `https://toolkit.example.org`).
    An earlier unused invitation to the same address is withdrawn, so only the newest link works.
    The plain token exists only in the email; the returned invitation stores its hash.
    """
    _require_owner(by_membership, organisation)
    email = email.strip()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise InvitationError(_("%(email)s is already a member of this organisation.") % {"email": email})
    token = new_token()
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(
            organisation=organisation, email__iexact=email, accepted_at__isnull=True, revoked=False
        ).update(revoked=True)
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            token_hash=hash_token(token),
            invited_by=by_membership.user,
            expires_at=now + INVITATION_LIFETIME,
        )
    with translation.override(language or translation.get_language()):
        context = {
            "organisation": organisation,
            "invitation": invitation,
            "role": Role(role).label,
            "inviter": by_membership.user.get_full_name() or by_membership.user.email,
            "link": base_url.rstrip("/") + reverse("organisations:accept_invitation", args=[token]),
        }
        subject = " ".join(render_to_string("organisations/email/invitation_subject.txt", context).split())
        body = render_to_string("organisations/email/invitation_message.txt", context)
    send_mail(subject, body, None, [email])
    return invitation


def pending_invitation(token: str, *, lock: bool = False) -> Invitation:
    """The invitation for this token if it can still be accepted, else InvitationError.

    With `lock` (inside a transaction) the row stays locked, so that two simultaneous clicks
    on the same link accept it once.
    """
    invitations = Invitation.objects.select_related("organisation", "invited_by")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(token_hash=hash_token(token)).first()
    if invitation is None:
        raise InvitationNotFound(_("This invitation link is not valid. Please check that you copied all of it."))
    if invitation.revoked:
        raise InvitationGone(_("This invitation has been withdrawn. Ask the organisation for a new one."))
    if invitation.accepted_at is not None:
        raise InvitationGone(_("This invitation has already been used."))
    if invitation.expires_at <= timezone.now():
        raise InvitationGone(_("This invitation has expired. Ask the organisation for a new one."))
    return invitation


def is_addressed_to(invitation: Invitation, user) -> bool:
    """Whether `user` has confirmed the address the invitation was sent to: holding the link
    is not enough, since links get forwarded, pasted into chats and left in browser histories."""
    return EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists()


def accept_invitation(token: str, user) -> Membership:
    """Join the organisation with the invited role; an existing lower role is raised, never lowered.

    Only the person the invitation was sent to may accept it (a verified address of theirs)."""
    with transaction.atomic():
        invitation = pending_invitation(token, lock=True)
        if not is_addressed_to(invitation, user):
            raise InvitationForAnotherAddress(invitation)
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
        )
        if not created and Role(invitation.role).rank > Role(membership.role).rank:
            membership.role = invitation.role
            membership.save(update_fields=["role"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return membership


def pending_invitations(organisation: Organisation):
    """Invitations that can still be accepted, newest first."""
    return organisation.invitations.filter(accepted_at__isnull=True, revoked=False, expires_at__gt=timezone.now())


def revoke_invitation(by_membership: Membership, invitation: Invitation) -> None:
    _require_owner(by_membership, invitation.organisation)
    invitation.revoked = True
    invitation.save(update_fields=["revoked"])


def change_role(by_membership: Membership, membership: Membership, role: str) -> Membership:
    """Give a member another role. An organisation always keeps at least one owner."""
    _require_owner(by_membership, membership.organisation)
    role = Role(role)
    with transaction.atomic():
        if role != Role.OWNER and _is_last_owner(membership):
            raise LastOwnerError(
                _("%(name)s is the only owner. Make someone else an owner first.") % {"name": membership.user.email}
            )
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def remove_member(by_membership: Membership, membership: Membership) -> None:
    """Take someone out of the organisation. What they wrote stays with the organisation."""
    _require_owner(by_membership, membership.organisation)
    with transaction.atomic():
        if _is_last_owner(membership):
            raise LastOwnerError(
                _("%(name)s is the only owner and cannot be removed. Make someone else an owner first.")
                % {"name": membership.user.email}
            )
        membership.delete()


def leave(membership: Membership) -> None:
    """Leave an organisation. A member who leaves does not take the organisation's data along:
    only the membership goes; everything else belongs to the organisation."""
    with transaction.atomic():
        if _is_last_owner(membership):
            raise LastOwnerError(_("You are the only owner. Make someone else an owner before you leave."))
        membership.delete()


def delete_organisation(by_membership: Membership, confirmation: str) -> str:
    """Erase an organisation and everything it holds (self-assessments, practices, surveys
    and their responses, tokens). Only an owner may, typing the organisation's name to
    confirm. Members' accounts stay; they simply no longer belong to it."""
    organisation = by_membership.organisation
    if not by_membership.can(Role.OWNER):
        raise OrganisationError(_("Only an owner can delete the organisation."))
    if confirmation.strip() != organisation.name:
        raise OrganisationError(_("Type the organisation’s name exactly as it is written to confirm."))
    name = organisation.name
    organisation.delete()
    return name
