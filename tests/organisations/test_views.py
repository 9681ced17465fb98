"""Organisation pages as a person uses them, in both languages, with bounded queries."""

import re
from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from inclusion.organisations.models import Invitation, Membership, Organisation, Role

from ..conftest import LANGUAGES
from ..factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory, membership_of

LINK = re.compile(r"http://testserver(/(?:lv|en)/organisations/invitations/[A-Za-z0-9_-]+/)")


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"organisations:{name}", kwargs=kwargs)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def as_owner(client, owner_a):
    client.force_login(owner_a)
    return client


# Dashboard


def test_dashboard_lists_the_users_organisations_with_role(client, owner_a, outsider):
    other = MembershipFactory(user=owner_a, role=Role.VIEWER, organisation__name="Ādažu skola")
    client.force_login(owner_a)

    body = client.get(url("dashboard")).content.decode()

    assert re.findall(r'<th scope="row"><a href="/en/organisations/([\w-]+)/">([^<]+)</a></th>', body) == [
        (other.organisation.slug, "Ādažu skola"),
        ("riga-welcome", "Riga Welcome"),
    ]
    assert "<td>Owner</td>" in body
    assert "<td>Viewer</td>" in body
    assert "Elsewhere" not in body
    assert f'href="{url("create")}"' in body


def test_dashboard_without_organisations_invites_to_create_one(client, db):
    client.force_login(UserFactory())

    body = client.get(url("dashboard")).content.decode()

    assert "You do not belong to an organisation yet." in body
    assert '<table class="data">' not in body


@pytest.mark.parametrize("count", [1, 10])
def test_dashboard_queries_do_not_grow_with_organisations(client, db, count, django_assert_num_queries):
    user = UserFactory()
    for number in range(count):
        organisation = OrganisationFactory()
        MembershipFactory(user=user, organisation=organisation, role=Role.OWNER)
        MembershipFactory.create_batch(number % 3, organisation=organisation)
    client.force_login(user)

    # session, user, the memberships with organisations and member counts
    with django_assert_num_queries(3):
        response = client.get(url("dashboard"))

    assert response.content.decode().count('<th scope="row">') == count


# Creating and editing


def test_create_organisation_makes_the_user_owner(client, db):
    user = UserFactory()
    client.force_login(user)

    response = client.post(url("create"), {"name": "  Rīgas   dome ", "kind": "authority", "country": "lv", "city": ""})

    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == url("detail", slug="rigas-dome")
    assert (organisation.name, organisation.kind, organisation.country) == ("Rīgas dome", "authority", "LV")
    assert Membership.objects.get().role == "owner"
    assert messages_of(response) == ["Rīgas dome has been created. You are its owner."]


def test_create_organisation_form_errors_keep_what_was_typed(client, db):
    client.force_login(UserFactory())

    response = client.post(url("create"), {"name": "Mana biedrība", "kind": "", "country": "Latvia"})

    body = response.content.decode()
    assert response.status_code == 200
    assert Organisation.objects.count() == 0
    assert '<div class="error-summary" role="alert" aria-labelledby="error-summary-title">' in body
    assert '<a href="#id_kind_0">Kind of organisation: This field is required.</a>' in body
    assert '<a href="#id_country">Country (optional): Ensure this value has at most 2 characters' in body
    assert 'value="Mana biedrība"' in body
    assert 'value="Latvia"' in body
    assert 'aria-invalid="true"' in body
    assert '<ul class="errorlist" id="id_kind_error">' in body
    assert "<title>Error: Create an organisation · Inclusion Toolkit</title>" in body


def test_edit_organisation_by_owner(as_owner, owner_a, org_a):
    response = as_owner.post(
        url("edit", slug=org_a.slug), {"name": "Jelgavas dome", "kind": "authority", "city": "Jelgava"}
    )

    organisation = Organisation.objects.get(pk=org_a.pk)
    assert response.status_code == 302
    assert (organisation.name, organisation.city, organisation.slug) == (
        "Jelgavas dome",
        "Jelgava",
        "riga-welcome",
    )


def test_edit_organisation_errors_leave_the_organisation_unchanged(as_owner, owner_a, org_a):
    response = as_owner.post(url("edit", slug=org_a.slug), {"name": " ", "kind": "authority"})

    assert response.status_code == 200
    assert Organisation.objects.get(pk=org_a.pk).name == "Riga Welcome"
    assert '<p class="eyebrow">Riga Welcome</p>' in response.content.decode()


