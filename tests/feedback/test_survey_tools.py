"""Issue 13, "survey tools people expect": preview, editing and reordering questions, number
and date questions, skip logic, translation completeness, "you said, we did" as text with
lists, the CSV separator and the PDF report with its charts."""

import csv
import datetime
import io

import pytest
from django.core.cache import cache

from inclusion.core import exporters
from inclusion.feedback import surveys
from inclusion.feedback.models import QuestionRevision, Response, SurveyAnswer, SurveyQuestion
from inclusion.feedback.responses import submit_response
from inclusion.feedback.results import compile_results, language_breakdowns

from .conftest import make_survey, questions_by_bank_id

pytestmark = pytest.mark.django_db

BASE = "/en/feedback/riga-welcome"


def _own(survey, kind="single", text=None, options=None, condition=None):
    return surveys.add_own_question(
        survey,
        kind,
        text or {code: f"Question in {code}" for code in survey.languages},
        options if options is not None else [{code: f"A {code}" for code in survey.languages},
                                             {code: f"B {code}" for code in survey.languages}],
        condition,
    )  # fmt: skip


def _seed(survey, count, language="en", day=None):
    questions = questions_by_bank_id(survey)
    responses = Response.objects.bulk_create(
        Response(survey=survey, language=language, submitted_on=day or surveys.today()) for _ in range(count)
    )
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=response, question=questions["q.respect"], choice="yes" if index % 2 else "no")
        for index, response in enumerate(responses)
    )
    return responses


# --- the CSV separator ---------------------------------------------------------------------


def _csv(response, delimiter):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=delimiter))


def test_csv_separator_follows_the_readers_language_or_the_choice(client, survey, viewer_a):
    _seed(survey, 6)
    client.force_login(viewer_a)
    latvian = client.get(f"/lv/feedback/riga-welcome/{survey.pk}/results.csv")
    assert latvian.content.decode("utf-8-sig").splitlines()[0].count(";") == 3
    assert _csv(latvian, ";")[1][:3] == ["Atbildes", "", "6"]
    english = client.get(f"{BASE}/{survey.pk}/results.csv")
    assert english.content.decode("utf-8-sig").splitlines()[0].count(",") == 3
    assert _csv(english, ",")[1][:3] == ["Responses", "", "6"]
    chosen = client.get(f"{BASE}/{survey.pk}/results.csv?sep=semicolon")
    assert _csv(chosen, ";")[1][:3] == ["Responses", "", "6"]
    chosen = client.get(f"/lv/feedback/riga-welcome/{survey.pk}/results.csv?sep=comma")
    assert _csv(chosen, ",")[1][:3] == ["Atbildes", "", "6"]
    # An unknown choice falls back to the language's separator; XLSX is not affected.
    assert _csv(client.get(f"{BASE}/{survey.pk}/results.csv?sep=tab"), ",")[1][0] == "Responses"
    assert client.get(f"/lv/feedback/riga-welcome/{survey.pk}/results.xlsx?sep=comma").content[:2] == b"PK"


def test_csv_with_semicolons_writes_a_decimal_comma():
    table = exporters.Table("t", ["name", "mean"], [["a; b", 3.5], ["=1+1", 2]])
    text = exporters.to_csv(table, ";").decode("utf-8-sig")
    assert text.splitlines() == ["name;mean", '"a; b";3,5', "'=1+1;2"]
    assert exporters.to_csv(table).decode("utf-8-sig").splitlines()[1] == "a; b,3.5"
    assert exporters.separator_for("lv") == ";" and exporters.separator_for("en") == ","
    assert exporters.separator_for("lv", "comma") == ","


# --- translation completeness --------------------------------------------------------------


def test_organiser_sees_per_language_what_is_missing(client, org_a, editor_a):
    survey = make_survey(org_a, languages=("lv", "en", "fa"), bank_ids=["q.respect"])
    _own(survey, text={"lv": "Jautājums", "en": "Question"}, options=[{"lv": "Jā", "en": "Yes", "fa": "بله"},
                                                                      {"lv": "Nē", "en": "No"}])  # fmt: skip
    surveys.publish_changes(survey, {"lv": "Mainījām", "en": "We changed"}, True)
    client.force_login(editor_a)
    page = client.get(f"{BASE}/{survey.pk}/").content.decode()
    assert "Offered to respondents in: Latviešu, English." in page
    gaps = page[page.index('class="translation-gaps"') :]
    gaps = gaps[: gaps.index("</ul>")]
    assert "فارسی" in gaps and "Question 2 (“Question”)" in gaps and "Question 2 (“Question”), answer 2" in gaps
    assert "answer 1" not in gaps and "“You said, we did”" in gaps
    assert "Latviešu" not in gaps and "English" not in gaps
    # The Farsi respondent page is not offered: no Latvian or English text laid out right to left.
    assert client.get(f"/s/{survey.token}/fa/").status_code == 302


