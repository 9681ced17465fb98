"""Phone and desktop layout: no sideways scrolling, and a header that leaves room for the page.

Screenshots of every page and size land in $SCREENSHOT_DIR (default: pytest's temporary
directory) for a person to look at; the test fails on what a machine can tell.
"""

import datetime
import os
from pathlib import Path

import pytest
from django.test import Client

from inclusion.assessments.answers import save_answer
from inclusion.assessments.models import Action
from inclusion.assessments.rounds import start_assessment
from inclusion.feedback.bank import get_question_bank
from inclusion.feedback.surveys import create_survey
from inclusion.feedback.surveys import today as surveys_today
from inclusion.handbook.services import get_handbook, import_content
from inclusion.organisations.models import Role
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
HEADER_LIMIT = 120  # px on the phone; it was about 430 with the navigation spelled out


@pytest.fixture
def screenshots(tmp_path_factory) -> Path:
    directory = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path_factory.getbasetemp() / "screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture
def site():
    """An owner's organisation with a self-assessment (answers, an action plan) and a survey."""
    import_content(get_handbook())
    owner = MembershipFactory(
        role=Role.OWNER,
        organisation=OrganisationFactory(name="Rīgas Sociālais dienests", slug="rigas-socialais-dienests"),
    )
    assessment, _token = start_assessment(
        title="Uzņemšanas dienests", organisation_kind="authority", organisation=owner.organisation, user=owner.user
    )
    for item, value in (("a1.c1", "yes"), ("a1.c2", "partly"), ("a1.c3", "no"), ("a2.c1", "yes")):
        save_answer(assessment, item, value, "Tulki ir pieejami divas reizes nedēļā.", owner.user)
    Action.objects.create(
        assessment=assessment,
        area="a1",
        item_id="a1.c3",
        description="Nolīgt tulkus arahu un persiešu valodā un apmācīt pieņemšanas darbiniekus sadarboties ar tiem",
        owner="Sociālā darba nodaļas vadītāja",
        due_date=datetime.date(2026, 11, 27),
    )
    today = surveys_today()
    survey = create_survey(
        organisation=owner.organisation,
        user=None,
        title="Pieņemšana",
        languages=["lv", "en", "fa"],
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
        bank_ids=list(get_question_bank()),
    )
    client = Client()
    client.force_login(owner.user)
    return {
        "session": client.cookies["sessionid"].value,
        "pages": {
            "home": "/lv/",
            "handbook-area": "/lv/handbook/areas/2/",
            "assessment-area": f"/lv/assessments/{assessment.public_id}/areas/1/",
            "summary": f"/lv/assessments/{assessment.public_id}/summary/",
            "action-plan": f"/lv/assessments/{assessment.public_id}/actions/",
            "organisation": f"/lv/organisations/{owner.organisation.slug}/",
            "account": "/lv/accounts/my-data/",
            "respondent-fa": f"/s/{survey.token}/fa/",
        },
    }


def signed_in_page(browser, live_server, site, viewport, **options):
    context = browser.new_context(viewport=viewport, **options)
    context.add_cookies([{"name": "sessionid", "value": site["session"], "url": live_server.url}])
    return context, context.new_page()


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_pages_fit_the_screen_without_sideways_scrolling(browser, live_server, site, screenshots, size, viewport):
    context, page = signed_in_page(browser, live_server, site, viewport)
    overflowing, headers = {}, {}
    for name, path in site["pages"].items():
        page.goto(f"{live_server.url}{path}")
        page.screenshot(path=screenshots / f"{name}-{size}.png", full_page=True)
        scroll_width, client_width = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll_width > client_width:
            overflowing[name] = (scroll_width, client_width)
        header = page.locator(".site-header")
        if header.count():
            headers[name] = header.bounding_box()["height"]
    context.close()

    assert overflowing == {}
    if size == "phone":
        assert {name: height for name, height in headers.items() if height >= HEADER_LIMIT} == {}
    assert page.url  # every page was visited
    assert len(headers) == len(site["pages"]) - 1  # the respondent page has its own, minimal header


def test_phone_menu_opens_without_javascript(browser, live_server, site, screenshots):
    context, page = signed_in_page(browser, live_server, site, PHONE, java_script_enabled=False)
    page.goto(f"{live_server.url}/lv/")
    handbook_link = page.get_by_role("navigation", name="Galvenā izvēlne").get_by_role("link", name="Rokasgrāmata")
    assert not handbook_link.is_visible()

    page.get_by_text("Izvēlne").click()
    page.screenshot(path=screenshots / "home-phone-menu-open.png", full_page=True)
    assert handbook_link.is_visible()
    assert page.get_by_role("link", name="Manas organizācijas").is_visible()
    assert page.get_by_role("searchbox").is_visible()
    handbook_link.click()
    page.wait_for_url(f"{live_server.url}/lv/handbook/")
    context.close()


def test_phone_menu_is_accessible_open_and_closed(browser, live_server, site, axe):
    context, page = signed_in_page(browser, live_server, site, PHONE)
    page.goto(f"{live_server.url}/lv/")
    assert axe(page) == []

    page.get_by_text("Izvēlne").click()
    assert axe(page) == []
    context.close()


def test_desktop_shows_the_navigation_without_a_menu_button(browser, live_server, site):
    context, page = signed_in_page(browser, live_server, site, DESKTOP)
    page.goto(f"{live_server.url}/lv/")

    assert not page.get_by_text("Izvēlne").is_visible()
    assert page.get_by_role("navigation", name="Galvenā izvēlne").get_by_role("link", name="Rokasgrāmata").is_visible()
    assert page.get_by_role("link", name="Manas organizācijas").is_visible()
    assert page.locator(".site-header").bounding_box()["height"] < HEADER_LIMIT
    context.close()


def test_action_plan_becomes_cards_on_a_phone(browser, live_server, site):
    context, page = signed_in_page(browser, live_server, site, PHONE)
    page.goto(f"{live_server.url}{site['pages']['action-plan']}")

    row = page.locator("table.stack tbody tr").first
    cells = row.locator("td")
    boxes = [cells.nth(index).bounding_box() for index in range(cells.count())]
    # One card: the cells stack under each other, each as wide as the card.
    assert [box["y"] for box in boxes] == sorted(box["y"] for box in boxes)
    assert len({round(box["x"]) for box in boxes}) == 1
    assert page.locator("table.stack thead").bounding_box()["height"] <= 1
    assert "termiņš" in cells.first.evaluate("cell => getComputedStyle(cell, '::before').content")
    context.close()


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_summary_chart_shows_every_percentage_on_screen(browser, live_server, site, size, viewport):
    context, page = signed_in_page(browser, live_server, site, viewport)
    page.goto(f"{live_server.url}{site['pages']['summary']}")

    visible = page.locator(".chart-wrap svg.chart:visible")
    assert visible.count() == 1  # one drawing, the other hidden
    box = visible.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    # Area 1's score (yes, partly, no: 50 %) is on screen, legible, without scrolling sideways.
    value = visible.locator("text", has_text="50%")
    value_box = value.bounding_box()
    assert value_box["x"] + value_box["width"] <= viewport["width"]
    assert value.evaluate("text => text.getBoundingClientRect().height") >= 11
    assert ("chart-narrow" in visible.evaluate("svg => svg.parentElement.className")) == (size == "phone")
    context.close()
