"""A token works only while its creator belongs to its organisation."""

import importlib

import pytest
from django.apps import apps

from inclusion.accounts.services import delete_account
from inclusion.api.models import AccessToken
from inclusion.organisations import services
from inclusion.organisations.models import Role

from ..factories import MembershipFactory, OrganisationFactory
from .conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return MembershipFactory(organisation=OrganisationFactory(slug="org-a"), role=Role.OWNER)


@pytest.fixture
def editor(owner):
    return MembershipFactory(organisation=owner.organisation, role=Role.EDITOR)


def issue(membership) -> str:
    return AccessToken.issue(membership.organisation, membership.user, "dashboard")[1]


def status_with(client, token) -> int:
    return client.get("/api/v1/organisation", headers=bearer(token)).status_code


@pytest.mark.parametrize("how", ["leaves", "is removed"])
def test_token_stops_when_its_creator_leaves_the_organisation(client, owner, editor, how):
    theirs, owners = issue(editor), issue(owner)
    assert status_with(client, theirs) == 200

    if how == "leaves":
        services.leave(editor)
    else:
        services.remove_member(owner, editor)

    assert status_with(client, theirs) == 401
    assert status_with(client, owners) == 200
    assert AccessToken.objects.get(created_by=editor.user).revoked_at is not None  # kept, for the record


def test_token_stops_when_its_creator_deletes_the_account(client, owner, editor):
    theirs, owners = issue(editor), issue(owner)
    elsewhere = MembershipFactory(user=editor.user, role=Role.VIEWER)
    theirs_elsewhere = issue(elsewhere)

    delete_account(editor.user)

    assert status_with(client, theirs) == 401
    assert status_with(client, theirs_elsewhere) == 401
    assert status_with(client, owners) == 200
    assert AccessToken.objects.filter(created_by__isnull=True, revoked_at__isnull=True).count() == 0


def test_a_lower_role_keeps_the_token(client, owner, editor):
    token = issue(editor)

    services.change_role(owner, editor, Role.VIEWER)

    assert status_with(client, token) == 200


def test_migration_revokes_tokens_whose_creator_left_earlier(client, owner, editor):
    former, current = issue(editor), issue(owner)
    orphan = AccessToken.issue(owner.organisation, None, "creator deleted")[1]
    # As before this release: the membership went without revoking anything.
    AccessToken.objects.update(revoked_at=None)
    editor.user.memberships.all()._raw_delete(using="default")
    assert status_with(client, former) == 200

    migration = importlib.import_module("inclusion.api.migrations.0002_revoke_tokens_of_former_members")
    migration.revoke_tokens_of_former_members(apps, None)

    assert (status_with(client, former), status_with(client, orphan), status_with(client, current)) == (401, 401, 200)
