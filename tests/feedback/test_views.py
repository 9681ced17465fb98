"""Organisation pages: permissions, creating surveys, results, exports, QR code and poster."""

import datetime
import io

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from inclusion.feedback import surveys
from inclusion.feedback.models import Response, Survey, SurveyAnswer, SurveyQuestion
from inclusion.feedback.responses import submit_response
from inclusion.feedback.results import compile_results
from inclusion.feedback.surveys import today
from inclusion.organisations.models import Organisation

from .conftest import make_survey, questions_by_bank_id

pytestmark = pytest.mark.django_db


def _urls(survey):
    base = f"/en/feedback/{survey.organisation.slug}"
    question = survey.questions.first()
    return {
        f"{base}/": "viewer",
        f"{base}/new/": "editor",
        f"{base}/{survey.pk}/": "viewer",
        f"{base}/{survey.pk}/settings/": "editor",
        f"{base}/{survey.pk}/questions/new/": "editor",
        f"{base}/{survey.pk}/questions/{question.pk}/remove/": "editor",
        f"{base}/{survey.pk}/results/": "viewer",
        f"{base}/{survey.pk}/results/review/": "editor",
        f"{base}/{survey.pk}/results.csv": "viewer",
        f"{base}/{survey.pk}/results.xlsx": "viewer",
        # Issue 10: answers per person are for editors only.
        f"{base}/{survey.pk}/responses.csv": "editor",
        f"{base}/{survey.pk}/responses.xlsx": "editor",
        f"{base}/{survey.pk}/qr.svg": "viewer",
        f"{base}/{survey.pk}/qr.png": "viewer",
        f"{base}/{survey.pk}/poster.pdf": "viewer",
        f"{base}/{survey.pk}/you-said-we-did/": "editor",
    }


def test_a_survey_is_not_found_under_another_organisations_slug(client, survey, outsider, viewer_a, stranger):
    """Every URL for every role is tried by tests/test_permissions.py; here, the slug check."""
    client.force_login(stranger)
    assert client.post("/en/feedback/riga-welcome/new/").status_code == 404
    other = make_survey(Organisation.objects.get(slug="elsewhere"))  # the outsider's own organisation
    client.force_login(outsider)
    assert client.get(f"/en/feedback/riga-welcome/{other.pk}/").status_code == 404
    assert client.get(f"/en/feedback/elsewhere/{survey.pk}/").status_code == 404
    client.force_login(viewer_a)
    assert client.get(f"/en/feedback/riga-welcome/{other.pk}/results/").status_code == 404
    assert client.get(f"/en/feedback/elsewhere/{survey.pk}/results/").status_code == 404
    client.logout()
    assert client.post(f"/en/feedback/riga-welcome/{survey.pk}/results/review/").status_code == 404


def test_viewers_read_but_editors_change(client, survey, viewer_a, editor_a):
    _seed(survey, 5)  # answers per person exist from five responses on
    client.force_login(viewer_a)
    for url, role in _urls(survey).items():
        if url.endswith("/remove/") or url.endswith("/review/"):
            assert client.get(url).status_code == 405
            assert client.post(url).status_code == 403
            continue
        expected = 200 if role == "viewer" else 403
        assert client.get(url).status_code == expected, url
    client.force_login(editor_a)
    for url in _urls(survey):
        if not (url.endswith("/remove/") or url.endswith("/review/")):
            assert client.get(url).status_code == 200, url


def test_editor_creates_a_survey_from_the_question_bank(client, org_a, editor_a):
    client.force_login(editor_a)
    page = client.get("/en/feedback/riga-welcome/new/").content.decode()
    assert "How well did you understand the information you were given?" in page
    response = client.post(
        "/en/feedback/riga-welcome/new/",
        {"title": "After a consultation", "languages": ["ar", "en", "uk"], "opens_on": "2026-01-10",
         "closes_on": "2026-06-30", "questions": ["q.comment", "q.satisfaction"],
         "contact_name": "Riga Welcome Centre", "contact": "privacy@rwc.lv", "retention_months": "12"},
    )  # fmt: skip
    survey = Survey.objects.get()
    assert response.headers["Location"] == f"/en/feedback/riga-welcome/{survey.pk}/"
    assert survey.languages == ["en", "uk", "ar"]
    assert survey.created_by == editor_a
    assert (survey.contact_name, survey.contact, survey.retention_months) == (
        "Riga Welcome Centre",
        "privacy@rwc.lv",
        12,
    )
    assert [q.bank_id for q in survey.questions.all()] == ["q.satisfaction", "q.comment"]


