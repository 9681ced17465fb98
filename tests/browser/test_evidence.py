"""An editor adds evidence beside a checklist item with htmx: a link and a file are listed
without leaving the page; an HTML file renamed .pdf is refused and the text typed is kept."""

import re

import pytest
from django.conf import settings
from django.test import Client

from inclusion.assessments.models import Evidence
from inclusion.assessments.rounds import start_assessment
from inclusion.handbook.services import get_handbook, import_content
from tests.assessments import evidence_files as files
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def content_in_db():
    import_content(get_handbook())


def test_editor_adds_and_removes_evidence_on_the_area_page(browser, live_server):
    organisation = OrganisationFactory(kind="authority")
    editor = MembershipFactory(organisation=organisation, role="editor").user
    assessment, _ = start_assessment(title="Reception", organisation_kind="authority", organisation=organisation)
    client = Client()
    client.force_login(editor)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/en/assessments/{assessment.public_id}/areas/1/")
    page.evaluate("window.stillThisPage = true")

    block = page.locator("#evidence-a1c1")
    block.get_by_label("Link").fill("https://example.org/minutes")
    block.get_by_label("Short description").fill("Council minutes")
    block.get_by_label("File").set_input_files(
        {"name": "minutes.pdf", "mimeType": "application/pdf", "buffer": files.pdf()}
    )
    block.get_by_role("button", name="Add evidence").click()
    block.get_by_role("link", name="minutes.pdf").wait_for()
    assert block.get_by_role("link", name="https://example.org/minutes").is_visible()
    assert page.evaluate("window.stillThisPage") is True
    evidence = Evidence.objects.get()
    assert (evidence.url, evidence.text, evidence.file_name) == (
        "https://example.org/minutes",
        "Council minutes",
        "minutes.pdf",
    )

    # A page in disguise is refused; what was typed stays.
    block = page.locator("#evidence-a1c1")
    block.get_by_label("Short description").fill("Keep this")
    block.get_by_label("File").set_input_files(
        {"name": "report.pdf", "mimeType": "application/pdf", "buffer": files.HTML}
    )
    block.get_by_role("button", name="Add evidence").click()
    page.get_by_text(re.compile("cannot be attached: its content is not a kind we accept")).wait_for()
    assert page.locator("#evidence-a1c1").get_by_label("Short description").input_value() == "Keep this"
    assert Evidence.objects.count() == 1

    # The file is a download.
    with page.expect_download() as download:
        page.locator("#evidence-a1c1").get_by_role("link", name="minutes.pdf").click()
    assert download.value.suggested_filename == "minutes.pdf"

    page.locator("#evidence-a1c1").get_by_role("button", name=re.compile("^Remove")).click()
    page.locator("#evidence-a1c1").get_by_text("No evidence yet.").wait_for()
    assert not Evidence.objects.exists()
    assert page.evaluate("window.stillThisPage") is True
    context.close()
    assert blocked == []
