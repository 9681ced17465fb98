"""The rules about organisations, members and invitations, called directly."""

import hashlib
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from inclusion.organisations import services
from inclusion.organisations.models import Invitation, Membership, Organisation, OrganisationKind, Role

from ..factories import MembershipFactory, UserFactory, membership_of

BASE_URL = "http://testserver"
TOKEN_IN_LINK = re.compile(r"http://testserver/(lv|en)/organisations/invitations/([A-Za-z0-9_-]+)/")


@pytest.fixture(autouse=True)
def _in_english():
    """Outside a request the default language (Latvian) is active; these tests read English."""
    with translation.override("en"):
        yield


def send_invitation(organisation, by_membership, email="new@example.org", role=Role.EDITOR, language="en"):
    """Invite and return (invitation, token), the token read from the email as a person would."""
    with translation.override(language):
        invitation = services.invite(organisation, by_membership, email, role, base_url=BASE_URL)
    token = TOKEN_IN_LINK.search(mail.outbox[-1].body).group(2)
    return invitation, token


# Creating organisations


def test_create_organisation_makes_the_creator_its_owner(db):
    user = UserFactory()

    organisation = services.create_organisation(
        user, "Rīgas pilsētas dome", OrganisationKind.AUTHORITY, country="lv", city="Rīga"
    )

    assert organisation.slug == "rigas-pilsetas-dome"
    assert (organisation.name, organisation.kind, organisation.country, organisation.city) == (
        "Rīgas pilsētas dome",
        "authority",
        "LV",
        "Rīga",
    )
    assert list(organisation.memberships.values_list("user", "role")) == [(user.pk, "owner")]


def test_create_organisation_slugs_are_unique(db):
    user = UserFactory()

    slugs = [services.create_organisation(user, "Skola", OrganisationKind.EDUCATION).slug for _ in range(3)]

    assert slugs == ["skola", "skola-2", "skola-3"]
    assert Organisation.objects.count() == 3


def test_create_organisation_never_takes_a_slug_the_urls_need(db):
    user = UserFactory()

    slugs = [services.create_organisation(user, name, OrganisationKind.OTHER).slug for name in ("New", "Invitations")]

    assert slugs == ["new-2", "invitations-2"]


def test_create_organisation_name_without_latin_letters_gets_a_generic_slug(db):
    user = UserFactory()

    first = services.create_organisation(user, "Громада", OrganisationKind.OTHER)
    second = services.create_organisation(user, "مجتمع", OrganisationKind.OTHER)

    assert (first.slug, second.slug) == ("organisation", "organisation-2")


def test_create_organisation_long_name_fits_the_slug(db):
    user = UserFactory()

    name = ("Biedrība " * 22).strip()  # 197 characters, the slug field holds 80

    first = services.create_organisation(user, name, OrganisationKind.NGO)
    second = services.create_organisation(user, name, OrganisationKind.NGO)

    assert len(second.slug) <= 80
    assert second.slug == f"{first.slug}-2"


# Invitations


def test_invite_sends_a_link_whose_token_is_stored_only_as_a_hash(owner_a, mailoutbox, org_a):
    invitation, token = send_invitation(org_a, membership_of(owner_a), "New@Example.org", Role.EDITOR)

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["New@Example.org"]
    assert message.subject == "Invitation to join Riga Welcome on Inclusion Toolkit"
    assert f"{BASE_URL}/en/organisations/invitations/{token}/" in message.body
    assert (
        "owner@a.example invites you to join Riga Welcome on Inclusion Toolkit with the role “Editor”." in message.body
    )
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = Invitation.objects.get()
    assert token not in {stored.token_hash, stored.email}
    assert (stored.role, stored.invited_by, stored.revoked, stored.accepted_at) == ("editor", owner_a, False, None)
    assert stored.expires_at - stored.created_at == pytest.approx(timedelta(days=14), abs=timedelta(seconds=5))