def test_you_said_we_did_renders_paragraphs_and_lists_safely(client, survey):
    text = "We listened.\n\n- longer opening hours\n- an interpreter on Mondays\n\n<script>alert(1)</script>"
    surveys.publish_changes(survey, dict.fromkeys(survey.languages, text), True)
    page = client.get(f"/s/{survey.token}/en/changes/").content.decode()
    assert "<li>longer opening hours</li>" in page and "<li>an interpreter on Mondays</li>" in page
    assert "<p>We listened.</p>" in page
    assert "<script>alert(1)</script>" not in page and "- longer" not in page


# --- preview -------------------------------------------------------------------------------


def test_preview_before_opening_in_any_language_stores_nothing(client, org_a, viewer_a):
    tomorrow = surveys.today() + datetime.timedelta(days=1)
    survey = make_survey(org_a, languages=("lv", "fa"), bank_ids=["q.respect"], opens_on=tomorrow)
    own = _own(survey, kind="text", text={"lv": "Kas jāmaina?"}, options=[])
    client.force_login(viewer_a)
    url = f"{BASE}/{survey.pk}/preview/fa/"
    page = client.get(url).content.decode()
    assert 'lang="fa" dir="rtl"' in page and "preview-banner" in page
    assert "nothing is stored" in page
    assert "Missing in this language" in page and "Kas jāmaina?" not in page  # never Latvian in its place
    assert "Not offered to respondents in this language" in page
    assert "<form" not in client.get(f"/s/{survey.token}/lv/").content.decode()  # the real page: not open yet
    question = questions_by_bank_id(survey)["q.respect"]
    response = client.post(url, {f"q{question.pk}": "yes", f"q{own.pk}": "x"})
    assert (
        response.status_code == 200
        and "These answers are valid. Preview: nothing was stored." in response.content.decode()
    )
    assert not Response.objects.exists() and not SurveyAnswer.objects.exists()
    assert client.get(f"{BASE}/{survey.pk}/preview/ru/").status_code == 404
    latvian = client.get(f"{BASE}/{survey.pk}/preview/lv/").content.decode()
    assert "Kas jāmaina?" in latvian and f'href="{BASE}/{survey.pk}/preview/fa/"' in latvian


# --- editing, reordering, removing ---------------------------------------------------------


def _form(survey, kind, texts, options=None, show_if=""):
    data = {"kind": kind, "show_if": show_if}
    for code in survey.languages:
        data[f"text_{code}"] = texts.get(code, "")
        data[f"options_{code}"] = "\n".join(option.get(code, "") for option in options or [])
    return data


def test_questions_are_edited_reordered_and_removed_before_the_first_response(client, org_a, editor_a):
    survey = make_survey(org_a, languages=("en",), bank_ids=["q.respect"])
    first = questions_by_bank_id(survey)["q.respect"]
    own = _own(survey)
    client.force_login(editor_a)
    url = f"{BASE}/{survey.pk}/questions/{own.pk}/"
    assert 'value="A en' not in client.get(url).content.decode()  # options in a textarea
    assert "A en\nB en" in client.get(url).content.decode()
    response = client.post(url, _form(survey, "multiple", {"en": "Which?"}, [{"en": "X"}, {"en": "Y"}, {"en": "Z"}]))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.kind == "multiple" and [o["text"]["en"] for o in own.options] == ["X", "Y", "Z"]
    assert not QuestionRevision.objects.exists()  # no responses yet: nothing to record

    move = f"{BASE}/{survey.pk}/questions/{own.pk}/move/"
    assert client.get(move).status_code == 405
    client.post(move, {"direction": "up"})
    assert list(survey.questions.values_list("pk", flat=True)) == [own.pk, first.pk]
    client.post(move, {"direction": "up"})  # already first: nothing happens
    client.post(move, {"direction": "down"})
    assert list(survey.questions.values_list("pk", flat=True)) == [first.pk, own.pk]
    page = client.get(f"{BASE}/{survey.pk}/").content.decode()
    assert "Move question 1 down" in page and "Move question 2 up" in page and "Move question 1 up" not in page
    # Bank questions keep the bank's wording.
    assert client.get(f"{BASE}/{survey.pk}/questions/{first.pk}/").status_code == 404
    client.post(f"{BASE}/{survey.pk}/questions/{own.pk}/remove/")
    assert not SurveyQuestion.objects.filter(pk=own.pk).exists()