def test_survey_form_keeps_input_and_explains_errors(client, org_a, editor_a):
    client.force_login(editor_a)
    response = client.post(
        "/en/feedback/riga-welcome/new/",
        {"title": "Kept title", "languages": ["xx"], "opens_on": "2026-05-01", "closes_on": "2026-04-01"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'value="Kept title"' in page
    assert "The closing date must not be before the opening date." in page
    assert "Select a valid choice. xx is not one of the available choices." in page
    assert Survey.objects.count() == 0


def test_editor_adds_own_choice_question_in_several_languages(client, org_a, editor_a):
    survey = make_survey(org_a, languages=("lv", "en", "ar"), bank_ids=[])
    client.force_login(editor_a)
    url = f"/en/feedback/riga-welcome/{survey.pk}/questions/new/"
    response = client.post(url, {"kind": "single", "text_lv": "Kā jūs uzzinājāt par mums?",
                                 "options_lv": "Draugi\nInternets", "options_en": "Friends"})  # fmt: skip
    assert "Give as many answers as in the first language (2), in the same order." in response.content.decode()
    client.post(url, {"kind": "single", "text_lv": "Kā jūs uzzinājāt par mums?", "text_en": "How did you hear of us?",
                      "options_lv": "Draugi\nInternets\n", "options_en": "Friends\nInternet"})  # fmt: skip
    question = SurveyQuestion.objects.get(survey=survey)
    assert question.text == {"lv": "Kā jūs uzzinājāt par mums?", "en": "How did you hear of us?"}
    assert question.options == [
        {"id": "o1", "text": {"lv": "Draugi", "en": "Friends"}},
        {"id": "o2", "text": {"lv": "Internets", "en": "Internet"}},
    ]
    assert "How did you hear of us?" in client.get(f"/en/feedback/riga-welcome/{survey.pk}/").content.decode()


def test_question_with_answers_cannot_be_removed(client, survey, editor_a):
    question = questions_by_bank_id(survey)["q.respect"]
    submit_response(survey, "en", {question: "yes"})
    client.force_login(editor_a)
    response = client.post(f"/en/feedback/riga-welcome/{survey.pk}/questions/{question.pk}/remove/", follow=True)
    assert "The survey already has responses, so its questions cannot be removed." in response.content.decode()
    assert SurveyQuestion.objects.filter(pk=question.pk).exists()


def _seed(survey, count, language="en", day=None, comment="Good staff"):
    questions = questions_by_bank_id(survey)
    responses = Response.objects.bulk_create(
        Response(survey=survey, language=language, submitted_on=day or surveys.today()) for _ in range(count)
    )
    answers = []
    for index, response in enumerate(responses):
        answers += [
            SurveyAnswer(response=response, question=questions["q.satisfaction"], choice=str(index % 5 + 1)),
            SurveyAnswer(response=response, question=questions["q.respect"], choice="yes" if index % 4 else "no"),
            SurveyAnswer(response=response, question=questions["q.barriers"], choice="q.barriers.language"),
            SurveyAnswer(response=response, question=questions["q.barriers"], choice="q.barriers.hours"),
            SurveyAnswer(response=response, question=questions["q.improve"], text=f"{comment} {index}"),
        ]
    SurveyAnswer.objects.bulk_create(answers)
    return responses


def test_results_count_distribute_and_suppress_small_groups(client, survey, editor_a):
    _seed(survey, 10, "uk", day=today().replace(day=1))
    _seed(survey, 3, "ar", day=today().replace(day=1) - datetime.timedelta(days=40))
    results = compile_results(survey, list(survey.questions.all()), "en")
    assert results.total == 13
    # Issue 10: 10 + 3 — hiding only the 3 would leave it as 13 - 10, so the 10 is hidden too.
    assert [(g.label, g.count) for g in results.by_language] == [("Українська", None), ("العربية", None)]
    assert [row.count for row in results.months] == [None, None]
    assert results.months[1].means == [None, None]
    satisfaction, respect, information, _language, barriers, improve, _comment = results.questions
    assert [(c.label, c.count) for c in satisfaction.counts] == [
        ("Very bad", None), ("Bad", None), ("OK", None), ("Good", None), ("Very good", None),
    ]  # fmt: skip
    assert (satisfaction.answered, satisfaction.mean) == (13, None)
    assert [(c.value, c.count, c.percent) for c in respect.counts] == [("yes", None, None), ("no", None, None)]
    assert information.answered == 0
    assert (barriers.answered, barriers.counts[0].percent, barriers.counts[4].percent) == (13, 100, 100)
    assert improve.answered == 13

    client.force_login(editor_a)
    page = client.get(f"/en/feedback/riga-welcome/{survey.pk}/results/").content.decode()
    assert "13 responses." in page
    assert "not shown" in page
    assert "no group of fewer than 5 people can be read or worked out" in page
    assert "of 5." not in page  # no average

    _seed(survey, 7, "ar", day=surveys.today().replace(day=1))
    results = compile_results(survey, list(survey.questions.all()), "en")
    assert [(g.label, g.count) for g in results.by_language] == [("Українська", 10), ("العربية", 10)]
    assert [row.count for row in results.months] == [None, None]  # 3 and 17
    satisfaction = results.questions[0]
    assert ([c.count for c in satisfaction.counts], satisfaction.mean) == ([5, 5, None, None, None], None)


def test_written_answers_reach_viewers_only_after_review(client, survey, editor_a, viewer_a):
    _seed(survey, 2, comment="Private story")
    url = f"/en/feedback/riga-welcome/{survey.pk}/results/"
    client.force_login(viewer_a)
    assert "Private story" not in client.get(url).content.decode()
    csv = client.get(f"/en/feedback/riga-welcome/{survey.pk}/responses.csv").content.decode("utf-8-sig")
    assert "Private story" not in csv
    client.force_login(editor_a)
    assert "Private story 1" in client.get(url).content.decode()
    first = SurveyAnswer.objects.filter(text="Private story 1").get()
    client.post(f"/en/feedback/riga-welcome/{survey.pk}/results/review/", {"answer": [str(first.pk)]})
    client.force_login(viewer_a)
    page = client.get(url).content.decode()
    assert "Private story 1" in page and "Private story 0" not in page


def test_results_page_query_count_does_not_grow_with_responses(client, survey, editor_a, django_assert_num_queries):
    _seed(survey, 6)
    client.force_login(editor_a)
    url = f"/en/feedback/riga-welcome/{survey.pk}/results/"
    client.get(url)
    cache.clear()  # measure the full computation, not the cached counts
    with django_assert_num_queries(12) as small:
        client.get(url)
    _seed(survey, 300, "ar", day=surveys.today() - datetime.timedelta(days=70))
    cache.clear()
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_results_counts_are_cached_until_a_new_response(client, survey, editor_a, django_assert_num_queries):
    _seed(survey, 6)
    client.force_login(editor_a)
    url = f"/en/feedback/riga-welcome/{survey.pk}/results/"
    cache.clear()
    with django_assert_num_queries(12):
        client.get(url)
    with django_assert_num_queries(7):  # the counts come from the cache
        client.get(url)
    _seed(survey, 1)
    assert compile_results(survey, list(survey.questions.all()), "en").total == 7


def test_survey_list_query_count_does_not_grow_with_surveys(client, org_a, editor_a, django_assert_num_queries):
    make_survey(org_a)
    client.force_login(editor_a)
    client.get("/en/feedback/riga-welcome/")
    with django_assert_num_queries(4) as small:
        client.get("/en/feedback/riga-welcome/")
    for index in range(5):
        _seed(make_survey(org_a, title=f"S{index}"), 3)
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get("/en/feedback/riga-welcome/").content.decode()
    assert page.count("/results/") == 6


def test_exports_one_row_per_response_with_labels(client, survey, editor_a):
    _seed(survey, 3)
    submit_response(survey, "lv", {questions_by_bank_id(survey)["q.improve"]: "=HYPERLINK(1)"})
    client.force_login(editor_a)
    # Issue 10: fewer than five responses give a message, not a file.
    response = client.get(f"/en/feedback/riga-welcome/{survey.pk}/responses.csv", follow=True)
    assert "Content-Disposition" not in response.headers
    assert "Answers per person can be downloaded once the survey has at least 5 responses." in response.content.decode()
    _seed(survey, 1)
    response = client.get(f"/en/feedback/riga-welcome/{survey.pk}/responses.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 6
    # No ID, the month instead of the day, no language (4 en, 1 lv), rows in random order.
    assert lines[0].startswith("Month,How was the help you received from us?,")
    month = surveys.today().strftime("%Y-%m")
    assert f"{month},Very bad,No,,,Language; Opening hours,Good staff 0," in lines[1:]
    assert any("'=HYPERLINK(1)" in line for line in lines)
    response = client.get(f"/en/feedback/riga-welcome/{survey.pk}/responses.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 6 and rows[0][0] == "Month" and {row[0] for row in rows[1:]} == {month}


def test_qr_codes_and_poster(client, survey, viewer_a):
    client.force_login(viewer_a)
    svg = client.get(f"/en/feedback/riga-welcome/{survey.pk}/qr.svg")
    assert svg.headers["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg")
    png = client.get(f"/en/feedback/riga-welcome/{survey.pk}/qr.png")
    assert png.content.startswith(b"\x89PNG")
    surveys.publish_changes(survey, {"en": "We opened on Saturdays."}, True)
    poster = client.get(f"/en/feedback/riga-welcome/{survey.pk}/poster.pdf")
    assert poster.headers["Content-Type"] == "application/pdf"
    assert poster.content.startswith(b"%PDF")
    assert client.get(f"/en/feedback/riga-welcome/{survey.pk}/qr.gif").status_code == 404


@pytest.mark.parametrize(
    "name", ["results.csv", "results.xlsx", "responses.csv", "responses.xlsx", "qr.svg", "qr.png", "poster.pdf"]
)
def test_every_download_is_private_and_not_stored(client, survey, editor_a, name):
    _seed(survey, 5)
    client.force_login(editor_a)  # issue 10: answers per person are for editors only
    response = client.get(f"/en/feedback/riga-welcome/{survey.pk}/{name}")
    assert response.status_code == 200
    assert set(response.headers["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert 'filename="' in response.headers["Content-Disposition"]


def test_you_said_we_did_is_edited_per_language(client, survey, editor_a):
    client.force_login(editor_a)
    url = f"/en/feedback/riga-welcome/{survey.pk}/you-said-we-did/"
    client.post(
        url, {"text_en": "We now open on Saturdays.", "text_uk": "Тепер ми працюємо в суботу.", "published": "on"}
    )
    survey.refresh_from_db()
    assert survey.changes == {"en": "We now open on Saturdays.", "uk": "Тепер ми працюємо в суботу."}
    assert survey.changes_published is True
    page = client.get(f"/en/feedback/riga-welcome/{survey.pk}/").content.decode()
    # The first survey language the text is written in (not Latvian, which has none).
    assert f"/s/{survey.token}/en/changes/" in page and f"/s/{survey.token}/lv/changes/" not in page


def test_organisation_pages_speak_latvian(client, survey, editor_a):
    client.force_login(editor_a)
    page = client.get(f"/lv/feedback/riga-welcome/{survey.pk}/").content.decode()
    assert "Kopīgot aptauju" in page
    assert "Plakāts ar QR kodu (PDF)" in page
    assert "Kā jūs vērtējat palīdzību, ko saņēmāt no mums?" in page
    assert "Skala no 1 līdz 5 ar sejiņām" in page
