"""Issue 13: a shared tablet in kiosk mode keeps answering offline and loses nothing."""

import datetime

import pytest

from inclusion.feedback import kiosks, surveys
from inclusion.feedback.bank import get_question_bank
from inclusion.feedback.models import Response, SurveyAnswer
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _survey():
    today = surveys.today()
    return surveys.create_survey(
        organisation=OrganisationFactory(name="Riga Welcome Centre"), user=None, title="Reception",
        languages=["lv", "en", "uk", "ar"], opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30), bank_ids=list(get_question_bank()),
        contact="privacy@example.org",
    )  # fmt: skip


def _answer(page, language, improvement):
    bank = get_question_bank()
    page.get_by_role("link", name={"en": "English", "uk": "Українська", "ar": "العربية"}[language]).click()
    page.wait_for_url(f"**/kiosk/{language}/")
    page.get_by_role("group", name=bank["q.respect"].text[language]).locator("input[value=yes]").check()
    page.get_by_label(bank["q.improve"].text[language]).fill(improvement)
    page.locator("form[data-kiosk-form] button[type=submit]").click()
    page.wait_for_url("**/kiosk/")
    page.locator("[data-kiosk-thanks]").wait_for()


def test_three_responses_made_offline_survive_a_reload_and_are_stored_once(page, live_server):
    survey = _survey()
    _device, code = kiosks.create_device(survey, "Waiting room")
    context = page.context
    start = f"{live_server.url}/s/{survey.token}/kiosk/"

    page.goto(start)
    page.get_by_label("Device code").fill(code.lower())
    page.get_by_role("button", name="Use this tablet for the survey").click()
    page.locator("[data-kiosk-languages]").wait_for()
    page.wait_for_selector("[data-offline-ready=true]")
    assert page.evaluate("navigator.serviceWorker.controller !== null")

    context.set_offline(True)
    for language, text in (("en", "Longer hours"), ("uk", "Більше перекладачів"), ("ar", "مواعيد أطول")):
        _answer(page, language, text)
    page.wait_for_selector("[data-waiting='3']")
    assert Response.objects.count() == 0

    page.reload()  # from the service worker's cache: the network is still off
    page.wait_for_selector("[data-waiting='3']")
    assert page.locator("[data-kiosk-waiting]").inner_text() == "3"

    context.set_offline(False)
    page.wait_for_selector("[data-waiting='0']", timeout=15000)
    assert page.locator("[data-kiosk-last]").get_attribute("datetime")
    assert Response.objects.count() == 3
    assert sorted(Response.objects.values_list("language", flat=True)) == ["ar", "en", "uk"]
    assert SurveyAnswer.objects.filter(text="Більше перекладачів").count() == 1
    # Reloading again online sends nothing twice.
    page.reload()
    page.wait_for_selector("[data-waiting='0']")
    assert Response.objects.count() == 3
    assert context.cookies() == []


def test_a_revoked_code_keeps_the_queue_and_says_so(page, live_server):
    survey = _survey()
    device, code = kiosks.create_device(survey, "Waiting room")
    page.goto(f"{live_server.url}/s/{survey.token}/kiosk/")
    page.get_by_label("Device code").fill(code)
    page.get_by_role("button", name="Use this tablet for the survey").click()
    page.wait_for_selector("[data-offline-ready=true]")
    page.context.set_offline(True)
    _answer(page, "en", "Please keep this")
    kiosks.revoke_device(device)
    page.context.set_offline(False)
    alert = page.get_by_role("alert")
    alert.wait_for(timeout=15000)
    assert "revoked" in alert.inner_text()
    assert page.locator("[data-kiosk-waiting]").inner_text() == "1"
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the waiting answers (JSON)").click()
    exported = download.value.path().read_text()
    assert "Please keep this" in exported
    assert Response.objects.count() == 0


def test_an_idle_half_filled_form_goes_back_to_the_language_choice(page, live_server):
    survey = _survey()
    _device, code = kiosks.create_device(survey, "Waiting room")
    page.goto(f"{live_server.url}/s/{survey.token}/kiosk/")
    page.get_by_label("Device code").fill(code)
    page.get_by_role("button", name="Use this tablet for the survey").click()
    page.locator("[data-kiosk-languages]").wait_for()
    page.clock.install()
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/kiosk/en/")
    page.get_by_label(get_question_bank()["q.improve"].text["en"]).fill("half")
    page.clock.run_for(121_000)
    page.wait_for_url("**/kiosk/")
    # The start page reads the offline queue asynchronously; wait for that
    # reading rather than racing it: nothing half-typed was queued.
    page.locator("[data-kiosk-languages]").wait_for()
    page.wait_for_selector("[data-waiting='0']")
    assert Response.objects.count() == 0