def test_edit_form_shows_the_current_details(as_owner, owner_a, org_a):
    body = as_owner.get(url("edit", slug=org_a.slug)).content.decode()

    assert 'value="Riga Welcome"' in body
    assert re.search(r'<input type="radio" name="kind" value="authority"[^>]* checked', body)


def test_detail_shows_the_organisation_and_the_assessments_panel(client, owner_a, viewer_a, org_a):
    client.force_login(viewer_a)

    response = client.get(url("detail", slug=org_a.slug))

    body = response.content.decode()
    assert "<h1>Riga Welcome</h1>" in body
    assert "Local or regional authority" in body
    assert "2 members" in body
    assert url("edit", slug=org_a.slug) not in body
    assert "assessments/_organisation_panel.html" in [template.name for template in response.templates]
    assert (response.context["organisation"], response.context["membership"]) == (org_a, membership_of(viewer_a))


# Members and invitations


def test_members_page_for_a_viewer_has_no_owner_controls(client, owner_a, viewer_a, org_a):
    client.force_login(viewer_a)

    body = client.get(url("members", slug=org_a.slug)).content.decode()

    assert "owner@a.example" in body
    assert "viewer@a.example" in body
    assert "/role/" not in body
    assert "/remove/" not in body
    assert "Invite someone" not in body


def test_invite_from_the_members_page_sends_a_working_link(client, as_owner, owner_a, mailoutbox, org_a):
    response = as_owner.post(url("members", slug=org_a.slug), {"email": "new@example.org", "role": "editor"})

    assert response.status_code == 302
    assert messages_of(response) == ["An invitation has been sent to new@example.org."]
    assert len(mailoutbox) == 1
    link = LINK.search(mailoutbox[0].body).group(1)
    assert link.startswith("/en/organisations/invitations/")

    newcomer = UserFactory(email="new@example.org")
    client.force_login(newcomer)
    page = client.get(link)
    assert page.status_code == 200
    assert "You have been invited to join Riga Welcome with the role “Editor”." in page.content.decode()

    accepted = client.post(link)
    assert accepted.status_code == 302
    assert accepted.headers["Location"] == url("detail", slug=org_a.slug)
    assert Membership.objects.get(user=newcomer).role == "editor"
    assert client.get(link).status_code == 410


@pytest.mark.parametrize(
    ("language", "invited", "why"),
    [
        (
            "en",
            "owner@a.example has invited you to join Riga Welcome on Inclusion Toolkit, with the role “Viewer”.",
            "Why you need an account:",
        ),
        (
            "lv",
            "owner@a.example jūs aicina pievienoties organizācijai Riga Welcome rīkā Inclusion Toolkit"
            " ar lomu “Lasītājs”.",
            "Kāpēc vajadzīgs konts:",
        ),
    ],
)
def test_invitation_link_tells_anonymous_visitors_who_invited_them_and_why_to_sign_in(
    client, owner_a, org_a, mailoutbox, language, invited, why
):
    client.force_login(owner_a)
    client.post(url("members", slug=org_a.slug), {"email": "new@example.org", "role": "viewer"})
    link = LINK.search(mailoutbox[0].body).group(1).replace("/en/", f"/{language}/", 1)
    client.logout()

    response = client.get(link)

    assert response.status_code == 200
    body = response.content.decode()
    assert invited in body
    assert why in body
    assert "<strong>new@example.org</strong>" in body
    assert f'href="/{language}/accounts/login/?next={quote(link)}"' in body
    assert f'href="/{language}/accounts/signup/?next={quote(link)}"' in body
    assert client.post(link).status_code == 200
    assert Membership.objects.filter(organisation=org_a).count() == 1