def test_after_the_first_response_wording_is_fixed_and_recorded_structure_refused(client, org_a, editor_a):
    survey = make_survey(org_a, languages=("lv", "en"), bank_ids=["q.respect"])
    own = _own(survey, text={"lv": "Vai atnāksiet?", "en": "Will you come bakc?"},
               options=[{"lv": "Jā", "en": "Yes"}, {"lv": "Nē", "en": "No"}])  # fmt: skip
    submit_response(survey, "en", {own: "o1"})
    client.force_login(editor_a)
    url = f"{BASE}/{survey.pk}/questions/{own.pk}/"
    options = [{"lv": "Jā", "en": "Yes"}, {"lv": "Nē", "en": "No"}]
    for data, message in [
        (_form(survey, "multiple", {"lv": "Vai atnāksiet?"}, options), "the kind of answer cannot change"),
        (_form(survey, "single", {"lv": "Vai atnāksiet?"}, [*options, {"lv": "Varbūt", "en": "Maybe"}]),
         "answers cannot be added or removed"),
        (_form(survey, "single", {"lv": "Vai atnāksiet?"}, options[::-1]), "the order of the answers cannot change"),
    ]:  # fmt: skip
        response = client.post(url, data)
        assert response.status_code == 200 and message in response.content.decode()
        assert 'value="Vai atnāksiet?"' in response.content.decode()  # the form keeps what was typed
    own.refresh_from_db()
    assert own.kind == "single" and own.text["en"] == "Will you come bakc?"

    fixed = _form(survey, "single", {"lv": "Vai atnāksiet?", "en": "Will you come back?"},
                  [{"lv": "Jā", "en": "Yes"}, {"lv": "Nē", "en": "No, thanks"}])  # fmt: skip
    assert client.post(url, fixed).status_code == 302
    own.refresh_from_db()
    assert own.text["en"] == "Will you come back?" and own.options[1] == {
        "id": "o2",
        "text": {"lv": "Nē", "en": "No, thanks"},
    }
    revision = QuestionRevision.objects.get()
    assert revision.changed_by == editor_a
    assert revision.old_text["en"] == "Will you come bakc?" and revision.new_text["en"] == "Will you come back?"
    assert revision.old_options[1]["text"]["en"] == "No" and revision.new_options[1]["text"]["en"] == "No, thanks"
    page = client.get(url).content.decode()
    assert "Changes to the wording" in page and "Will you come bakc?" in page and editor_a.email in page

    first = questions_by_bank_id(survey)["q.respect"]
    response = client.post(f"{BASE}/{survey.pk}/questions/{own.pk}/move/", {"direction": "up"}, follow=True)
    assert "its questions cannot be reordered" in response.content.decode()
    assert list(survey.questions.values_list("pk", flat=True)) == [first.pk, own.pk]
    response = client.post(f"{BASE}/{survey.pk}/questions/{first.pk}/remove/", follow=True)
    assert "its questions cannot be removed" in response.content.decode()
    assert SurveyQuestion.objects.filter(pk=first.pk).exists()
    assert "Move question" not in client.get(f"{BASE}/{survey.pk}/").content.decode()


# --- number and date questions, skip logic -------------------------------------------------


def _answer_page(client, survey, data, language="en"):
    return client.post(f"/s/{survey.token}/{language}/", data)


