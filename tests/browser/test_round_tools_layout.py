"""At phone width the round tools and the answer-conflict box fit the screen and pass axe."""

import re

import pytest
from django.conf import settings
from django.test import Client

from inclusion.assessments.answers import save_answer
from inclusion.assessments.rounds import start_assessment, start_next_round
from inclusion.handbook.services import get_handbook, import_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390


@pytest.fixture(autouse=True)
def content_in_db():
    import_content(get_handbook())


def _phone_page(browser, live_server, user, blocked):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": PHONE, "height": 844})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    return context, page


def _page_width(page):
    return page.evaluate("document.scrollingElement.scrollWidth")


def test_round_tools_and_answer_conflict_fit_a_phone_and_pass_axe(browser, live_server, axe, owner_a, editor_a, org_a):
    first, _ = start_assessment(title="Reception", organisation_kind="authority", organisation=org_a)
    current = start_next_round(first, owner_a)
    blocked = []
    context, page = _phone_page(browser, live_server, owner_a, blocked)
    base = f"{live_server.url}/en/assessments/{current.public_id}"

    page.goto(f"{base}/")
    tools = page.locator(".round-tools")
    tools.get_by_role("link", name="Sign off this round as final").wait_for()
    tools.get_by_role("link", name="Delete this round").wait_for()
    page.get_by_role("group", name="How do members answer in the new round?").wait_for()
    page.get_by_label("Remind us to run the round after it").wait_for()
    assert _page_width(page) <= PHONE
    for box in (tools, page.locator("form.new-round")):
        right = box.evaluate("element => element.getBoundingClientRect().right")
        assert right <= PHONE
    assert axe(page) == []

    # A colleague answers after this page was opened: the stale save shows both answers and the choice.
    page.goto(f"{base}/areas/1/")
    save_answer(current, "a1.c1", "yes", "We ask at intake.", editor_a)
    item = page.locator('[id="a1.c1"]')
    item.get_by_label("No", exact=True).check()
    box = item.locator(".answer-conflict")
    box.get_by_text(re.compile("Not saved: .*editor@a.example")).wait_for()
    assert box.locator(".conflict-theirs dd").inner_text().startswith("Yes")
    assert box.locator(".conflict-mine dd").inner_text() == "No"
    box.get_by_role("button", name="Replace theirs with mine").wait_for()
    box.get_by_role("link", name="Keep theirs").wait_for()
    assert _page_width(page) <= PHONE
    assert box.evaluate("element => element.getBoundingClientRect().right") <= PHONE
    assert axe(page) == []
    context.close()
    assert blocked == []
