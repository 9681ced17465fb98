"""Paper forms (printed questionnaire, typing them in, the "paper" channel), the QR poster on
one page, pictures instead of emoji, and mixed-direction text."""

import io
import re
import uuid

import pytest
from django.test import Client
from django.utils import translation
from pypdf import PdfReader

from inclusion.feedback.bank import RESPONDENT_LANGUAGES
from inclusion.feedback.models import Channel, Response, SurveyAnswer
from inclusion.feedback.responses import submit_response
from inclusion.feedback.results import compile_results, results_table, summary_table

from .conftest import make_survey, questions_by_bank_id

pytestmark = pytest.mark.django_db

A4 = (595, 842)  # points, rounded
ARABIC_LETTERS = re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")


def _pdf(content):
    reader = PdfReader(io.BytesIO(content))
    return reader, [page.extract_text() for page in reader.pages]


def _page_size(page):
    return round(float(page.mediabox.width)), round(float(page.mediabox.height))


# --- the QR poster ----------------------------------------------------------------------------


def test_the_poster_fits_one_a4_page_with_every_language_and_the_code(client, survey, viewer_a):
    client.force_login(viewer_a)
    response = client.get(f"/en/feedback/riga-welcome/{survey.pk}/poster.pdf")
    reader, texts = _pdf(response.content)
    assert len(reader.pages) == 1
    assert _page_size(reader.pages[0]) == A4
    page = texts[0]
    assert f"/s/{survey.token}/" in page  # the address under the code
    # The code itself is drawn on the same page: the QR's modules are drawn as vector paths.
    assert reader.pages[0].get_contents().get_data().count(b" m\n") > 100
    # Every language's invitation: the Latin and Cyrillic ones by their words, and all six by
    # the organisation's name, which each of them names once (plus the heading).
    for code in ("lv", "en", "uk", "ru"):
        with translation.override(code):
            heading = translation.pgettext("respondent", "Tell us what you think")
        assert heading.replace(" ", "") in page.replace(" ", "").replace("\n", ""), code
    assert page.count("Riga Welcome") == 1 + len(survey.languages)
    assert len(ARABIC_LETTERS.findall(page)) > 60  # Arabic and Farsi, with a font that has the glyphs


# --- the printed questionnaire ----------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ar", "fa"])
def test_the_printed_questionnaire_is_a4_with_every_question_and_the_privacy_notice(client, survey, viewer_a, language):
    client.force_login(viewer_a)
    response = client.get(f"/en/feedback/riga-welcome/{survey.pk}/paper/{language}.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert set(response.headers["Cache-Control"].split(", ")) == {"private", "no-store"}
    reader, texts = _pdf(response.content)
    assert all(_page_size(page) == A4 for page in reader.pages)
    text = "".join(texts)
    assert "privacy@example.org" in text  # the privacy notice's contact
    assert f"/s/{survey.token}/" in text
    for number in range(1, survey.questions.count() + 1):
        assert f"{number}." in text or f".{number}" in text  # right to left, the dot comes first
    if language == "en":
        assert "How were you helped by us?" in text or "Very good" in text
        assert "Privacy notice" in text
    else:
        assert len(ARABIC_LETTERS.findall(text)) > 200  # glyphs drawn, not empty boxes
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
        if "/BaseFont" in font.get_object()
    }
    assert any("DejaVu" in name for name in fonts), fonts


def test_the_questionnaire_html_is_right_to_left_for_arabic_and_farsi_with_tick_boxes(survey):
    from django.template.loader import render_to_string

    from inclusion.feedback.questions import present_questions

    for language, direction in (("ar", "rtl"), ("fa", "rtl"), ("uk", "ltr")):
        with translation.override(language):
            html = render_to_string(
                "feedback/pdf/questionnaire.html",
                {"survey": survey, "language": language, "direction": direction, "survey_url": "x",
                 "questions": present_questions(survey, survey.questions.all(), language)},
            )  # fmt: skip
        assert f'<html lang="{language}" dir="{direction}">' in html
        choices = sum(len(q.choices) for q in present_questions(survey, survey.questions.all(), language))
        assert html.count('class="box') == choices
        assert "🙂" not in html and "🙁" not in html