def test_number_and_date_answers_are_validated_with_clear_messages(client, org_a):
    survey = make_survey(org_a, languages=("en", "ar"), bank_ids=[])
    number = _own(survey, "number", options=[])
    day = _own(survey, "date", options=[])
    page = client.get(f"/s/{survey.token}/en/").content.decode()
    assert 'inputmode="decimal"' in page and 'type="date"' in page
    response = _answer_page(client, survey, {f"q{number.pk}": "twelve", f"q{day.pk}": "31.02.2025"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Please write a number, for example 12 or 3.5." in body
    assert "Please give a date as day, month and year, for example 31.12.2025." in body
    assert 'value="twelve"' in body and 'value="31.02.2025"' in body  # kept as typed
    assert _answer_page(client, survey, {f"q{number.pk}": "3,5", f"q{day.pk}": "28.02.2025"}).status_code == 302
    assert _answer_page(client, survey, {f"q{number.pk}": "١٢", f"q{day.pk}": "2025-03-01"}, "ar").status_code == 302
    assert _answer_page(client, survey, {f"q{number.pk}": "0"}).status_code == 302
    assert sorted(SurveyAnswer.objects.filter(question=number).values_list("choice", flat=True)) == ["0", "12", "3.5"]
    assert sorted(SurveyAnswer.objects.filter(question=day).values_list("choice", flat=True)) == [
        "2025-02-28", "2025-03-01"
    ]  # fmt: skip


def test_number_results_show_median_and_range_only_from_five_answers(client, org_a, viewer_a):
    survey = make_survey(org_a, languages=("en",), bank_ids=[])
    number = _own(survey, "number", options=[])
    for value in ("1", "2", "10", "4"):
        submit_response(survey, "en", {number: value})
    for _ in range(5):
        submit_response(survey, "en", {number: ""})  # skipped it: 4 answered, 5 not
    result = compile_results(survey, [number], "en").questions[0]
    assert result.answered is None and result.numbers is None
    submit_response(survey, "en", {number: "7.5"})
    result = compile_results(survey, [number], "en").questions[0]
    assert result.answered == 5 and str(result.numbers.median) == "4" and result.numbers.high == 10
    client.force_login(viewer_a)
    page = client.get(f"{BASE}/{survey.pk}/results/").content.decode()
    assert "Median 4; answers from 1 to 10." in page


def test_date_results_are_counted_by_month_through_the_rule(org_a):
    survey = make_survey(org_a, languages=("en",), bank_ids=[])
    day = _own(survey, "date", options=[])
    for text in ["2025-01-03"] * 6 + ["2025-02-10"] * 2 + ["2025-03-01"] * 5:
        submit_response(survey, "en", {day: text})
    result = compile_results(survey, [day], "en").questions[0]
    assert result.answered == 13
    assert [(row.value, row.count) for row in result.counts] == [("2025-01", 6), ("2025-02", None), ("2025-03", None)]


def test_skip_logic_shows_a_question_only_after_the_chosen_answer(client, org_a):
    survey = make_survey(org_a, languages=("en",), bank_ids=["q.respect"])
    respect = questions_by_bank_id(survey)["q.respect"]
    why = _own(survey, "text", text={"en": "What went wrong?"}, options=[], condition=(respect.pk, "no"))
    page = client.get(f"/s/{survey.token}/en/").content.decode()
    assert "Only if you answered “No” to" in page
    # "Yes": the dependent answer is ignored, even when it is invalid.
    assert _answer_page(client, survey, {f"q{respect.pk}": "yes", f"q{why.pk}": "Rude"}).status_code == 302
    assert not SurveyAnswer.objects.filter(question=why).exists()
    # "No": it is kept.
    assert _answer_page(client, survey, {f"q{respect.pk}": "no", f"q{why.pk}": "Rude"}).status_code == 302
    assert SurveyAnswer.objects.get(question=why).text == "Rude"


def test_skip_logic_condition_must_be_an_earlier_one_answer_question(client, org_a, editor_a):
    survey = make_survey(org_a, languages=("en",), bank_ids=["q.respect", "q.improve"])
    questions = questions_by_bank_id(survey)
    with pytest.raises(surveys.FeedbackError):
        _own(survey, "text", options=[], condition=(questions["q.improve"].pk, "x"))  # a written answer
    hidden = _own(survey, "number", options=[], condition=(questions["q.respect"].pk, "no"))
    client.force_login(editor_a)
    form = client.get(f"{BASE}/{survey.pk}/questions/new/").content.decode()
    assert f'value="{questions["q.respect"].pk}:no"' in form
    assert f'value="{questions["q.improve"].pk}:' not in form
    # The question it depends on cannot be removed, nor can the dependent move above it.
    response = client.post(f"{BASE}/{survey.pk}/questions/{questions['q.respect'].pk}/remove/", follow=True)
    assert "depend on this one" in response.content.decode()
    client.post(f"{BASE}/{survey.pk}/questions/{hidden.pk}/move/", {"direction": "up"})
    response = client.post(f"{BASE}/{survey.pk}/questions/{hidden.pk}/move/", {"direction": "up"}, follow=True)
    assert "cannot move above the question it depends on" in response.content.decode()
    order = list(survey.questions.values_list("pk", flat=True))
    assert order.index(questions["q.respect"].pk) < order.index(hidden.pk)


# --- charts and the PDF report -------------------------------------------------------------


def test_results_page_draws_the_monthly_trend_as_a_chart(client, survey, viewer_a):
    this_month = surveys.today().replace(day=1)
    _seed(survey, 7, day=this_month)
    _seed(survey, 6, day=(this_month - datetime.timedelta(days=1)).replace(day=1))
    _seed(survey, 2, day=(this_month - datetime.timedelta(days=40)).replace(day=1))
    client.force_login(viewer_a)
    page = client.get(f"{BASE}/{survey.pk}/results/").content.decode()
    chart = page[page.index("<svg", page.index("Month by month")) :]
    chart = chart[: chart.index("</svg>")]
    assert 'aria-labelledby="chart-months-title chart-months-desc"' in chart
    assert ">7<" in chart and chart.count(">not shown<") == 2 and ">2<" not in chart and ">6<" not in chart


def test_language_breakdown_only_where_every_cell_has_five(org_a):
    survey = make_survey(org_a, languages=("lv", "en", "uk"), bank_ids=["q.respect"])
    _seed(survey, 10, "lv")
    _seed(survey, 10, "en")
    results = compile_results(survey, list(survey.questions.all()), "en")
    [breakdown] = language_breakdowns(survey, results)
    assert breakdown.languages == ["Latviešu", "English"] and breakdown.columns == ["Yes", "No"]
    assert breakdown.rows == [[5, 5], [5, 5]]
    _seed(survey, 6, "uk")  # 3 yes, 3 no in Ukrainian: the whole table would give them away
    cache.clear()
    results = compile_results(survey, list(survey.questions.all()), "en")
    assert language_breakdowns(survey, results) == []


def test_report_pdf_in_latvian_and_english(client, survey, viewer_a, editor_a, django_assert_max_num_queries):
    _seed(survey, 12, "lv")
    _seed(survey, 12, "en", day=surveys.today().replace(day=1) - datetime.timedelta(days=40))
    improve = questions_by_bank_id(survey)["q.improve"]
    submit_response(survey, "en", {improve: "Reviewed thought"})
    submit_response(survey, "en", {improve: "Unreviewed thought"})
    SurveyAnswer.objects.filter(text="Reviewed thought").update(reviewed=True)
    client.force_login(viewer_a)
    url = f"{BASE}/{survey.pk}/report.pdf"
    with django_assert_max_num_queries(14):
        response = client.get(url + "?language=lv")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response.headers["Content-Type"] == "application/pdf"
    assert "report-lv.pdf" in response.headers["Content-Disposition"]
    assert "report-en.pdf" in client.get(url + "?language=en").headers["Content-Disposition"]
    assert "report-en.pdf" in client.get(url + "?language=fa").headers["Content-Disposition"]  # the page's language


def test_detail_preview_and_report_queries_do_not_grow_with_questions_or_responses(
    client, org_a, editor_a, django_assert_num_queries
):
    survey = make_survey(org_a, languages=("lv", "en"))
    _own(survey)
    client.force_login(editor_a)
    # page -> queries: session, user, the survey with its organisation and the membership …
    # (and the report's aggregates)
    expected = {
        f"{BASE}/{survey.pk}/": 6,
        f"{BASE}/{survey.pk}/preview/lv/": 4,
        f"{BASE}/{survey.pk}/report.pdf": 13,
    }
    for url, count in expected.items():
        client.get(url)
        cache.clear()
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200
    for index in range(6):
        _own(survey, kind="text", options=[], text={"lv": f"J{index}", "en": f"Q{index}"})
    _seed(survey, 30, "lv")
    _seed(survey, 30, "en")
    for url, count in expected.items():
        cache.clear()
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200
