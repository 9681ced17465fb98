"""Organisation URLs with every role and valid input: the exact answer each role gets.

tests/test_permissions.py tries every URL with outsiders (404) and anonymous visitors (sent
to sign in) and checks that they change nothing; here each role's exact status.
"""

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from inclusion.organisations.models import Invitation, Membership, Role

from ..factories import MembershipFactory

SLUG = "riga-welcome"

# (url name, extra URL arguments, method, POST data, lowest role allowed, status when allowed)
CASES = [
    ("detail", {}, "get", None, Role.VIEWER, 200),
    ("members", {}, "get", None, Role.VIEWER, 200),
    ("members", {}, "post", {"email": "new@example.org", "role": "viewer"}, Role.OWNER, 302),
    ("edit", {}, "get", None, Role.OWNER, 200),
    ("edit", {}, "post", {"name": "Jelgavas dome", "kind": "authority"}, Role.OWNER, 302),
    ("change_role", {"membership_id": "target"}, "post", {"role": "editor"}, Role.OWNER, 302),
    ("remove_member", {"membership_id": "target"}, "post", {}, Role.OWNER, 302),
    ("revoke_invitation", {"invitation_id": "invitation"}, "post", {}, Role.OWNER, 302),
    ("leave", {}, "get", None, Role.VIEWER, 200),
    ("leave", {}, "post", {}, Role.VIEWER, 302),
    ("delete", {}, "get", None, Role.OWNER, 200),
    ("delete", {}, "post", {"confirmation": "not the name"}, Role.OWNER, 200),
]
CASE_IDS = [f"{method}-{name}" for name, _args, method, _data, _role, _status in CASES]


@pytest.fixture
def setting(org_a):
    """An organisation with a second owner (so anyone may leave), a member to act on and an
    open invitation: every action has something to act on."""
    MembershipFactory(organisation=org_a, role=Role.OWNER, user__email="co-owner@example.org")
    target = MembershipFactory(organisation=org_a, role=Role.VIEWER, user__email="target@example.org")
    invitation = Invitation.objects.create(
        organisation=org_a, email="invited@example.org", token_hash="a" * 64, expires_at="2999-01-01T00:00:00Z"
    )
    return {"target": target.pk, "invitation": invitation.pk}


def address(name, args, setting):
    kwargs = {"slug": SLUG, **{key: setting[value] for key, value in args.items()}}
    with translation.override("en"):
        return reverse(f"organisations:{name}", kwargs=kwargs)


def request(client, method, url, data):
    return client.post(url, data) if method == "post" else client.get(url)


@pytest.mark.parametrize(("name", "args", "method", "data", "needed", "allowed_status"), CASES, ids=CASE_IDS)
@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR, Role.OWNER])
def test_members_get_exactly_what_their_role_allows(
    client, setting, org_a, role, name, args, method, data, needed, allowed_status, mailoutbox
):
    member = MembershipFactory(organisation=org_a, role=role)
    client.force_login(member.user)

    response = request(client, method, address(name, args, setting), data)

    expected = allowed_status if Role(role).rank >= Role(needed).rank else 403
    assert response.status_code == expected


@pytest.mark.parametrize("name", ["dashboard", "create"])
def test_anonymous_visitors_are_sent_to_sign_in_from_the_dashboard_and_create(client, db, name):
    with translation.override("en"):
        url = reverse(f"organisations:{name}")

    response = client.get(url)

    assert response.headers["Location"] == f"/en/accounts/login/?next={quote(url)}"


def test_unknown_organisation_is_404_like_a_foreign_one(client, outsider):
    client.force_login(outsider)

    assert client.get("/en/organisations/no-such-organisation/").status_code == 404


@pytest.mark.parametrize("name", ["change_role", "remove_member", "revoke_invitation"])
def test_post_only_actions_refuse_get(client, setting, org_a, name):
    owner = MembershipFactory(organisation=org_a, role=Role.OWNER)
    client.force_login(owner.user)
    args = {"invitation_id": "invitation"} if name == "revoke_invitation" else {"membership_id": "target"}

    response = client.get(address(name, args, setting))

    assert response.status_code == 405
    assert Membership.objects.get(pk=setting["target"]).role == "viewer"


def test_csrf_token_is_required_on_post(setting, org_a):
    owner = MembershipFactory(organisation=org_a, role=Role.OWNER)
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner.user)
    url = address("change_role", {"membership_id": "target"}, setting)

    forged = client.post(url, {"role": "owner"})

    assert forged.status_code == 403
    assert Membership.objects.get(pk=setting["target"]).role == "viewer"

    members_page = client.get(address("members", {}, setting))
    token = members_page.cookies["csrftoken"].value
    genuine = client.post(url, {"role": "owner", "csrfmiddlewaretoken": token})
    assert genuine.status_code == 302
    assert Membership.objects.get(pk=setting["target"]).role == "owner"
