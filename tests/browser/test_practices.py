"""A practice goes from an organisation's draft to the library: submit, changes requested,
resubmitted, published. Users are signed in by a session cookie, as force_login would."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.backends.db import SessionStore

from inclusion.handbook.services import get_handbook, import_content
from inclusion.organisations.models import Membership, Organisation, Role
from inclusion.practices.handbook_examples import import_handbook_practices
from inclusion.practices.models import Practice, VersionStatus
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def content_in_db():
    import_content(get_handbook())
    import_handbook_practices(get_handbook())


def _signed_in_page(browser, live_server, user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}])
    return context.new_page()


def test_submit_request_changes_resubmit_and_publish(browser, live_server, axe):
    organisation = Organisation.objects.create(name="Riga Welcome", slug="riga-welcome", kind="authority")
    editor = UserFactory(email="editor@riga.example")
    Membership.objects.create(user=editor, organisation=organisation, role=Role.EDITOR)
    moderator = UserFactory(email="moderator@example.org")
    # Transactional tests flush the database, data migrations included: make the group here.
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.add(Permission.objects.get(codename="moderate_practice"))
    moderator.groups.add(moderators)
    TOTP.activate(moderator, generate_totp_secret())  # moderators must use two-factor sign-in

    page = _signed_in_page(browser, live_server, editor)
    page.goto(f"{live_server.url}/en/practices/new/")
    assert axe(page) == []
    page.get_by_label("Title (English)").fill("Language café")
    page.get_by_label("Description (English)").fill("Weekly conversation evenings with neighbours.")
    page.get_by_label("Key area and success factor").select_option("a5.sf3")
    page.get_by_label("Local or regional authority").check()
    page.get_by_label("Links").fill("not a link")
    page.get_by_role("button", name="Save as draft").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert page.get_by_label("Title (English)").input_value() == "Language café"
    page.get_by_label("Links").fill("https://example.org/cafe")
    page.get_by_role("button", name="Save as draft").click()
    page.get_by_text("Your draft is saved.").wait_for()
    practice = Practice.objects.get(organisation=organisation)

    page.get_by_role("link", name="Score it").click()
    for radio in page.locator('input[type="radio"][value="2"]').all():
        radio.check()
    page.get_by_label("Evidence (optional)").first.fill("Feedback forms from 40 participants")
    page.get_by_role("button", name="Save your scoring").click()
    page.get_by_text("Good practice").first.wait_for()
    assert axe(page) == []
    page.get_by_role("navigation", name="Practice").get_by_role("link", name="Overview").click()
    page.get_by_role("button", name="Send for review").click()
    page.get_by_text("Sent for review.").wait_for()

    moderation = _signed_in_page(browser, live_server, moderator)
    moderation.goto(f"{live_server.url}/en/practices/moderation/")
    moderation.get_by_role("link", name="Language café").click()
    assert axe(moderation) == []
    moderation.get_by_label("Ask for changes").check()
    moderation.get_by_label("Message to the submitter").fill("Please add the Latvian title.")
    moderation.get_by_role("button", name="Record the decision").click()
    moderation.get_by_text("Nothing is waiting for review.").wait_for()

    page.reload()
    page.get_by_text("A moderator asked for changes").wait_for()
    page.get_by_text("Please add the Latvian title.").wait_for()
    page.get_by_role("link", name="Edit the practice").click()
    page.get_by_label("Title (Latvian)").fill("Valodu kafejnīca")
    page.get_by_label("Description (Latvian)").fill("Iknedēļas sarunu vakari ar kaimiņiem.")
    page.get_by_role("button", name="Save as draft").click()
    page.get_by_role("button", name="Send for review").click()
    page.get_by_text("Waiting for review").first.wait_for()

    moderation.goto(f"{live_server.url}/en/practices/moderation/")
    moderation.get_by_role("link", name="Language café").click()
    moderation.get_by_label("Publish it in the library").check()
    moderation.get_by_role("button", name="Record the decision").click()
    practice.refresh_from_db()
    assert practice.is_published
    assert practice.current_version.status == VersionStatus.PUBLISHED

    # A Latvian reader finds it without diacritics and sees its profile.
    reader = browser.new_page()
    reader.goto(f"{live_server.url}/lv/practices/?q=kafejnica")
    reader.get_by_role("link", name="Valodu kafejnīca").click()
    reader.wait_for_url(re.compile(rf"/lv/practices/{practice.pk}/$"))
    reader.get_by_role("heading", name="Kritēriju profils").wait_for()
    reader.get_by_text("Labā prakse").first.wait_for()
    assert axe(reader) == []
    for open_page in (page, moderation, reader):
        open_page.context.close()
