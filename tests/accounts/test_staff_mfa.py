"""Platform staff must use an authenticator app: StaffRequireMFAMiddleware and its system checks."""

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages

from inclusion.accounts.checks import check_accounts_settings

from ..factories import UserFactory
from .helpers import sign_in

ACTIVATE = "/en/accounts/2fa/totp/activate/"
MESSAGE = "Platform staff must use two-factor authentication. Set up an authenticator app to continue."


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True)


@pytest.mark.parametrize("path", ["/en/organisations/", "/en/", "/en/handbook/", "/en/organisations/new/"])
def test_staff_without_an_authenticator_app_are_sent_to_set_one_up(client, staff, path):
    client.force_login(staff)

    response = client.get(path)

    assert response.status_code == 302
    assert response.headers["Location"] == ACTIVATE
    assert [str(message) for message in get_messages(response.wsgi_request)] == [MESSAGE]


def test_staff_are_sent_to_set_up_the_app_in_their_language(client, staff):
    client.force_login(staff)

    response = client.get("/lv/organisations/")

    assert response.headers["Location"] == "/lv/accounts/2fa/totp/activate/"
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Platformas darbiniekiem jāizmanto divfaktoru autentifikācija. "
        "Lai turpinātu, iestatiet autentifikatora lietotni."
    ]


def test_staff_posting_elsewhere_are_sent_too(client, staff):
    client.force_login(staff)

    response = client.post("/en/organisations/new/", {"name": "Biedrība", "kind": "ngo"})

    assert response.headers["Location"] == ACTIVATE
    assert staff.memberships.count() == 0


def test_htmx_requests_from_staff_get_a_client_side_redirect(client, staff):
    client.force_login(staff)

    response = client.get("/en/organisations/", headers={"HX-Request": "true"})

    assert response.headers["HX-Redirect"] == ACTIVATE


@pytest.mark.parametrize(
    "path",
    [
        "/en/accounts/2fa/",
        "/en/accounts/reauthenticate/",
        "/en/accounts/logout/",
        "/en/accounts/password/change/",
        "/en/accounts/email/",
        "/static/css/site.css",
    ],
)
def test_staff_can_still_reach_the_account_pages_logout_and_static_files(client, staff, path):
    client.force_login(staff)

    response = client.get(path)
    response.close()

    assert response.status_code == 200
    assert [str(message) for message in get_messages(response.wsgi_request)] == []


def test_staff_can_open_the_activation_page_after_confirming_their_password(client, staff):
    client.force_login(staff)

    first = client.get(ACTIVATE)
    assert first.headers["Location"] == "/en/accounts/reauthenticate/?next=%2Fen%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"

    client.post(first.headers["Location"], {"password": "correct horse battery staple"})
    assert client.get(ACTIVATE).status_code == 200


def test_staff_can_sign_out(client, staff):
    client.force_login(staff)

    client.post("/en/accounts/logout/")

    assert client.get("/en/organisations/").wsgi_request.user.is_anonymous


def test_staff_with_an_authenticator_app_go_where_they_asked(client, staff):
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)

    assert client.get("/en/organisations/").status_code == 200


def test_staff_with_recovery_codes_only_are_still_sent_to_set_up_the_app(client, staff):
    RecoveryCodes.activate(staff)
    client.force_login(staff)

    assert client.get("/en/organisations/").headers["Location"] == ACTIVATE


def test_other_users_do_not_need_an_authenticator_app(client, db, django_assert_num_queries):
    client.force_login(UserFactory())

    # session, user, memberships: the middleware asks nothing for people who are not staff
    with django_assert_num_queries(3):
        response = client.get("/en/organisations/")

    assert response.status_code == 200


def test_anonymous_visitors_are_not_affected(client, db):
    assert client.get("/en/").status_code == 200


def test_system_checks_pass_with_the_settings_in_place(settings):
    settings.INSTALLED_APPS = ["inclusion.accounts", *[a for a in settings.INSTALLED_APPS if a != "inclusion.accounts"]]

    assert check_accounts_settings(None) == []


def test_system_checks_name_the_missing_settings(settings):
    settings.INSTALLED_APPS = [*[a for a in settings.INSTALLED_APPS if a != "inclusion.accounts"], "inclusion.accounts"]
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "StaffRequireMFA" not in m]

    assert [problem.id for problem in check_accounts_settings(None)] == ["accounts.W001", "accounts.W002"]


def test_system_check_wants_the_middleware_after_allauths(settings):
    settings.INSTALLED_APPS = ["inclusion.accounts", *[a for a in settings.INSTALLED_APPS if a != "inclusion.accounts"]]
    settings.MIDDLEWARE = [
        "inclusion.accounts.middleware.StaffRequireMFAMiddleware",
        *[m for m in settings.MIDDLEWARE if "StaffRequireMFA" not in m],
    ]

    assert [problem.id for problem in check_accounts_settings(None)] == ["accounts.W002"]


# Moderators of the practice library


MODERATOR_MESSAGE = (
    "Moderators of the practice library must use two-factor authentication. Set up an authenticator app to continue."
)


@pytest.fixture
def moderator(db):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="moderate_practice"))
    return user


@pytest.mark.parametrize("path", ["/en/organisations/", "/en/practices/moderation/", "/en/organisations/new/"])
def test_moderators_without_an_authenticator_app_are_sent_to_set_one_up(client, moderator, path):
    client.force_login(moderator)

    response = client.get(path)

    assert response.status_code == 302
    assert response.headers["Location"] == ACTIVATE
    assert [str(message) for message in get_messages(response.wsgi_request)] == [MODERATOR_MESSAGE]


def test_moderators_through_a_group_are_sent_too(client, db):
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(user)

    assert client.get("/en/organisations/").headers["Location"] == ACTIVATE


def test_moderators_signing_in_with_a_password_are_sent_too(client, moderator):
    sign_in(client, moderator)

    assert client.get("/en/organisations/").headers["Location"] == ACTIVATE


def test_a_permission_granted_after_sign_in_is_caught_on_the_moderation_pages(client, db):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/en/organisations/").status_code == 200

    user.user_permissions.add(Permission.objects.get(codename="moderate_practice"))

    assert client.get("/en/practices/moderation/").headers["Location"] == ACTIVATE
    assert client.get("/en/organisations/").headers["Location"] == ACTIVATE


def test_moderators_with_an_authenticator_app_go_where_they_asked(client, moderator):
    TOTP.activate(moderator, generate_totp_secret())
    client.force_login(moderator)

    assert client.get("/en/organisations/").status_code == 200
    assert client.get("/en/practices/moderation/").status_code == 200
