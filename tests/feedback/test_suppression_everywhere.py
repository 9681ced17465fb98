"""Issue 10: seed surveys built to leak, then try to read or derive a group of 1 to 4 people
from every page, export and API answer that shows survey data, as every role that can open it.

A breakdown leaks when one of its cells shows 1–4, or when its total minus the cells shown
is 1–4 (the hidden cells could be worked out by subtraction)."""

import csv
import datetime
import io
import json
import re

import pytest
from openpyxl import load_workbook

from inclusion.api.models import AccessToken
from inclusion.assessments.rounds import start_assessment
from inclusion.feedback import surveys
from inclusion.feedback.models import Response, SurveyAnswer
from inclusion.handbook.services import get_handbook, import_content

from .conftest import make_survey, questions_by_bank_id

pytestmark = pytest.mark.django_db

SMALL = range(1, 5)
TRIED = {"answers": 0, "combinations": 0}


def _response(survey, language, day, choices):
    response = Response.objects.create(survey=survey, language=language, submitted_on=day)
    questions = questions_by_bank_id(survey)
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=response, question=questions[bank_id], choice=choice)
        for bank_id, values in choices.items()
        for choice in (values if isinstance(values, list) else [values])
    )


@pytest.fixture
def leaky(org_a):
    """One survey with a single response; one with 8 = 6 English + 1 Arabic + 1 Farsi, an
    option chosen once, a 'yes' given once and a month with one response."""
    import_content(get_handbook())
    today = surveys.today()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    single = make_survey(org_a, title="Single", opens_on=today - datetime.timedelta(days=80))
    _response(single, "en", today, {"q.satisfaction": "2", "q.respect": "no"})
    eight = make_survey(org_a, title="Eight", opens_on=today - datetime.timedelta(days=80))
    for _index in range(6):
        _response(eight, "en", today, {"q.satisfaction": "4", "q.respect": "no", "q.barriers": ["q.barriers.hours"]})
    _response(eight, "ar", today, {"q.satisfaction": "5", "q.respect": "no", "q.barriers": ["q.barriers.hours"]})
    _response(
        eight,
        "fa",
        last_month,
        {"q.satisfaction": "1", "q.respect": "yes", "q.barriers": ["q.barriers.hours", "q.barriers.language"]},
    )
    surveys.publish_changes(eight, {"en": "We opened on Saturdays."}, True)
    return single, eight


def _check(total, shown, where):
    """One breakdown: no cell of 1–4, and the hidden remainder is not 1–4."""
    TRIED["answers"] += 1
    for cell in shown:
        assert cell is None or cell == 0 or cell >= 5, f"{where}: a cell of {cell}"
    if total is not None:
        assert total == 0 or total >= 5, f"{where}: a total of {total}"
        remainder = total - sum(cell for cell in shown if cell is not None)
        assert remainder not in SMALL, f"{where}: {total} minus the cells shown leaves {remainder}"


def _check_api_results(data, where):
    _check(data["total"], [group["count"] for group in data["by_language"]], f"{where} languages")
    _check(data["total"], [row["count"] for row in data["months"]], f"{where} months")
    for question in data["questions"]:
        _check(question["answered"], [], f"{where} {question['question']}")
        if question["kind"] != "multiple":
            _check(question["answered"], [c["count"] for c in question["counts"]], f"{where} {question['question']}")
        else:
            _check(None, [c["count"] for c in question["counts"]], f"{where} {question['question']}")
        if question["mean"] is not None:
            assert None not in [c["count"] for c in question["counts"]], f"{where}: an average beside hidden cells"


def _number(text):
    text = text.strip()
    return int(text) if text.isdigit() else None


def _check_results_page(page, where):
    total = re.search(r'class="lead">(\d+) responses?\.', page)
    total = int(total.group(1)) if total else None
    tables = re.findall(r'<table class="data">(.*?)</table>', page, re.S)
    answered = [int(n) for n in re.findall(r"(\d+) (?:people|person) answered", page)]
    for index, table in enumerate(tables):
        cells = [_number(cell) for cell in re.findall(r"</th>\s*<td>(.*?)</td>", table, re.S)]
        if index < 2:  # languages, months
            _check(total, cells, f"{where} table {index}")
        else:
            _check(None, cells, f"{where} table {index}")
    for count in answered:
        _check(count, [], f"{where} answered")
    if total is None:
        assert "Fewer than 5 responses" in page, where


def _check_results_rows(rows, where):
    """The results export: (question or group, answer, people, %)."""
    header, *body = rows
    assert header[2] == "People", where
    total = next(row[2] for row in body if row[0] == "Responses")
    total = total if isinstance(total, int) else None
    for group in ("Language", "Month"):
        _check(total, [row[2] if isinstance(row[2], int) else None for row in body if row[0] == group], where)
    for row in body:
        _check(None, [row[2] if isinstance(row[2], int) else None], f"{where} {row[:2]}")


