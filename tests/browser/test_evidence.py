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


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_editor_keeps_last_rounds_evidence_in_the_new_round(browser, live_server, javascript, tmp_path_factory):
    from inclusion.assessments.evidence import add_evidence
    from inclusion.assessments.rounds import start_next_round
    from inclusion.handbook.models import HandbookItem

    organisation = OrganisationFactory(kind="authority")
    editor = MembershipFactory(organisation=organisation, role="editor").user
    first, _ = start_assessment(title="Reception", organisation_kind="authority", organisation=organisation)
    item = HandbookItem.objects.get(key="a1.c1")
    add_evidence(first, item, url="https://example.org/minutes", text="Council minutes")
    add_evidence(first, item, text="Interpreters' rota")
    later = start_next_round(first)
    client = Client()
    client.force_login(editor)
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=javascript)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/en/assessments/{later.public_id}/areas/1/")

    block = page.locator("#evidence-a1c1")
    block.get_by_text("Evidence from round 1, not yet kept for this round:").wait_for()
    page.screenshot(path=tmp_path_factory.getbasetemp() / f"keep-evidence-{javascript}.png", full_page=True)
    block.get_by_role("button", name=re.compile(r"^Keep for this round\W+https:\/\/example\.org\/minutes$")).click()
    block = page.locator("#evidence-a1c1")
    block.get_by_role("link", name="https://example.org/minutes").wait_for()
    # The other piece is still offered; the kept one is not.
    assert block.get_by_role("button", name=re.compile("^Keep for this round")).count() == 1
    kept = Evidence.objects.get(assessment=later)
    assert (kept.url, kept.text, kept.kept_from.assessment_id) == (
        "https://example.org/minutes",
        "Council minutes",
        first.pk,
    )
    if not javascript:
        assert page.get_by_text("The evidence is kept for this round.").is_visible()
    context.close()