def test_invite_email_is_in_the_language_it_was_sent_in(owner_a, mailoutbox, org_a):
    send_invitation(org_a, membership_of(owner_a), language="lv")

    message = mailoutbox[0]
    assert message.subject == "Uzaicinājums pievienoties organizācijai Riga Welcome rīkā Inclusion Toolkit"
    assert TOKEN_IN_LINK.search(message.body).group(1) == "lv"


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_invite_by_a_member_below_owner_is_refused(org_a, role, mailoutbox):
    member = MembershipFactory(organisation=org_a, role=role)

    with pytest.raises(PermissionDenied):
        services.invite(org_a, member, "new@example.org", Role.VIEWER, base_url=BASE_URL)

    assert Invitation.objects.count() == 0
    assert mailoutbox == []


def test_invite_by_an_owner_of_another_organisation_is_refused(org_a, outsider, mailoutbox):
    with pytest.raises(PermissionDenied):
        services.invite(org_a, membership_of(outsider), "new@example.org", Role.VIEWER, base_url=BASE_URL)

    assert mailoutbox == []


def test_invite_of_an_existing_member_is_refused(owner_a, viewer_a, mailoutbox, org_a):
    with pytest.raises(services.InvitationError) as error:
        services.invite(org_a, membership_of(owner_a), "VIEWER@a.example", Role.EDITOR, base_url=BASE_URL)

    assert error.value.message == "VIEWER@a.example is already a member of this organisation."
    assert mailoutbox == []


def test_invite_again_withdraws_the_earlier_link(owner_a, mailoutbox, org_a):
    first, first_token = send_invitation(org_a, membership_of(owner_a))
    second, _second_token = send_invitation(org_a, membership_of(owner_a))

    first.refresh_from_db()
    assert first.revoked is True
    assert list(services.pending_invitations(org_a)) == [second]
    with pytest.raises(services.InvitationGone):
        services.accept_invitation(first_token, UserFactory())


# Accepting


def test_accept_invitation_makes_the_user_a_member_with_the_invited_role(owner_a, mailoutbox, org_a):
    invitation, token = send_invitation(org_a, membership_of(owner_a), role=Role.EDITOR)
    user = UserFactory(email="new@example.org")

    membership = services.accept_invitation(token, user)

    assert (membership.user, membership.organisation, membership.role) == (user, org_a, "editor")
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_accept_invitation_raises_a_lower_role(owner_a, viewer_a, mailoutbox, org_a):
    _invitation, token = send_invitation(
        org_a, membership_of(owner_a), email="viewer-at-home@example.org", role=Role.OWNER
    )
    EmailAddress.objects.create(user=viewer_a, email="viewer-at-home@example.org", verified=True)

    membership = services.accept_invitation(token, viewer_a)

    assert membership.pk == membership_of(viewer_a).pk
    assert Membership.objects.get(pk=membership_of(viewer_a).pk).role == "owner"
    assert Membership.objects.filter(organisation=org_a).count() == 2


def test_accept_invitation_never_lowers_a_role(owner_a, mailoutbox, org_a):
    second_owner = MembershipFactory(organisation=org_a, role=Role.OWNER)
    _invitation, token = send_invitation(org_a, membership_of(owner_a), email="Someone@example.org", role=Role.VIEWER)
    EmailAddress.objects.create(user=second_owner.user, email="someone@example.org", verified=True)

    services.accept_invitation(token, second_owner.user)

    assert Membership.objects.get(pk=second_owner.pk).role == "owner"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.OWNER])
def test_accept_invitation_by_someone_else_holding_the_link_fails(owner_a, org_a, mailoutbox, role):
    invitation, token = send_invitation(org_a, membership_of(owner_a), email="new@example.org", role=role)
    somebody_else = UserFactory(email="somebody@example.org")

    with pytest.raises(services.InvitationForAnotherAddress) as error:
        services.accept_invitation(token, somebody_else)

    assert error.value.message == (
        "This invitation was sent to new@example.org. Sign in with that address, or add it to your account "
        "and confirm it, to accept."
    )
    assert not Membership.objects.filter(user=somebody_else).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accept_invitation_needs_the_invited_address_confirmed(owner_a, org_a, mailoutbox):
    _invitation, token = send_invitation(org_a, membership_of(owner_a), email="new@example.org")
    holder = UserFactory(email="holder@example.org")
    address = EmailAddress.objects.create(user=holder, email="NEW@example.org", verified=False)

    with pytest.raises(services.InvitationForAnotherAddress):
        services.accept_invitation(token, holder)

    address.verified = True
    address.save()
    assert services.accept_invitation(token, holder).organisation == org_a