def _csv_rows(content):
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return [[int(cell) if cell.isdigit() else cell for cell in row] for row in rows]


def _xlsx_rows(content):
    return [list(row) for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]


def _check_per_response(response, survey, where):
    """Per-response rows: none below five; else no ID, months, and no language column
    because Arabic and Farsi have one response each."""
    TRIED["answers"] += 1
    count = survey.responses.count()
    if count < 5:
        assert "Content-Disposition" not in response.headers, where
        return
    rows = _xlsx_rows(response.content) if where.endswith("xlsx") else _csv_rows(response.content)
    assert rows[0][0] == "Month" and "Language" not in rows[0] and "Response" not in rows[0], where
    assert len(rows) == count + 1
    assert all(re.fullmatch(r"\d{4}-\d{2}", str(row[0])) for row in rows[1:]), where
    assert not {"en", "ar", "fa"} & {cell for row in rows[1:] for cell in row}, where


def test_no_small_group_can_be_read_or_derived_anywhere(client, org_a, editor_a, viewer_a, leaky):
    TRIED.update(answers=0, combinations=0)
    base = "/en/feedback/riga-welcome"
    surfaces = 0
    for user, role in ((editor_a, "editor"), (viewer_a, "viewer")):
        client.force_login(user)
        list_page = client.get(f"{base}/").content.decode()
        TRIED["combinations"] += 1
        for cell in re.findall(r'/results/">(.*?)</a>', list_page):
            _check(None, [_number(cell)], f"survey list as {role}")
        for survey in leaky:
            detail = client.get(f"{base}/{survey.pk}/").content.decode()
            TRIED["combinations"] += 1
            for n in re.findall(r"(\d+) responses?\.", detail):
                _check(int(n), [], f"detail {survey.title} as {role}")
            page = client.get(f"{base}/{survey.pk}/results/")
            TRIED["combinations"] += 1
            _check_results_page(page.content.decode(), f"results {survey.title} as {role}")
            for fmt, parse in (("csv", _csv_rows), ("xlsx", _xlsx_rows)):
                export = client.get(f"{base}/{survey.pk}/results.{fmt}")
                TRIED["combinations"] += 1
                _check_results_rows(parse(export.content), f"results.{fmt} {survey.title} as {role}")
                rows = client.get(f"{base}/{survey.pk}/responses.{fmt}")
                TRIED["combinations"] += 1
                if role == "viewer":
                    assert rows.status_code == 403
                else:
                    _check_per_response(rows, survey, f"responses {survey.title} {fmt}")
    surfaces += 7  # survey list, detail, results page, results CSV/XLSX, responses CSV/XLSX

    # The self-assessment summary beside the organisation's feedback.
    assessment, _token = start_assessment(title="Reception", organisation_kind="ngo", organisation=org_a, user=editor_a)
    for user, role in ((editor_a, "editor"), (viewer_a, "viewer")):
        client.force_login(user)
        page = client.get(f"/en/assessments/{assessment.public_id}/summary/").content.decode()
        TRIED["combinations"] += 1
        for n in re.findall(r"Responses: (\d+)\.", page):
            _check(int(n), [], f"summary responses as {role}")
        for n in re.findall(r"\((\d+)\)|(\d+) (?:answers|mentions)", page):
            _check(None, [int(n[0] or n[1])], f"summary as {role}")
    surfaces += 1

    # The API, with an organisation token.
    _record, token = AccessToken.issue(org_a, None, "test")
    headers = {"Authorization": f"Bearer {token}"}
    client.logout()
    listing = client.get("/api/v1/surveys", headers=headers).json()
    TRIED["combinations"] += 1
    for item in listing:
        _check(item["responses"], [], f"API survey list {item['title']}")
    for survey in leaky:
        for language in ("en", "lv"):
            data = client.get(f"/api/v1/surveys/{survey.pk}/results?language={language}", headers=headers).json()
            TRIED["combinations"] += 1
            _check_api_results(data, f"API results {survey.title} {language}")
    organisation_data = client.get("/api/v1/organisation", headers=headers).json()
    TRIED["combinations"] += 1
    assert not re.search(r'"(responses|count|total|answered)"', json.dumps(organisation_data))
    surfaces += 3  # API survey list, survey results, organisation

    # The public pages of the survey: the form, the thank-you page, "you said, we did".
    eight = leaky[1]
    for path in ("", "thanks/", "changes/"):
        page = client.get(f"/s/{eight.token}/en/{path}").content.decode()
        TRIED["combinations"] += 1
        assert not re.search(r"\d+ (responses|people|answers)", page), path
    surfaces += 3

    print(f"\nsuppression: {surfaces} views/exports/API answers, {TRIED['combinations']} URL×role requests, "
          f"{TRIED['answers']} breakdowns checked")  # fmt: skip
    assert (surfaces, TRIED["combinations"]) == (14, 37)
