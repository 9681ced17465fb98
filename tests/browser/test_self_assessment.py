"""A practitioner fills in a checklist: autosave, a dropped connection, the summary."""

import re

import pytest

from inclusion.assessments.models import Answer, AreaNote, Assessment
from inclusion.handbook.services import get_handbook, import_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def content_in_db():
    import_content(get_handbook())


def _start(page, live_server):
    page.goto(f"{live_server.url}/en/assessments/")
    page.get_by_label("Name of this self-assessment").fill("Welcome services")
    page.get_by_label("NGO or civil society organisation").check()
    page.get_by_role("button", name="Start").click()
    page.get_by_text("This link is shown only once.").wait_for()
    private_link = page.get_by_label("Your private link").input_value()
    assert "/en/assessments/private/" in private_link
    page.get_by_role("link", name=re.compile("I have saved the link")).click()
    return Assessment.objects.get()


def test_answers_autosave_and_survive_a_dropped_connection(live_server, page, axe):
    assessment = _start(page, live_server)
    page.get_by_role("link", name=re.compile(r"^1\. ")).click()
    page.wait_for_url(re.compile(r"/areas/1/$"))
    assert axe(page) == []

    first = page.locator('[id="a1.c1"]')
    first.get_by_label("Yes", exact=True).check()
    first.locator(".save-status").get_by_text(re.compile("Saved at")).wait_for()
    assert Answer.objects.get(assessment=assessment, item_id="a1.c1").value == "yes"

    # The connection drops: the page says so, keeps the choice, and saves once it is back.
    page.context.set_offline(True)
    second = page.locator('[id="a1.c2"]')
    second.get_by_label("Partly", exact=True).check()
    second.locator(".save-status").get_by_text(re.compile("connection dropped")).wait_for()
    assert not Answer.objects.filter(assessment=assessment, item_id="a1.c2").exists()
    page.context.set_offline(False)
    second.locator(".save-status").get_by_text(re.compile("Saved at")).wait_for(timeout=15000)
    assert Answer.objects.get(assessment=assessment, item_id="a1.c2").value == "partly"
    assert second.get_by_label("Partly", exact=True).is_checked()

    page.get_by_label("Notes on this key area").fill("We ask families at intake.")
    page.locator(".notes .save-status").get_by_text(re.compile("Saved at")).wait_for(timeout=10000)
    assert AreaNote.objects.get(assessment=assessment, area="a1").text == "We ask families at intake."

    page.get_by_role("navigation", name="Self-assessment").get_by_role("link", name="Summary").click()
    page.get_by_role("heading", name=re.compile("Clarity on the support")).wait_for()
    page.get_by_text("Improve the service or how it is delivered").first.wait_for()
    assert axe(page) == []


def test_checklist_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    assessment = _start(page, live_server)
    page.goto(f"{live_server.url}/en/assessments/{assessment.public_id}/areas/5/")
    page.locator('[id="a5.c1"]').get_by_label("No", exact=True).check()
    page.locator('[id="a5.c1"]').get_by_label("Comment (optional)").fill("Not yet")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Your answers for this key area are saved.").wait_for()
    answer = Answer.objects.get(assessment=assessment, item_id="a5.c1")
    assert (answer.value, answer.comment) == ("no", "Not yet")
    context.close()
