"""What a person does with their account: sign up, verify, sign in, reset and change the
password, and protect the account with an authenticator app."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model

from ..factories import PASSWORD, UserFactory
from .helpers import link_in, reauthenticate, sign_in, totp_code

NEW_PASSWORD = "a brand new passphrase for 2026"


def signed_in_user(client):
    return client.get("/en/organisations/").wsgi_request.user


@pytest.mark.parametrize("language", ["lv", "en"])
def test_signup_then_verification_email_then_sign_in(client, db, mailoutbox, language):
    response = client.post(
        f"/{language}/accounts/signup/", {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/{language}/accounts/confirm-email/"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new@example.org"]
    link = link_in(mailoutbox[0])
    assert link.startswith(f"/{language}/accounts/confirm-email/")
    assert "Inclusion Toolkit" in mailoutbox[0].body
    assert EmailAddress.objects.get(email="new@example.org").verified is False

    page = client.get(link)
    assert page.status_code == 200
    assert f'<html lang="{language}"' in page.content.decode()
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email="new@example.org").verified is True
    assert signed_in_user(client).email == "new@example.org"

    client.post(f"/{language}/accounts/logout/")
    assert signed_in_user(client).is_anonymous
    sign_in(client, get_user_model().objects.get(email="new@example.org"), language)
    assert signed_in_user(client).email == "new@example.org"


def test_sign_in_before_verifying_the_email_is_refused(client, db, mailoutbox):
    client.post("/en/accounts/signup/", {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD})
    client.post("/en/accounts/logout/")

    response = client.post("/en/accounts/login/", {"login": "new@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == "/en/accounts/confirm-email/"
    assert signed_in_user(client).is_anonymous
    assert len(mailoutbox) == 1  # allauth waits a few minutes before it sends the link again


def test_sign_in_lands_on_my_organisations(client, db):
    response = sign_in(client, UserFactory())

    assert response.headers["Location"] == "/en/organisations/"


def test_sign_out(client, db):
    sign_in(client, UserFactory())

    response = client.post("/en/accounts/logout/")

    assert response.status_code == 302
    assert signed_in_user(client).is_anonymous


def test_password_reset_by_email(client, db, mailoutbox):
    user = UserFactory(email="person@example.org")

    response = client.post("/lv/accounts/password/reset/", {"email": "person@example.org"})

    assert response.headers["Location"] == "/lv/accounts/password/reset/done/"
    link = link_in(mailoutbox[0])
    assert link.startswith("/lv/accounts/password/reset/key/")
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    client.logout()
    sign_in(client, user, "lv", password=NEW_PASSWORD)


def test_password_change(client, db):
    user = UserFactory()
    sign_in(client, user)

    response = client.post(
        "/en/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert signed_in_user(client) == user


def test_password_change_with_a_wrong_current_password_changes_nothing(client, db):
    user = UserFactory()
    sign_in(client, user)

    response = client.post(
        "/en/accounts/password/change/",
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert '<a href="#id_oldpassword">Current Password: Please type your current password.</a>' in (
        response.content.decode()
    )
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_authenticator_app_activation_sign_in_and_deactivation(client, db):
    user = UserFactory()
    sign_in(client, user)
    reauthenticate(client)

    activate_page = client.get("/en/accounts/2fa/totp/activate/")
    assert activate_page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    wrong = client.post("/en/accounts/2fa/totp/activate/", {"code": "000000" if totp_code(secret) != "000000" else "1"})
    assert wrong.status_code == 200
    assert '<a href="#id_code">Authenticator code: Incorrect code.</a>' in wrong.content.decode()

    activated = client.post("/en/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert activated.status_code == 302
    assert activated.headers["Location"] == "/en/accounts/2fa/recovery-codes/"
    assert set(Authenticator.objects.filter(user=user).values_list("type", flat=True)) == {"totp", "recovery_codes"}
    codes_page = client.get("/en/accounts/2fa/recovery-codes/").content.decode()
    recovery_code = Authenticator.objects.get(user=user, type="recovery_codes").wrap().get_unused_codes()[0]
    assert recovery_code in codes_page

    client.post("/en/accounts/logout/")
    password_step = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert password_step.headers["Location"] == "/en/accounts/2fa/authenticate/"
    assert signed_in_user(client).is_anonymous
    code_step = client.post("/en/accounts/2fa/authenticate/", {"code": recovery_code})
    assert code_step.status_code == 302
    assert signed_in_user(client) == user

    reauthenticate(client)
    deactivated = client.post("/en/accounts/2fa/totp/deactivate/")
    assert deactivated.status_code == 302
    assert not Authenticator.objects.filter(user=user, type="totp").exists()
