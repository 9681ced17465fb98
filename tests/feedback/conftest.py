import datetime

import pytest
from django.core.cache import cache

from inclusion.feedback import surveys
from inclusion.feedback.bank import get_question_bank
from inclusion.organisations.models import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Riga Welcome Centre", slug="riga-welcome")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Other Town", slug="other-town")


@pytest.fixture
def editor(organisation):
    return MembershipFactory(organisation=organisation, role=Role.EDITOR).user


@pytest.fixture
def viewer(organisation):
    return MembershipFactory(organisation=organisation, role=Role.VIEWER).user


@pytest.fixture
def outsider(other_organisation):
    return MembershipFactory(organisation=other_organisation, role=Role.OWNER).user


@pytest.fixture
def stranger(db):
    return UserFactory()


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
def survey(organisation):
    return make_survey(organisation)


def questions_by_bank_id(survey):
    return {question.bank_id: question for question in survey.questions.all()}
