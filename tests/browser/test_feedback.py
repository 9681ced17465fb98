"""A refugee answers a survey in Arabic on a phone without JavaScript."""

import datetime

import pytest

from inclusion.feedback import surveys
from inclusion.feedback.bank import get_question_bank
from inclusion.feedback.models import Response, SurveyAnswer
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_respondent_answers_in_arabic_without_javascript(browser, live_server, axe):
    organisation = OrganisationFactory(name="Riga Welcome Centre")
    today = surveys.today()
    survey = surveys.create_survey(
        organisation=organisation, user=None, title="Reception", languages=["lv", "en", "ar", "fa"],
        opens_on=today - datetime.timedelta(days=1), closes_on=today + datetime.timedelta(days=30),
        bank_ids=list(get_question_bank()),
        contact="privacy@example.org",
    )  # fmt: skip
    bank = get_question_bank()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="ar")
    page = context.new_page()

    page.goto(f"{live_server.url}/s/{survey.token}/")
    page.wait_for_url(f"{live_server.url}/s/{survey.token}/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"

    satisfaction = page.get_by_role("group", name=bank["q.satisfaction"].text["ar"])
    satisfaction.get_by_label("جيد جدًا").check()
    page.get_by_role("group", name=bank["q.respect"].text["ar"]).get_by_label("نعم").check()
    barriers = page.get_by_role("group", name=bank["q.barriers"].text["ar"])
    barriers.get_by_label(bank["q.barriers"].options[0].text["ar"]).check()
    barriers.get_by_label(bank["q.barriers"].options[2].text["ar"]).check()
    page.get_by_label(bank["q.improve"].text["ar"]).fill("مواعيد أطول من فضلكم")
    page.get_by_role("button", name="أرسل إجاباتي").click()

    page.wait_for_url(f"{live_server.url}/s/{survey.token}/ar/thanks/")
    page.get_by_role("heading", name="شكرًا لك").wait_for()
    assert context.cookies() == []
    # axe runs as a script: it checks the same two pages in a context with JavaScript.
    checker = browser.new_context(viewport={"width": 360, "height": 740})
    checked = checker.new_page()
    for path in (f"/s/{survey.token}/ar/", f"/s/{survey.token}/ar/thanks/"):
        checked.goto(f"{live_server.url}{path}")
        assert checked.locator("html").get_attribute("dir") == "rtl"
        assert axe(checked) == [], path
    checker.close()
    response = Response.objects.get()
    assert (response.language, response.submitted_on) == ("ar", today)
    assert sorted(SurveyAnswer.objects.values_list("choice", flat=True)) == sorted(
        ["5", "yes", "q.barriers.language", "q.barriers.waiting", ""]
    )
    assert SurveyAnswer.objects.get(choice="").text == "مواعيد أطول من فضلكم"
    context.close()
