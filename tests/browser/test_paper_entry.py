"""Staff type in a paper form with the keyboard alone, and the next form opens."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

from inclusion.feedback import surveys
from inclusion.feedback.bank import get_question_bank
from inclusion.feedback.models import Response
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_paper_form_is_typed_in_by_keyboard_and_saved_once(browser, live_server):
    organisation = OrganisationFactory(name="Riga Welcome Centre")
    editor = MembershipFactory(organisation=organisation, role="editor").user
    today = surveys.today()
    survey = surveys.create_survey(
        organisation=organisation, user=None, title="Reception", languages=["lv", "en", "ar"],
        opens_on=today - datetime.timedelta(days=1), closes_on=today + datetime.timedelta(days=30),
        bank_ids=["q.satisfaction", "q.respect", "q.barriers"], contact="privacy@example.org",
    )  # fmt: skip
    client = Client()
    client.force_login(editor)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/en/feedback/{organisation.slug}/{survey.pk}/paper/?language=ar")

    page.locator("#id_language").focus()
    page.keyboard.press("Tab")  # to the first question: its "not answered" answer
    page.keyboard.press("ArrowDown")  # 1
    page.keyboard.press("ArrowDown")  # 2
    page.keyboard.press("Tab")  # to the yes/no question
    page.keyboard.press("ArrowDown")  # yes
    page.keyboard.press("Tab")  # to the first box of the several-choices question
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the third box
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_text("The paper form is saved.").wait_for()
    stored = Response.objects.get()
    bank = get_question_bank()
    assert (stored.channel, stored.language) == ("paper", "ar")
    assert sorted(stored.answers.values_list("choice", flat=True)) == sorted(
        ["2", "yes", bank["q.barriers"].options[0].id, bank["q.barriers"].options[2].id]
    )
    # The next empty form, in the same language, with a new one-time key.
    satisfaction = survey.questions.get(bank_id="q.satisfaction").pk
    assert page.locator("#id_language").input_value() == "ar"
    assert page.locator(f"input[name=q{satisfaction}][value='']").is_checked()
    assert page.locator("input[name=submission_key]").input_value() != str(stored.submission_key)
    context.close()
    assert blocked == []
