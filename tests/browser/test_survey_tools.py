"""Issue 13: an organiser previews a survey with number, date and skip-logic questions in
Farsi; a respondent answers it without JavaScript. No CSP violation, no serious axe finding."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

from inclusion.feedback import surveys
from inclusion.feedback.models import Response, SurveyAnswer
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("en", "fa")


def _texts(en, fa):
    return {"en": en, "fa": fa}


def test_preview_and_answer_number_date_and_skip_logic(browser, live_server, axe):
    organisation = OrganisationFactory(name="Riga Welcome Centre", slug="riga-welcome-centre")
    editor = MembershipFactory(organisation=organisation, role="editor").user
    today = surveys.today()
    survey = surveys.create_survey(
        organisation=organisation, user=None, title="Reception", languages=list(LANGUAGES),
        opens_on=today - datetime.timedelta(days=1), closes_on=today + datetime.timedelta(days=30),
        bank_ids=["q.respect"], contact="privacy@example.org",
    )  # fmt: skip
    respect = survey.questions.get()
    why = surveys.add_own_question(survey, "text", _texts("What went wrong?", "چه مشکلی پیش آمد؟"), [],
                                   (respect.pk, "no"))  # fmt: skip
    visits = surveys.add_own_question(survey, "number", _texts("How many visits?", "چند بار مراجعه کردید؟"), [])
    arrived = surveys.add_own_question(survey, "date", _texts("When did you arrive?", "کی رسیدید؟"), [])

    blocked = []
    client = Client()
    client.force_login(editor)
    organiser = browser.new_context(viewport={"width": 1280, "height": 900})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    organiser.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = organiser.new_page()
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/en/feedback/riga-welcome-centre/{survey.pk}/preview/fa/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_role("note").get_by_text("Preview").first.wait_for()
    assert axe(page) == []
    # With JavaScript the skip logic hides "What went wrong?" until "No" is chosen.
    assert page.get_by_label("چه مشکلی پیش آمد؟").is_hidden()
    page.get_by_label("نه", exact=True).check()
    assert page.get_by_label("چه مشکلی پیش آمد؟").is_visible()
    page.get_by_label("چند بار مراجعه کردید؟").fill("٣")
    page.get_by_role("button", name="Check the answers (preview: nothing is stored)").click()
    page.get_by_text("These answers are valid. Preview: nothing was stored.").wait_for()
    assert not Response.objects.exists()
    assert blocked == []
    organiser.close()

    respondent = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = respondent.new_page()
    page.goto(f"{live_server.url}/s/{survey.token}/en/")
    assert page.get_by_label("What went wrong?").is_visible()  # no JavaScript: shown, with its hint
    page.get_by_label("How many visits?").fill("many")
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_text("Please write a number, for example 12 or 3.5.").first.wait_for()
    assert page.get_by_label("How many visits?").input_value() == "many"
    page.get_by_label("How many visits?").fill("3,5")
    page.get_by_label("When did you arrive?").fill("2025-08-15")
    page.get_by_label("Yes").check()
    page.get_by_label("What went wrong?").fill("Not for me")  # its condition ("No") is not met: ignored
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url(f"{live_server.url}/s/{survey.token}/en/thanks/")
    respondent.close()
    assert SurveyAnswer.objects.get(question=visits).choice == "3.5"
    assert SurveyAnswer.objects.get(question=arrived).choice == "2025-08-15"
    assert not SurveyAnswer.objects.filter(question=why).exists()