def test_accept_invitation_after_it_expired_fails(owner_a, mailoutbox, org_a):
    invitation, token = send_invitation(org_a, membership_of(owner_a))
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(services.InvitationGone) as error:
        services.accept_invitation(token, UserFactory())

    assert error.value.message == "This invitation has expired. Ask the organisation for a new one."
    assert Membership.objects.filter(organisation=org_a).count() == 1


def test_accept_invitation_after_it_was_withdrawn_fails(owner_a, mailoutbox, org_a):
    invitation, token = send_invitation(org_a, membership_of(owner_a))
    services.revoke_invitation(membership_of(owner_a), invitation)

    with pytest.raises(services.InvitationGone) as error:
        services.accept_invitation(token, UserFactory())

    assert error.value.message == "This invitation has been withdrawn. Ask the organisation for a new one."
    assert Membership.objects.filter(organisation=org_a).count() == 1


def test_accept_invitation_twice_fails(owner_a, mailoutbox, org_a):
    _invitation, token = send_invitation(org_a, membership_of(owner_a), role=Role.EDITOR)
    services.accept_invitation(token, UserFactory(email="new@example.org"))
    somebody_else = UserFactory()
    EmailAddress.objects.create(user=somebody_else, email="new@example.org", verified=False)

    with pytest.raises(services.InvitationGone) as error:
        services.accept_invitation(token, somebody_else)

    assert error.value.message == "This invitation has already been used."
    assert not Membership.objects.filter(user=somebody_else).exists()


@pytest.mark.parametrize("wrong", ["", "x", "not-a-token", "A" * 43])
def test_accept_invitation_with_a_wrong_token_fails(owner_a, mailoutbox, wrong, org_a):
    _invitation, token = send_invitation(org_a, membership_of(owner_a))

    with pytest.raises(services.InvitationNotFound):
        services.accept_invitation(wrong, UserFactory())
    with pytest.raises(services.InvitationNotFound):
        services.accept_invitation(token[:-1], UserFactory())


def test_accept_invitation_with_the_stored_hash_instead_of_the_token_fails(owner_a, mailoutbox, org_a):
    invitation, _token = send_invitation(org_a, membership_of(owner_a))

    with pytest.raises(services.InvitationNotFound):
        services.accept_invitation(invitation.token_hash, UserFactory())


def test_revoke_invitation_by_a_non_owner_is_refused(owner_a, editor_a, mailoutbox, org_a):
    invitation, _token = send_invitation(org_a, membership_of(owner_a))

    with pytest.raises(PermissionDenied):
        services.revoke_invitation(membership_of(editor_a), invitation)

    invitation.refresh_from_db()
    assert invitation.revoked is False


# Roles and the last-owner rule


def test_change_role_by_an_owner(owner_a, viewer_a):
    services.change_role(membership_of(owner_a), membership_of(viewer_a), Role.EDITOR)

    assert Membership.objects.get(pk=membership_of(viewer_a).pk).role == "editor"


def test_change_role_cannot_demote_the_last_owner(owner_a, viewer_a):
    with pytest.raises(services.LastOwnerError) as error:
        services.change_role(membership_of(owner_a), membership_of(owner_a), Role.EDITOR)

    assert error.value.message == "owner@a.example is the only owner. Make someone else an owner first."
    assert Membership.objects.get(pk=membership_of(owner_a).pk).role == "owner"


