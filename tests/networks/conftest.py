"""Networks with scored members, built quickly: every applicable checklist item answered;
members' surveys with responses."""

import datetime

import pytest

from inclusion.assessments.answers import applicable_items
from inclusion.assessments.models import Answer, Assessment
from inclusion.feedback import surveys
from inclusion.feedback.bank import get_question_bank
from inclusion.feedback.models import QuestionKind, Response, SurveyAnswer
from inclusion.handbook.services import get_handbook
from inclusion.networks.models import Coordinator, MemberStatus, NetworkMember, Sharing
from inclusion.organisations.models import OrganisationKind, Role
from tests.factories import NetworkFactory, OrganisationFactory, member_of


def answer_round(organisation, values: dict[str, str] | str = "yes", *, assessment=None) -> Assessment:
    """A round of ``organisation`` with every applicable item of each area answered: ``values``
    is one answer for all, or {area ID: answer}."""
    assessment = assessment or Assessment.objects.create(
        organisation=organisation,
        title="Round",
        organisation_kind=organisation.kind,
        content_version="test",
    )
    edition = get_handbook().reference_edition
    Answer.objects.bulk_create(
        Answer(
            assessment=assessment,
            item_id=item.id,
            value=values if isinstance(values, str) else values.get(area.id, "yes"),
        )
        for area in edition.areas
        for item in applicable_items(area, organisation.kind)
    )
    return assessment


@pytest.fixture
def network(content):
    network = NetworkFactory(name="Latvian integration network", slug="lv-network")
    return network


@pytest.fixture
def coordinator(network):
    user = member_of(OrganisationFactory(name="Ministry", slug="ministry", kind=OrganisationKind.AUTHORITY), Role.OWNER)
    Coordinator.objects.create(network=network, user=user)
    return user


@pytest.fixture
def coordinator_client(signed_in, coordinator):
    return signed_in(coordinator)


@pytest.fixture
def add_member(network):
    """A member organisation of the network with one scored round."""
    counter = iter(range(10_000))

    def add(
        sharing=Sharing.AGGREGATES,
        values="yes",
        *,
        kind=OrganisationKind.NGO,
        country="LV",
        region="",
        name=None,
        to=None,
    ):
        number = next(counter)
        organisation = OrganisationFactory(
            name=name or f"Member {number:03}", slug=f"member-{number}", kind=kind, country=country, region=region
        )
        answer_round(organisation, values)
        NetworkMember.objects.create(
            network=to or network, organisation=organisation, status=MemberStatus.ACTIVE, sharing=sharing
        )
        return organisation

    return add


def add_responses(survey, count: int, *, satisfaction: str = "4", comment: str = "") -> None:
    """``count`` responses in English, each rating satisfaction and, with ``comment``, writing
    it (reviewed) into the survey's first written question."""
    questions = {question.bank_id: question for question in survey.questions.all()}
    written = survey.questions.filter(kind=QuestionKind.TEXT).first()
    for _index in range(count):
        response = Response.objects.create(survey=survey, language="en", submitted_on=surveys.today())
        SurveyAnswer.objects.create(response=response, question=questions["q.satisfaction"], choice=satisfaction)
        if comment:
            SurveyAnswer.objects.create(response=response, question=written, text=comment, reviewed=True)


@pytest.fixture
def add_survey():
    """A survey of ``organisation`` with the question bank's questions and ``responses`` responses."""

    def add(organisation, title="Reception desk", responses=0, **kwargs):
        today = surveys.today()
        survey = surveys.create_survey(
            organisation=organisation,
            user=None,
            title=title,
            languages=["en", "lv"],
            opens_on=kwargs.pop("opens_on", today - datetime.timedelta(days=10)),
            closes_on=kwargs.pop("closes_on", today + datetime.timedelta(days=20)),
            bank_ids=list(get_question_bank()),
            contact="privacy@example.org",
        )
        add_responses(survey, responses, **kwargs)
        return survey

    return add
