"""Deleting an account removes its email addresses from every row in the database."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from inclusion.organisations.models import Invitation, Membership, Role

from ..factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def rows_holding(text: str) -> list[str]:
    """Every table and row in which `text` appears, in any column (a raw scan of the database)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our own table names
            found.extend(f"{table}: {row}" for row in cursor.fetchall() if text.lower() in str(row).lower())
    return found


def invite(organisation, email, by=None, **fields):
    return Invitation.objects.create(
        organisation=organisation, email=email, role=Role.VIEWER, token_hash=f"{email}-{fields}"[:64].ljust(64, "0"),
        invited_by=by, expires_at=timezone.now() + timezone.timedelta(days=3), **fields,
    )  # fmt: skip


def test_deleting_an_account_leaves_its_addresses_nowhere(client):
    leaving = MembershipFactory(role=Role.EDITOR, user__email="leaving@example.org").user
    EmailAddress.objects.create(user=leaving, email="Leaving-At-Home@example.org", verified=True)
    staying = MembershipFactory(organisation=leaving.memberships.get().organisation, role=Role.OWNER).user
    elsewhere = OrganisationFactory(name="Elsewhere")
    invite(elsewhere, "LEAVING@example.org")  # pending, from another organisation
    invite(leaving.memberships.get().organisation, "leaving@example.org", by=staying, accepted_at=timezone.now())
    invite(elsewhere, "leaving-at-home@example.org", revoked=True)
    kept = invite(elsewhere, "someone-else@example.org", by=leaving)
    LogEntry.objects.create(
        user=staying, content_type=ContentType.objects.get_for_model(leaving), object_id=str(leaving.pk),
        object_repr=str(leaving), action_flag=CHANGE, change_message="Changed email.",
    )  # fmt: skip
    assert len(rows_holding("leaving@example.org")) >= 5
    client.force_login(leaving)

    response = client.post("/en/accounts/delete/", {"password": PASSWORD})

    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=leaving.pk).exists()
    assert rows_holding("leaving@example.org") == []
    assert rows_holding("leaving-at-home@example.org") == []
    kept.refresh_from_db()
    assert (kept.email, kept.invited_by) == ("someone-else@example.org", None)
    assert Membership.objects.filter(user=staying).exists()
    assert rows_holding("@example.org") != []  # the scan does see the others


def test_deleting_an_account_in_the_admin_or_a_shell_erases_too(db):
    user = UserFactory(email="shell@example.org")
    invite(OrganisationFactory(), "shell@example.org")

    user.delete()

    assert rows_holding("shell@example.org") == []
