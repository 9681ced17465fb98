"""The survey results member organisations share with a network (``Sharing.SURVEY``), for its
coordinators. Read from the members' choice *now* at every view, so leaving or withdrawing
takes effect at once; every count goes through the feedback results' suppression."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator

from inclusion.feedback.models import Survey
from inclusion.feedback.results import shown_count
from inclusion.feedback.surveys import survey_state, surveys_with_counts_of, today
from inclusion.organisations.models import Organisation

from .dashboard import sharing_members
from .models import Network, Sharing

ORGANISATIONS_PER_PAGE = 50


@dataclass
class SharedSurvey:
    survey: Survey
    state: str  # feedback.surveys.survey_state: open, not_yet, not_ready, closed
    responses: int | None  # None: fewer than MIN_GROUP_SIZE


@dataclass
class SharingOrganisation:
    organisation: Organisation
    surveys: list[SharedSurvey] = field(default_factory=list)


def sharing_survey_results(network: Network):
    """The network's members that share their survey results now (active, sharing SURVEY)."""
    return sharing_members(network, Sharing.SURVEY)


def organisations_page(network: Network, page_number) -> tuple[Page, list[SharingOrganisation]]:
    """One page of the organisations sharing their survey results, each with its surveys: three
    queries (count, the page of organisations, their surveys with response counts) whatever
    the size of the network."""
    organisations = Organisation.objects.filter(pk__in=sharing_survey_results(network).values("organisation_id"))
    page = Paginator(organisations.only("pk", "name").order_by("name", "pk"), ORGANISATIONS_PER_PAGE)
    page = page.get_page(page_number)
    surveys: dict[int, list[SharedSurvey]] = defaultdict(list)
    day = today()
    for survey in surveys_with_counts_of([organisation.pk for organisation in page]):
        surveys[survey.organisation_id].append(
            SharedSurvey(survey, survey_state(survey, day), shown_count(survey.response_count))
        )
    return page, [SharingOrganisation(organisation, surveys[organisation.pk]) for organisation in page]
