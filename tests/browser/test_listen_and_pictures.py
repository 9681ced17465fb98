"""The respondent page in Arabic on a 390 px phone, with JavaScript: pictures, "listen"."""

import datetime

import pytest

from inclusion.feedback import surveys
from inclusion.feedback.bank import get_question_bank
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A browser with one Arabic voice, whose speech is written down instead of spoken.
FAKE_VOICE = """
window.__spoken = [];
Object.defineProperty(window.speechSynthesis, "getVoices", {value: () => [{lang: "ar-SA", name: "Test"}]});
Object.defineProperty(window.speechSynthesis, "speak", {value: (u) => window.__spoken.push([u.lang, u.text])});
"""


def _survey():
    today = surveys.today()
    return surveys.create_survey(
        organisation=OrganisationFactory(name="Cēsu novada"), user=None, title="Reception",
        languages=["lv", "en", "ar", "fa"], opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30), bank_ids=list(get_question_bank()),
        contact="privacy@example.org",
    )  # fmt: skip


def test_arabic_page_at_390px_draws_faces_and_hides_listen_without_a_voice(browser, live_server, tmp_path):
    survey = _survey()
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/s/{survey.token}/ar/")
    page.screenshot(path=str(tmp_path / "ar-390.png"), full_page=True)
    faces = page.locator("svg.face")
    assert faces.count() == 5 * survey.questions.filter(kind="scale").count()
    box = faces.first.bounding_box()
    assert box["width"] >= 36 and box["height"] >= 36  # drawn, not an empty emoji box
    # Every answer is a big target, and nothing overflows the phone's width.
    for label in page.locator(".choice").all():
        assert label.bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Focus on an answer is visible around its whole label.
    page.locator(".scale input").first.focus()
    page.keyboard.press("ArrowLeft")
    outline = page.evaluate(
        "getComputedStyle(document.querySelector('.scale .choice:has(input:focus-visible)')).outlineStyle"
    )
    assert outline == "solid"
    # Headless Chromium offers no Arabic voice: no "listen" button is shown.
    assert page.locator("button.speak:visible").count() == 0
    context.close()
    assert blocked == []


def test_listen_reads_the_question_and_its_answers_in_the_page_language(browser, live_server):
    survey = _survey()
    bank = get_question_bank()
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script(FAKE_VOICE)
    page = context.new_page()
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/s/{survey.token}/ar/")
    buttons = page.locator("button.speak:visible")
    assert buttons.count() == survey.questions.count()
    buttons.first.click()
    spoken = page.evaluate("window.__spoken")
    assert len(spoken) == 1
    language, text = spoken[0]
    assert language == "ar"
    assert bank["q.satisfaction"].text["ar"] in text
    assert "جيد جدًا" in text
    context.close()
    assert blocked == []
