"""The consensus step in a browser: two members answer on their own, the owner opens the
consensus step, an editor records the agreed answer, and the summary shows it."""

import re

import pytest
from django.conf import settings
from django.test import Client

from inclusion.assessments.models import Answer, IndividualAnswer
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


def test_members_answer_alone_then_the_team_agrees(browser, live_server, axe):
    organisation = OrganisationFactory(kind="authority")

    def member(role, email, first_name):
        return MembershipFactory(
            organisation=organisation, role=role, user__email=email, user__first_name=first_name
        ).user

    owner = member("owner", "olga@example.org", "Olga")
    anna = member("editor", "anna@example.org", "Anna")
    ben = member("editor", "ben@example.org", "Ben")
    assessment, _ = start_assessment(
        title="Reception", organisation_kind="authority", organisation=organisation, answering_mode="individual"
    )
    base = f"{live_server.url}/en/assessments/{assessment.public_id}"
    blocked, contexts = [], []

    # Anna and Ben each answer the first item on their own (autosave).
    for user, answer, comment in ((anna, "Yes", "We have a leaflet"), (ben, "No", "Only in Latvian")):
        context, page = _page_for(browser, live_server, user, blocked)
        contexts.append(context)
        page.goto(f"{base}/areas/1/")
        page.get_by_text("You are answering on your own").wait_for()
        item = page.locator('[id="a1.c1"]')
        item.get_by_label(answer, exact=True).check()
        item.locator(".save-status").get_by_text(re.compile("Saved at")).wait_for()
        item.get_by_label("Comment (optional)").fill(comment)
        item.get_by_label("Comment (optional)").blur()
        item.locator(".save-status").get_by_text(re.compile("Saved at")).wait_for()
        page.wait_for_function("() => !document.querySelector('[id=\"a1.c1\"]').classList.contains('htmx-request')")
    assert not Answer.objects.exists()
    assert IndividualAnswer.objects.filter(assessment=assessment).count() == 2

    # The owner sees how far members are, not what they answered, and opens the step.
    context, owner_page = _page_for(browser, live_server, owner, blocked)
    contexts.append(context)
    owner_page.goto(f"{base}/consensus/")
    owner_page.get_by_role("row", name=re.compile("Anna")).get_by_text(re.compile("^1 of")).wait_for()
    assert "We have a leaflet" not in owner_page.content()
    owner_page.get_by_role("button", name="Open the consensus step").click()
    owner_page.wait_for_url(re.compile(r"/consensus/areas/1/"))

    # Anna sees everyone's answers side by side and records the agreed one.
    anna_page = contexts[0].pages[0]
    anna_page.goto(f"{base}/consensus/areas/1/")
    item = anna_page.locator('section[id="a1.c1"]')
    item.get_by_text("split: 1 Yes, 1 No").wait_for()
    assert item.get_by_role("row", name=re.compile("Ben")).get_by_text("Only in Latvian").is_visible()
    assert axe(anna_page) == []
    item.get_by_label("Partly", exact=True).check()
    item.locator("textarea").fill("A translation is planned")
    item.get_by_role("button", name="Record the agreed answer").click()
    anna_page.locator('section[id="a1.c1"]').get_by_text("Recorded: Partly").wait_for()
    agreed = Answer.objects.get(assessment=assessment, item_id="a1.c1")
    assert (agreed.value, agreed.updated_by) == ("partly", anna)

    # The summary reads the agreed answer and shows how much the team disagreed.
    owner_page.goto(f"{base}/summary/")
    owner_page.get_by_text(re.compile(r"^1 of \d+ answered")).first.wait_for()
    owner_page.get_by_role("heading", name="How much the team disagreed").wait_for()
    assert "A translation is planned" in owner_page.content()
    for context in contexts:
        context.close()
    assert blocked == []
