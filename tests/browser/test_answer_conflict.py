"""Two members answer the same item from two pages: the later, stale save sees the conflict."""

import re

import pytest
from django.conf import settings
from django.test import Client

from inclusion.assessments.models import Answer
from inclusion.assessments.rounds import start_assessment
from inclusion.handbook.services import get_handbook, import_content
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def content_in_db():
    import_content(get_handbook())


def _page_for(browser, live_server, user, blocked):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    return context, page


def test_two_members_answer_the_same_item_and_the_second_sees_the_conflict(browser, live_server):
    organisation = OrganisationFactory(kind="authority")
    anna = MembershipFactory(organisation=organisation, role="editor", user__email="anna@example.org").user
    janis = MembershipFactory(organisation=organisation, role="editor", user__email="janis@example.org").user
    assessment, _ = start_assessment(title="Reception", organisation_kind="authority", organisation=organisation)
    url = f"{live_server.url}/en/assessments/{assessment.public_id}/areas/1/"
    blocked = []
    contexts = []
    pages = []
    for user in (anna, janis):
        context, page = _page_for(browser, live_server, user, blocked)
        page.goto(url)
        contexts.append(context)
        pages.append(page)
    first, second = pages

    item = first.locator('[id="a1.c1"]')
    item.get_by_label("Yes", exact=True).check()
    item.locator(".save-status").get_by_text(re.compile("Saved at")).wait_for()
    first.locator("#area-progress-bar").get_by_text(re.compile(r"^1 of \d+ answered")).wait_for()

    # Jānis's page still shows the item unanswered; his answer does not silently replace Anna's.
    stale = second.locator('[id="a1.c1"]')
    stale.get_by_label("No", exact=True).check()
    stale.locator(".save-status").get_by_text(re.compile("Not saved: .*anna@example.org")).wait_for()
    assert Answer.objects.get(assessment=assessment, item_id="a1.c1").value == "yes"

    # He chooses to replace hers, in one click.
    stale.get_by_role("button", name="Replace theirs with mine").click()
    stale.locator(".save-status").get_by_text(re.compile("Saved at")).wait_for()
    answer = Answer.objects.get(assessment=assessment, item_id="a1.c1")
    assert (answer.value, answer.updated_by) == ("no", janis)
    for context in contexts:
        context.close()
    assert blocked == []
