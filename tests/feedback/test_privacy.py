"""Issue 10: every response counted once, the privacy notice, retention, and respondent logs."""

import datetime
import json
import logging

import pytest
from django.core.management import call_command

from inclusion.core.logging import JSONFormatter
from inclusion.feedback import surveys
from inclusion.feedback.models import Response, SurveyAnswer

from .conftest import make_survey, questions_by_bank_id

pytestmark = pytest.mark.django_db


def _key(page: str) -> str:
    start = page.index('name="submission_key" value="') + len('name="submission_key" value="')
    return page[start : page.index('"', start)]


def test_a_choice_repeated_500_times_is_stored_once(client, survey):
    barriers = questions_by_bank_id(survey)["q.barriers"]
    name = f"q{barriers.pk}"
    response = client.post(f"/s/{survey.token}/en/", {name: ["q.barriers.hours"] * 500})
    assert response.status_code == 302
    assert SurveyAnswer.objects.filter(question=barriers).count() == 1


def test_a_value_that_is_not_a_choice_is_a_400_in_the_respondents_language(client, survey):
    barriers = questions_by_bank_id(survey)["q.barriers"]
    improve = questions_by_bank_id(survey)["q.improve"]
    response = client.post(
        f"/s/{survey.token}/uk/", {f"q{barriers.pk}": ["q.barriers.hours", "evil"], f"q{improve.pk}": "Kept text"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'lang="uk"' in page and "Kept text" in page
    assert not Response.objects.exists()


def test_the_same_form_sent_twice_is_stored_once_and_thanks_again(client, survey):
    respect = questions_by_bank_id(survey)["q.respect"]
    key = _key(client.get(f"/s/{survey.token}/en/").content.decode())
    assert key != _key(client.get(f"/s/{survey.token}/en/").content.decode())
    for _attempt in range(2):
        response = client.post(f"/s/{survey.token}/en/", {f"q{respect.pk}": "yes", "submission_key": key})
        assert response.status_code == 302 and response.url.endswith("/thanks/")
    assert Response.objects.count() == 1
    client.post(f"/s/{survey.token}/en/", {f"q{respect.pk}": "yes"})  # an old form without a key still counts
    assert Response.objects.count() == 2


@pytest.mark.parametrize("language", ["lv", "en", "uk", "ru", "ar", "fa"])
def test_every_respondent_page_links_to_the_privacy_notice(client, survey, language):
    survey.contact_name, survey.contact, survey.retention_months = "Riga Welcome Centre", "privacy@rwc.lv", 18
    survey.save()
    # In every language: a language without the text has no "you said, we did" page.
    surveys.publish_changes(survey, dict.fromkeys(survey.languages, "We changed things."), True)
    notice = f"/s/{survey.token}/{language}/privacy/"
    for path in ("", "thanks/", "changes/", "privacy/"):
        page = client.get(f"/s/{survey.token}/{language}/{path}").content.decode()
        assert f'href="{notice}"' in page, path
    page = client.get(notice)
    assert page.status_code == 200 and page["Content-Language"] == language
    text = page.content.decode()
    assert "Riga Welcome Centre" in text and "privacy@rwc.lv" in text and "18" in text
    assert not page.cookies


def test_a_survey_cannot_open_without_who_collects_and_a_contact(client, org_a, editor_a):
    survey = make_survey(org_a, contact="")
    assert surveys.survey_state(survey) == "not_ready"
    assert "Send my answers" not in client.get(f"/s/{survey.token}/en/").content.decode()
    client.force_login(editor_a)
    page = client.get(f"/en/feedback/riga-welcome/{survey.pk}/").content.decode()
    assert "The survey cannot open until its settings say who collects the answers" in page
    data = {"title": "T", "languages": ["en"], "opens_on": "2026-01-01", "closes_on": "2026-12-31",
            "contact_name": "", "contact": "", "retention_months": "24"}  # fmt: skip
    page = client.post(f"/en/feedback/riga-welcome/{survey.pk}/settings/", data).content.decode()
    assert "The survey cannot open without a contact for questions about privacy." in page


def test_expired_responses_are_deleted_idempotently(survey, org_a):
    short = make_survey(org_a, retention_months=1)
    today = surveys.today()
    for target in (survey, short):
        Response.objects.create(survey=target, language="en", submitted_on=today - datetime.timedelta(days=60))
        Response.objects.create(survey=target, language="en", submitted_on=today)
    call_command("delete_expired_responses")
    call_command("delete_expired_responses")
    assert sorted(Response.objects.values_list("survey_id", flat=True)) == sorted([survey.pk, survey.pk, short.pk])


def test_respondent_request_logs_carry_neither_token_nor_time_of_day(survey):
    record = logging.LogRecord(
        "inclusion.request", logging.INFO, "", 0, "%s %s %s", ("POST", f"/s/{survey.token}/en/", 302), None
    )
    record.path, record.method, record.status = f"/s/{survey.token}/en/", "POST", 302
    entry = json.loads(JSONFormatter().format(record))
    assert survey.token not in json.dumps(entry)
    assert entry["path"] == "/s/…/en/"
    assert entry["time"] == datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).date().isoformat()


@pytest.mark.parametrize(("language", "heading"), [("lv", "Privātuma paziņojums"), ("en", "Privacy notice")])
def test_the_platform_privacy_notice_is_linked_from_the_footer(client, language, heading):
    home = client.get(f"/{language}/handbook/foreword/").content.decode()
    assert f'href="/{language}/handbook/privacy/"' in home
    page = client.get(f"/{language}/handbook/privacy/").content.decode()
    assert f"<h1>{heading}</h1>" in page
