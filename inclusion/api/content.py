"""Public, read-only handbook content, per language. No token needed."""

from typing import Literal

from ninja import Path, Router, Schema

from inclusion.handbook.services import get_handbook

from .schemas import PUBLIC_ERRORS

router = Router(tags=["handbook"])
Language = Literal["lv", "en"]


class VersionOut(Schema):
    content_version: str
    languages: list[str]


class AreaOut(Schema):
    id: str
    number: int
    title: str
    lead: str


class TextItem(Schema):
    id: str
    text: str


class SuccessFactorOut(Schema):
    id: str
    name: str
    description: str


class ChecklistItemOut(Schema):
    id: str
    number: int
    text: str
    applies_to: str


class ChecklistGroupOut(Schema):
    id: str
    title: str
    items: list[ChecklistItemOut]


class PracticeRefOut(Schema):
    id: str
    title: str
    organisation: str
    countries: list[str]
    success_factor: str
    links: list[str]


class ResourceOut(Schema):
    id: str
    authors: str
    title: str
    year: int | None
    url: str | None


class AreaDetailOut(AreaOut):
    intro: str
    benefits: list[TextItem]
    success_factors: list[SuccessFactorOut]
    checklist: list[ChecklistGroupOut]
    practices: list[PracticeRefOut]
    resources: list[ResourceOut]


class SummaryItemOut(Schema):
    id: str
    text: str
    areas: list[str]


class IndicatorOut(Schema):
    id: str
    text: str


class QuestionOut(Schema):
    id: str
    text: str
    indicators: list[IndicatorOut]


class CriterionOut(Schema):
    id: str
    title: str
    threshold: int
    questions: list[QuestionOut]


class TermOut(Schema):
    id: str
    term: str
    definition: str


@router.get("content-version", response={200: VersionOut, **PUBLIC_ERRORS}, summary="Version of the handbook content")
def content_version(request):
    handbook = get_handbook()
    return {"content_version": handbook.version, "languages": handbook.languages}


@router.get("{language}/areas", response={200: list[AreaOut], **PUBLIC_ERRORS}, summary="The six key areas")
def areas(request, language: Language):
    return get_handbook().edition(language).areas


@router.get(
    "{language}/areas/{number}",
    response={200: AreaDetailOut, **PUBLIC_ERRORS},
    summary="One key area with its checklist",
)
def area(request, language: Language, number: int = Path(..., ge=1, le=6)):
    found = get_handbook().edition(language).area(number)
    return {
        **found.model_dump(include={"id", "number", "title", "lead", "intro", "benefits", "success_factors"}),
        "checklist": [
            {
                "id": group.id,
                "title": group.title,
                "items": [{**item.model_dump(), "number": item.number} for item in group.items],
            }
            for group in found.checklist.groups
        ],
        "practices": [practice.model_dump() for practice in found.practices],
        "resources": [resource.model_dump() for resource in found.resources],
    }


@router.get(
    "{language}/summary-checklist", response={200: list[SummaryItemOut], **PUBLIC_ERRORS}, summary="The 13 key actions"
)
def summary_checklist(request, language: Language):
    return get_handbook().edition(language).summary.items


@router.get(
    "{language}/assessment-table",
    response={200: list[CriterionOut], **PUBLIC_ERRORS},
    summary="Five criteria, 34 indicators",
)
def assessment_table(request, language: Language):
    return get_handbook().edition(language).criteria.criteria


@router.get("{language}/glossary", response={200: list[TermOut], **PUBLIC_ERRORS}, summary="The glossary")
def glossary(request, language: Language):
    return get_handbook().edition(language).glossary.terms
