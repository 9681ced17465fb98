"""allauth's pages in the site layout, in every language, with labelled form fields."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import translation

from ..conftest import LANGUAGES
from ..factories import PASSWORD, UserFactory
from .helpers import link_in, reauthenticate, sign_in, unlabelled_fields

# url name -> (English title, Latvian title), from allauth's own translations
ANONYMOUS_PAGES = {
    "account_login": ("Sign In", "Pieteikties"),  # our Latvian (inclusion/translation_overrides.py)
    "account_signup": ("Signup", "Reģistrēties"),
    "account_reset_password": ("Password Reset", "Atjaunot paroli"),
    "account_reset_password_done": ("Password Reset", "Atjaunot paroli"),
    "account_email_verification_sent": ("Verify Your Email Address", "Apstipriniet savu e-pasta adresi"),
}
SIGNED_IN_PAGES = {
    "account_email": ("Email Addresses", "E-pasta adreses"),
    "account_change_password": ("Change Password", "Mainīt paroli"),
    "account_logout": ("Sign Out", "Iziet"),
    "account_reauthenticate": ("Confirm Access", "Apstiprināt piekļuvi"),
    "mfa_index": ("Two-Factor Authentication", "Divfaktoru autentifikācija"),
    "mfa_activate_totp": ("Activate Authenticator App", "Aktivizēt autentifikatora lietotni"),
}
WITH_TOTP_PAGES = {
    "mfa_deactivate_totp": ("Deactivate Authenticator App", "Deaktivizēt autentifikatora lietotni"),
    "mfa_view_recovery_codes": ("Recovery Codes", "Atkopšanas kodi"),
    "mfa_generate_recovery_codes": ("Recovery Codes", "Atkopšanas kodi"),
}


def url(name, language):
    with translation.override(language):
        return reverse(name)


def assert_in_site_layout(response, language, title, status=200):
    body = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}" dir="ltr">' in body
    assert f'<a class="brand" href="/{language}/">' in body
    assert '<footer class="site-footer">' in body
    assert re.search(rf"<title>\s*{re.escape(title)}\s*· Inclusion Toolkit</title>", body), body[:600]
    assert re.search(r'<main id="main" tabindex="-1" class="wrap">.*<h1[^>]*>\s*\S', body, re.S)  # the page's heading
    assert "<strong>Menu:</strong>" not in body  # allauth's own layout is gone
    assert unlabelled_fields(body) == []
    return body


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(ANONYMOUS_PAGES))
def test_anonymous_account_pages_use_the_site_layout(client, db, name, language):
    title = ANONYMOUS_PAGES[name][language == "lv"]

    assert_in_site_layout(client.get(url(name, language)), language, title)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(SIGNED_IN_PAGES))
def test_signed_in_account_pages_use_the_site_layout(client, db, name, language):
    sign_in(client, UserFactory(), language)
    reauthenticate(client, language)
    title = SIGNED_IN_PAGES[name][language == "lv"]

    body = assert_in_site_layout(client.get(url(name, language)), language, title)

    if name == "mfa_activate_totp":
        assert re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="[^"]*QR[^"]*" width="200"', body)
        assert re.search(r'<input type="text" disabled id="authenticator_secret" value="[A-Z2-7]{32}"', body)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(WITH_TOTP_PAGES))
def test_two_factor_pages_use_the_site_layout(client, db, name, language):
    user = UserFactory()
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)
    client.force_login(user)
    reauthenticate(client, language)
    title = WITH_TOTP_PAGES[name][language == "lv"]

    assert_in_site_layout(client.get(url(name, language)), language, title)
    assert Authenticator.objects.filter(user=user).count() == 2


def test_account_settings_pages_share_a_navigation(client, db):
    sign_in(client, UserFactory())

    body = client.get("/en/accounts/password/change/").content.decode()

    assert '<nav class="wrap" aria-label="Account settings">' in body
    assert '<li><a href="/en/accounts/password/change/" aria-current="page">Change Password</a></li>' in body
    assert '<li><a href="/en/accounts/2fa/">Two-Factor Authentication</a></li>' in body


def test_account_menu_links_to_the_account_settings(client, db):
    sign_in(client, UserFactory(), "lv")

    body = client.get("/lv/organisations/").content.decode()

    assert '<li><a href="/lv/accounts/email/">Konta iestatījumi</a></li>' in body


def test_login_errors_are_summarised_and_keep_the_email(client, db):
    UserFactory(email="person@example.org")

    response = client.post("/en/accounts/login/", {"login": "person@example.org", "password": "wrong"})

    body = response.content.decode()
    assert response.status_code == 200
    assert '<div class="error-summary" role="alert" aria-labelledby="error-summary-title">' in body
    assert "<li>The email address and/or password you specified are not correct.</li>" in body
    assert 'value="person@example.org"' in body
    assert 'name="password" value=' not in body


def test_signup_field_errors_link_to_their_fields(client, db):
    response = client.post("/en/accounts/signup/", {"email": "not-an-email", "password1": "a", "password2": "b"})

    body = response.content.decode()
    assert '<a href="#id_email">Email: Enter a valid email address.</a>' in body
    assert '<ul class="errorlist" id="id_email_error"><li>Enter a valid email address.</li></ul>' in body
    assert re.search(r'<input type="email" name="email" value="not-an-email"[^>]*aria-invalid="true"', body)


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_reached_by_a_link_use_the_site_layout(client, db, mailoutbox, language):
    client.post(
        f"/{language}/accounts/signup/", {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    confirm_link = link_in(mailoutbox[-1])
    titles = {
        "en": ("Confirm Email Address", "Change Password"),
        "lv": ("Apstipriniet e-pasta adresi", "Mainīt paroli"),
    }

    assert_in_site_layout(client.get(confirm_link), language, titles[language][0])

    client.post(f"/{language}/accounts/password/reset/", {"email": UserFactory(email="old@example.org").email})
    reset_page = client.get(link_in(mailoutbox[-1]), follow=True)
    assert_in_site_layout(reset_page, language, titles[language][1])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_second_sign_in_step_uses_the_site_layout(client, db, language):
    user = UserFactory()
    TOTP.activate(user, generate_totp_secret())
    client.post(f"/{language}/accounts/login/", {"login": user.email, "password": PASSWORD})

    body = assert_in_site_layout(
        client.get(f"/{language}/accounts/2fa/authenticate/"),
        language,
        {"en": "Sign In", "lv": "Pieteikties"}[language],
    )
    assert 'autocomplete="one-time-code"' in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_too_many_attempts_are_explained_in_the_site_layout(client, db, mailoutbox, language):
    user = UserFactory()
    reset = f"/{language}/accounts/password/reset/"
    statuses = [client.post(reset, {"email": user.email}).status_code for _attempt in range(5)]

    response = client.post(reset, {"email": user.email})

    assert statuses == [302] * 5
    title = {"en": "Too many attempts", "lv": "Pārāk daudz mēģinājumu"}[language]
    assert_in_site_layout(response, language, title, status=429)
    assert len(mailoutbox) == 5