def test_change_role_can_demote_an_owner_when_another_remains(owner_a, viewer_a, org_a):
    services.change_role(membership_of(owner_a), membership_of(viewer_a), Role.OWNER)

    services.change_role(membership_of(owner_a), membership_of(owner_a), Role.VIEWER)

    roles = dict(Membership.objects.filter(organisation=org_a).values_list("user__email", "role"))
    assert roles == {"owner@a.example": "viewer", "viewer@a.example": "owner"}


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_change_role_by_a_non_owner_is_refused(org_a, owner_a, role):
    member = MembershipFactory(organisation=org_a, role=role)

    with pytest.raises(PermissionDenied):
        services.change_role(member, member, Role.OWNER)

    assert Membership.objects.get(pk=member.pk).role == role


def test_change_role_in_another_organisation_is_refused(owner_a, outsider):
    with pytest.raises(PermissionDenied):
        services.change_role(membership_of(outsider), membership_of(owner_a), Role.VIEWER)

    assert Membership.objects.get(pk=membership_of(owner_a).pk).role == "owner"


def test_remove_member_by_an_owner(owner_a, editor_a, org_a):
    services.remove_member(membership_of(owner_a), membership_of(editor_a))

    assert list(Membership.objects.filter(organisation=org_a)) == [membership_of(owner_a)]


def test_remove_member_cannot_remove_the_last_owner(owner_a, editor_a):
    with pytest.raises(services.LastOwnerError):
        services.remove_member(membership_of(owner_a), membership_of(owner_a))

    assert Membership.objects.filter(pk=membership_of(owner_a).pk).exists()


def test_remove_member_by_an_editor_is_refused(owner_a, editor_a, viewer_a):
    with pytest.raises(PermissionDenied):
        services.remove_member(membership_of(editor_a), membership_of(viewer_a))

    assert Membership.objects.filter(pk=membership_of(viewer_a).pk).exists()


# Leaving


def test_leave_keeps_the_organisations_data(owner_a, mailoutbox, org_a):
    second_owner = MembershipFactory(organisation=org_a, role=Role.OWNER, user__email="two@example.org")
    invitation, _token = send_invitation(org_a, second_owner)
    leaving_user = second_owner.user

    services.leave(second_owner)

    assert Organisation.objects.filter(pk=org_a.pk).exists()
    assert list(Membership.objects.filter(organisation=org_a)) == [membership_of(owner_a)]
    assert list(Invitation.objects.all()) == [invitation]
    invitation.refresh_from_db()
    assert (invitation.organisation, invitation.invited_by) == (org_a, leaving_user)
    assert type(leaving_user).objects.filter(pk=leaving_user.pk).exists()


def test_leave_as_the_last_owner_is_refused(owner_a, viewer_a):
    with pytest.raises(services.LastOwnerError) as error:
        services.leave(membership_of(owner_a))

    assert error.value.message == "You are the only owner. Make someone else an owner before you leave."
    assert Membership.objects.filter(pk=membership_of(owner_a).pk).exists()


def test_leave_as_a_viewer(owner_a, viewer_a, org_a):
    services.leave(membership_of(viewer_a))

    assert list(Membership.objects.filter(organisation=org_a)) == [membership_of(owner_a)]


def test_deleting_a_user_keeps_the_invitations_they_sent(owner_a, mailoutbox, org_a):
    second_owner = MembershipFactory(organisation=org_a, role=Role.OWNER)
    invitation, _token = send_invitation(org_a, second_owner)

    second_owner.user.delete()

    invitation.refresh_from_db()
    assert (invitation.organisation, invitation.invited_by) == (org_a, None)


def test_update_organisation_keeps_the_slug(owner_a):
    organisation = services.update_organisation(
        membership_of(owner_a), name="Jelgavas dome", kind=OrganisationKind.AUTHORITY
    )

    organisation.refresh_from_db()
    assert (organisation.name, organisation.slug) == ("Jelgavas dome", "riga-welcome")


def test_update_organisation_by_an_editor_is_refused(owner_a, editor_a):
    with pytest.raises(PermissionDenied):
        services.update_organisation(membership_of(editor_a), name="Other", kind=OrganisationKind.OTHER)

    assert Organisation.objects.get().name == "Riga Welcome"
