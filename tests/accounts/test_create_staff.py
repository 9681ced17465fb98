"""`manage.py create_staff EMAIL`: a verified staff account that can sign in at once."""

import getpass
import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def create_staff(*args) -> str:
    out = io.StringIO()
    call_command("create_staff", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_create_staff_without_input_makes_a_verified_staff_account_with_a_generated_password(client):
    output = create_staff("Marta@Example.org", "--no-input")

    user = get_user_model().objects.get(email="marta@example.org")
    assert (user.is_staff, user.is_superuser, user.username) == (True, False, "marta@example.org")
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")) == [
        ("marta@example.org", True, True)
    ]
    assert not user.groups.exists()
    password = re.search(r"Its password, shown only now: (\S+)", output).group(1)
    assert user.check_password(password)
    assert "Set up two-factor sign-in with an authenticator app (/en/accounts/2fa/totp/activate/)" in output
    assert "manage.py create_staff marta@example.org --moderator" in output

    # The account signs in straight away; staff are then sent to set up two-factor.
    response = client.post("/en/accounts/login/", {"login": "marta@example.org", "password": password})
    assert response.status_code == 302
    assert client.get("/en/organisations/").headers["Location"] == "/en/accounts/2fa/totp/activate/"


def test_create_staff_moderator_joins_the_moderators_group():
    output = create_staff("mod@example.org", "--no-input", "--moderator")

    user = get_user_model().objects.get(email="mod@example.org")
    assert list(user.groups.values_list("name", flat=True)) == ["Moderators"]
    assert user.has_perm("practices.moderate_practice")
    assert 'In the "Moderators" group: submitted practices wait for review at /en/practices/moderation/.' in output


def test_create_staff_asks_for_a_password_and_checks_it(monkeypatch):
    answers = iter(["short", "short", "a new long passphrase 42", "a new long passphrase 42"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))

    output = create_staff("ask@example.org")

    user = get_user_model().objects.get(email="ask@example.org")
    assert user.check_password("a new long passphrase 42")
    assert "shown only now" not in output


def test_create_staff_promotes_an_existing_account_and_verifies_its_address():
    user = UserFactory(email="known@example.org")
    EmailAddress.objects.filter(user=user).update(verified=False)

    output = create_staff("KNOWN@example.org", "--no-input")

    user.refresh_from_db()
    assert user.is_staff
    assert user.check_password(PASSWORD)
    assert EmailAddress.objects.get(user=user).verified
    assert "known@example.org is now staff (e-mail address verified; password unchanged)." in output


def test_create_staff_refuses_what_is_not_an_email_address():
    with pytest.raises(CommandError, match="is not an e-mail address"):
        create_staff("not-an-address", "--no-input")