def test_a_questionnaire_in_a_language_the_survey_does_not_offer_is_not_found(client, org_a, viewer_a):
    survey = make_survey(org_a, languages=("lv", "en"))
    client.force_login(viewer_a)
    assert client.get(f"/en/feedback/riga-welcome/{survey.pk}/paper/ar.pdf").status_code == 404


# --- typing paper forms in --------------------------------------------------------------------


def _paper_post(survey, key=None, language="ar", **overrides):
    questions = questions_by_bank_id(survey)
    data = {
        "language": language,
        "submission_key": str(key or uuid.uuid4()),
        f"q{questions['q.satisfaction'].pk}": "2",
        f"q{questions['q.respect'].pk}": "yes",
        f"q{questions['q.barriers'].pk}": ["q.barriers.language"],
        f"q{questions['q.improve'].pk}": "",
    }
    data.update(overrides)
    return data


def test_staff_type_in_a_paper_form_and_the_next_one_opens_in_the_same_language(client, survey, editor_a):
    client.force_login(editor_a)
    url = f"/en/feedback/riga-welcome/{survey.pk}/paper/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="submission_key"' in html and 'name="language"' in html
    assert "Not answered" in html
    response = client.post(url, _paper_post(survey))
    assert response.status_code == 302
    assert response.url == f"{url}?language=ar"
    stored = Response.objects.get(survey=survey)
    assert (stored.channel, stored.language) == (Channel.PAPER, "ar")
    assert sorted(stored.answers.values_list("choice", flat=True)) == ["2", "q.barriers.language", "yes"]
    following = client.get(response.url).content.decode()
    assert '<option value="ar" selected>' in following
    assert "The paper form is saved." in following


def test_a_paper_form_saved_twice_is_stored_once(client, survey, editor_a):
    client.force_login(editor_a)
    url = f"/en/feedback/riga-welcome/{survey.pk}/paper/"
    data = _paper_post(survey)
    client.post(url, data)
    second = client.post(url, data, follow=True)
    assert Response.objects.filter(survey=survey).count() == 1
    assert "already saved" in second.content.decode()