def test_invitation_link_after_sign_in_leads_back_to_the_invitation(client, owner_a, mailoutbox, org_a):
    client.force_login(owner_a)
    client.post(url("members", slug=org_a.slug), {"email": "new@example.org", "role": "viewer"})
    link = LINK.search(mailoutbox[0].body).group(1)
    client.logout()
    UserFactory(email="new@example.org")

    response = client.post(f"/en/accounts/login/?next={link}", {"login": "new@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == link


def test_invitation_link_opened_by_someone_else_names_the_invited_address(client, owner_a, org_a, mailoutbox):
    client.force_login(owner_a)
    client.post(url("members", slug=org_a.slug), {"email": "new@example.org", "role": "owner"})
    link = LINK.search(mailoutbox[0].body).group(1)
    client.force_login(UserFactory(email="forwarded-to@example.org"))

    for response in (client.get(link), client.post(link)):
        body = response.content.decode()
        assert response.status_code == 403
        assert "This invitation was sent to <strong>new@example.org</strong>." in body
        assert "You are signed in as forwarded-to@example.org." in body
        assert "Accept the invitation" not in body
    assert Membership.objects.filter(organisation=org_a).count() == 1
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({}, 404, "This invitation link is not valid. Please check that you copied all of it."),
        ({"revoked": True}, 410, "This invitation has been withdrawn. Ask the organisation for a new one."),
        ({"expired": True}, 410, "This invitation has expired. Ask the organisation for a new one."),
    ],
)
def test_unusable_invitation_links_explain_why(client, owner_a, mailoutbox, change, status, message, org_a):
    client.force_login(owner_a)
    client.post(url("members", slug=org_a.slug), {"email": "new@example.org", "role": "viewer"})
    link = LINK.search(mailoutbox[0].body).group(1)
    if change.get("revoked"):
        Invitation.objects.update(revoked=True)
    if change.get("expired"):
        Invitation.objects.update(expires_at="2000-01-01T00:00:00Z")
    if not change:
        link = link.replace("/invitations/", "/invitations/x")
    client.force_login(UserFactory())

    for response in (client.get(link), client.post(link)):
        assert response.status_code == status
        assert message in response.content.decode()
    assert Membership.objects.filter(organisation=org_a).count() == 1


def test_invite_errors_keep_what_was_typed(as_owner, owner_a, viewer_a, mailoutbox, org_a):
    response = as_owner.post(url("members", slug=org_a.slug), {"email": "viewer@a.example", "role": "owner"})

    body = response.content.decode()
    assert response.status_code == 200
    assert mailoutbox == []
    assert "Email address: viewer@a.example is already a member of this organisation." in body
    assert 'value="viewer@a.example"' in body
    assert re.search(r'<input type="radio" name="role" value="owner"[^>]* checked', body)


def test_pending_invitations_are_listed_for_owners_and_can_be_withdrawn(as_owner, owner_a, mailoutbox, org_a):
    as_owner.post(url("members", slug=org_a.slug), {"email": "new@example.org", "role": "viewer"})
    invitation = Invitation.objects.get()

    body = as_owner.get(url("members", slug=org_a.slug)).content.decode()
    assert '<th scope="row">new@example.org</th>' in body

    response = as_owner.post(url("revoke_invitation", slug=org_a.slug, invitation_id=invitation.pk))
    assert response.status_code == 302
    assert messages_of(response) == ["The invitation to new@example.org has been withdrawn."]
    assert Invitation.objects.get().revoked is True
    assert '<th scope="row">new@example.org</th>' not in as_owner.get(url("members", slug=org_a.slug)).content.decode()


@pytest.mark.parametrize("count", [1, 10])
def test_members_page_queries_do_not_grow_with_members(as_owner, owner_a, count, django_assert_num_queries, org_a):
    MembershipFactory.create_batch(count - 1, organisation=org_a)
    for number in range(count):
        Invitation.objects.create(
            organisation=org_a,
            email=f"invited{number}@example.org",
            token_hash=f"{number:064d}",
            invited_by=owner_a,
            expires_at="2999-01-01T00:00:00Z",
        )

    # session, user, membership with organisation, members with users, pending invitations
    with django_assert_num_queries(5):
        response = as_owner.get(url("members", slug=org_a.slug))

    body = response.content.decode()
    assert body.count("/remove/") == count
    assert body.count("/revoke/") == count


