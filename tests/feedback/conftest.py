"""Surveys of the root personas' organisation A, made from the question bank."""

import datetime

import pytest

from inclusion.feedback import surveys
from inclusion.feedback.bank import get_question_bank


def make_survey(organisation, languages=("lv", "en", "uk", "ru", "ar", "fa"), **kwargs):
    today = surveys.today()
    return surveys.create_survey(
        organisation=organisation,
        user=None,
        title=kwargs.pop("title", "Reception desk"),
        languages=list(languages),
        opens_on=kwargs.pop("opens_on", today - datetime.timedelta(days=10)),
        closes_on=kwargs.pop("closes_on", today + datetime.timedelta(days=20)),
        bank_ids=kwargs.pop("bank_ids", list(get_question_bank())),
        contact=kwargs.pop("contact", "privacy@example.org"),
        retention_months=kwargs.pop("retention_months", 24),
    )


@pytest.fixture
def survey(org_a):
    return make_survey(org_a)


def questions_by_bank_id(survey):
    return {question.bank_id: question for question in survey.questions.all()}