def test_an_empty_paper_form_is_refused_and_keeps_what_was_typed(client, survey, editor_a):
    client.force_login(editor_a)
    questions = questions_by_bank_id(survey)
    data = _paper_post(
        survey, language="fa", **{f"q{questions['q.satisfaction'].pk}": "9", f"q{questions['q.respect'].pk}": ""}
    )
    response = client.post(f"/en/feedback/riga-welcome/{survey.pk}/paper/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please choose one of the answers shown." in html
    assert '<option value="fa" selected>' in html
    assert 'value="q.barriers.language" checked' in html
    assert not Response.objects.exists()


def test_viewers_cannot_type_in_paper_forms(client, survey, viewer_a):
    client.force_login(viewer_a)
    url = f"/en/feedback/riga-welcome/{survey.pk}/paper/"
    assert client.get(url).status_code == 403
    assert client.post(url, _paper_post(survey)).status_code == 403
    assert not Response.objects.exists()


@pytest.mark.parametrize("own_questions", [0, 8])
def test_the_data_entry_page_runs_a_bounded_number_of_queries(
    client, survey, editor_a, own_questions, django_assert_max_num_queries
):
    from inclusion.feedback.surveys import add_own_question

    for index in range(own_questions):
        add_own_question(survey, "single", {"lv": f"J{index}", "en": f"Q{index}"}, [{"en": "A"}, {"en": "B"}])
    for _ in range(20):
        submit_response(survey, "en", {survey.questions.first(): "3"})
    client.force_login(editor_a)
    url = f"/en/feedback/riga-welcome/{survey.pk}/paper/"
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.post(url, _paper_post(survey)).status_code == 302


# --- the channel in results and exports -------------------------------------------------------


def _responses(survey, count, channel):
    question = questions_by_bank_id(survey)["q.satisfaction"]
    for _ in range(count):
        submit_response(survey, "en", {question: "4"}, channel=channel)


def test_results_count_responses_per_channel_through_the_suppression_rule(client, survey, viewer_a):
    _responses(survey, 6, Channel.WEB)
    _responses(survey, 5, Channel.PAPER)
    compiled = compile_results(survey, list(survey.questions.all()), "en")
    assert [(group.label, group.count) for group in compiled.by_channel] == [("Web", 6), ("Paper", 5)]
    rows = summary_table(compiled, survey.title).rows
    assert ["Channel", "Paper", 5, ""] in rows
    client.force_login(viewer_a)
    html = client.get(f"/en/feedback/riga-welcome/{survey.pk}/results/").content.decode()
    assert 'id="by-channel"' in html and '<th scope="row">Paper</th><td>5</td>' in html

    _responses(survey, 2, Channel.PAPER)  # a paper group of 7 beside … now check a small one
    small = make_survey(survey.organisation, title="Small paper")
    _responses(small, 8, Channel.WEB)
    _responses(small, 2, Channel.PAPER)
    compiled = compile_results(small, list(small.questions.all()), "en")
    # 2 on paper is hidden, and so the web count too: 10 − 8 would give it away.
    assert [(group.label, group.count) for group in compiled.by_channel] == [("Web", None), ("Paper", None)]
    assert ["Channel", "Paper", "fewer than 5", ""] in summary_table(compiled, small.title).rows


def test_answers_per_person_carry_the_channel_only_when_every_channel_has_five(survey):
    _responses(survey, 5, Channel.WEB)
    _responses(survey, 4, Channel.PAPER)
    table = results_table(survey, list(survey.questions.all()), "en", include_unreviewed=True)
    assert "Channel" not in table.header
    _responses(survey, 1, Channel.PAPER)
    table = results_table(survey, list(survey.questions.all()), "en", include_unreviewed=True)
    column = table.header.index("Channel")
    assert sorted(row[column] for row in table.rows) == ["Paper"] * 5 + ["Web"] * 5


def test_web_responses_are_marked_web(client, survey):
    question = questions_by_bank_id(survey)["q.satisfaction"]
    Client().post(f"/s/{survey.token}/en/", {f"q{question.pk}": "5"})
    assert list(Response.objects.values_list("channel", flat=True)) == [Channel.WEB]
    assert SurveyAnswer.objects.count() == 1


# --- pictures, not emoji; mixed direction -----------------------------------------------------


def test_scales_are_drawn_as_pictures_with_a_word_for_screen_readers(survey):
    html = Client().get(f"/s/{survey.token}/en/").content.decode()
    for emoji in ("😞", "🙁", "😐", "🙂", "😀"):
        assert emoji not in html
    scales = survey.questions.filter(kind="scale").count()
    yes_no = survey.questions.filter(kind="yesno").count()
    assert html.count('<svg class="picture face') == 5 * scales
    assert html.count('<svg class="picture thumb') == 2 * yes_no
    assert re.search(r'<svg class="picture face face-1"[^>]*aria-hidden="true"', html)
    # Each picture sits in the answer's label, beside its word: the radio's accessible name.
    assert re.search(r'<svg class="picture face face-5".*?</svg>\s*<span dir="auto">Very good</span>', html, re.S)


def test_the_organisations_name_is_isolated_inside_translated_text(org_a, client):
    org_a.name = "Cēsu novada"
    org_a.save()
    survey = make_survey(org_a)
    survey.contact_name = "Cēsu novada"
    survey.save()
    html = Client().get(f"/s/{survey.token}/fa/").content.decode()
    assert re.search(r"<h1>[^<]*<bdi dir=\"auto\">Cēsu novada</bdi>[^<]*</h1>", html)
    assert "\u2068Cēsu novada\u2069" in html  # in the <title>, where no element may stand
    privacy = Client().get(f"/s/{survey.token}/fa/privacy/").content.decode()
    assert '<bdi dir="auto">Cēsu novada</bdi>' in privacy
    assert '<legend class="question-text" dir="auto">' in html


def test_every_respondent_language_has_a_paper_link_on_the_survey_page(client, survey, viewer_a, editor_a):
    client.force_login(viewer_a)
    html = client.get(f"/en/feedback/riga-welcome/{survey.pk}/").content.decode()
    for code in survey.languages:
        assert f"/paper/{code}.pdf" in html
    assert f'/{survey.pk}/paper/"' not in html  # typing in is for editors
    client.force_login(editor_a)
    assert f'/{survey.pk}/paper/"' in client.get(f"/en/feedback/riga-welcome/{survey.pk}/").content.decode()
    assert set(RESPONDENT_LANGUAGES) >= set(survey.languages)