def test_change_role_from_the_members_page(as_owner, owner_a, viewer_a, org_a):
    response = as_owner.post(
        url("change_role", slug=org_a.slug, membership_id=membership_of(viewer_a).pk), {"role": "editor"}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == url("members", slug=org_a.slug)
    assert messages_of(response) == ["viewer@a.example now has the role “Editor”."]
    assert Membership.objects.get(pk=membership_of(viewer_a).pk).role == "editor"


def test_change_role_of_the_last_owner_explains_why_not(as_owner, owner_a, org_a):
    response = as_owner.post(
        url("change_role", slug=org_a.slug, membership_id=membership_of(owner_a).pk), {"role": "viewer"}
    )

    assert messages_of(response) == ["owner@a.example is the only owner. Make someone else an owner first."]
    assert Membership.objects.get(pk=membership_of(owner_a).pk).role == "owner"


def test_change_role_to_an_unknown_role_changes_nothing(as_owner, owner_a, viewer_a, org_a):
    response = as_owner.post(
        url("change_role", slug=org_a.slug, membership_id=membership_of(viewer_a).pk), {"role": "god"}
    )

    assert messages_of(response) == ["Choose one of the roles."]
    assert Membership.objects.get(pk=membership_of(viewer_a).pk).role == "viewer"


def test_remove_member_from_the_members_page(as_owner, owner_a, viewer_a, org_a):
    viewer = membership_of(viewer_a)

    response = as_owner.post(url("remove_member", slug=org_a.slug, membership_id=viewer.pk))

    assert response.status_code == 302
    assert messages_of(response) == ["viewer@a.example has been removed from the organisation."]
    assert not Membership.objects.filter(pk=viewer.pk).exists()


def test_owner_removing_themselves_lands_on_the_dashboard(as_owner, owner_a, org_a):
    MembershipFactory(organisation=org_a, role=Role.OWNER)
    owner = membership_of(owner_a)

    response = as_owner.post(url("remove_member", slug=org_a.slug, membership_id=owner.pk))

    assert response.headers["Location"] == url("dashboard")
    assert not Membership.objects.filter(pk=owner.pk).exists()


def test_member_of_another_organisation_cannot_be_changed_through_ours(as_owner, owner_a, outsider, org_a):
    for name in ("change_role", "remove_member"):
        response = as_owner.post(
            url(name, slug=org_a.slug, membership_id=membership_of(outsider).pk), {"role": "viewer"}
        )
        assert response.status_code == 404
    assert Membership.objects.get(pk=membership_of(outsider).pk).role == "owner"


def test_invitation_of_another_organisation_cannot_be_withdrawn_through_ours(as_owner, owner_a, outsider, org_a):
    foreign = Invitation.objects.create(
        organisation=membership_of(outsider).organisation,
        email="x@example.org",
        token_hash="f" * 64,
        expires_at="2999-01-01T00:00:00Z",
    )

    response = as_owner.post(url("revoke_invitation", slug=org_a.slug, invitation_id=foreign.pk))

    assert response.status_code == 404
    assert Invitation.objects.get(pk=foreign.pk).revoked is False


# Leaving


def test_leave_asks_for_confirmation_then_leaves(client, owner_a, viewer_a, org_a):
    client.force_login(viewer_a)
    viewer = membership_of(viewer_a)

    page = client.get(url("leave", slug=org_a.slug))
    assert page.status_code == 200
    assert Membership.objects.filter(pk=viewer.pk).exists()

    response = client.post(url("leave", slug=org_a.slug))
    assert response.status_code == 302
    assert response.headers["Location"] == url("dashboard")
    assert messages_of(response) == ["You have left Riga Welcome."]
    assert not Membership.objects.filter(pk=viewer.pk).exists()
    assert Organisation.objects.filter(pk=org_a.pk).exists()
    assert client.get(url("detail", slug=org_a.slug)).status_code == 404


def test_last_owner_cannot_leave(as_owner, owner_a, viewer_a, org_a):
    response = as_owner.post(url("leave", slug=org_a.slug))

    assert response.status_code == 200
    assert "You are the only owner. Make someone else an owner before you leave." in response.content.decode()
    assert Membership.objects.filter(pk=membership_of(owner_a).pk).exists()


# Languages


LATVIAN = {
    "dashboard": "Manas organizācijas",
    "create": "Izveidot organizāciju",
    "detail": "Pašvaldība vai reģionāla iestāde",
    "members": "Uzaicināt kādu",
    "edit": "Iestatījumi",
    "leave": "Pamest organizāciju",
}
ENGLISH = {
    "dashboard": "My organisations",
    "create": "Create an organisation",
    "detail": "Local or regional authority",
    "members": "Invite someone",
    "edit": "Settings",
    "leave": "Leave the organisation",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["dashboard", "create", "detail", "members", "edit", "leave"])
def test_pages_render_in_every_language(as_owner, owner_a, language, name, org_a):
    kwargs = {} if name in {"dashboard", "create"} else {"slug": org_a.slug}

    response = as_owner.get(url(name, language, **kwargs))

    body = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}" dir="ltr">' in body
    assert {"lv": LATVIAN, "en": ENGLISH}[language][name] in body


def test_messages_are_in_the_users_language(client, db):
    client.force_login(UserFactory())

    response = client.post(url("create", "lv"), {"name": "Biedrība", "kind": "ngo"})

    assert messages_of(response) == ["Organizācija Biedrība ir izveidota. Jūs esat tās īpašnieks."]


def test_invitation_email_follows_the_inviters_language(as_owner, owner_a, mailoutbox, org_a):
    as_owner.post(url("members", "lv", slug=org_a.slug), {"email": "new@example.org", "role": "viewer"})

    assert LINK.search(mailoutbox[0].body).group(1).startswith("/lv/organisations/invitations/")
    assert "ar lomu “Lasītājs”" in mailoutbox[0].body
