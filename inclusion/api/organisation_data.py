"""An organisation's own data, for holders of one of its access tokens.

Every query starts from ``request.organisation`` (set by the token), so a token of one
organisation cannot name another organisation's objects: they simply are not found (404).
"""

import datetime
import uuid

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from inclusion.assessments.models import Assessment
from inclusion.assessments.summary import compile_summary
from inclusion.handbook.services import get_handbook

from .content import Language
from .schemas import PRIVATE_ERRORS, page_of

router = Router(tags=["organisation"])


class OrganisationOut(Schema):
    name: str
    slug: str
    kind: str


class AssessmentOut(Schema):
    id: uuid.UUID
    title: str
    organisation_kind: str
    series: uuid.UUID
    round_number: int
    content_version: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


def assessment_data(assessment: Assessment) -> dict:
    return {
        "id": assessment.public_id,
        "title": assessment.title,
        "organisation_kind": assessment.organisation_kind,
        "series": assessment.series,
        "round_number": assessment.round_number,
        "content_version": assessment.content_version,
        "created_at": assessment.created_at,
        "updated_at": assessment.updated_at,
    }


class AnswerOut(Schema):
    item: str
    value: str
    comment: str
    updated_at: datetime.datetime


class NoteOut(Schema):
    area: str
    text: str
    version: int


class AssessmentDetailOut(AssessmentOut):
    answers: list[AnswerOut]
    notes: list[NoteOut]


class AreaResultOut(Schema):
    area: str
    reading: str
    score: int | None
    answered: int
    total: int
    gaps: list[str]


class SummaryOut(Schema):
    assessment: uuid.UUID
    answered: int
    total: int
    areas: list[AreaResultOut]


class ActionOut(Schema):
    id: int
    item: str | None
    area: str
    description: str
    owner: str
    due_date: datetime.date | None
    status: str


class AssessmentFilter(Schema):
    title: str | None = Field(None, max_length=200)
    round_number: int | None = Field(None, ge=1, le=100_000)
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class AssessmentPage(Schema):
    items: list[AssessmentOut]
    count: int
    page: int
    pages: int


def _assessment(request, assessment_id: uuid.UUID) -> Assessment:
    return get_object_or_404(Assessment, public_id=assessment_id, organisation=request.organisation)


@router.get(
    "organisation", response={200: OrganisationOut, **PRIVATE_ERRORS}, summary="The organisation this token belongs to"
)
def organisation(request):
    return request.organisation


@router.get("assessments", response={200: AssessmentPage, **PRIVATE_ERRORS}, summary="Self-assessments, every round")
def assessments(request, filters: Query[AssessmentFilter]):
    queryset = Assessment.objects.filter(organisation=request.organisation).order_by("series", "round_number", "pk")
    if filters.title:
        queryset = queryset.filter(title__icontains=filters.title)
    if filters.round_number is not None:
        queryset = queryset.filter(round_number=filters.round_number)
    page = page_of(queryset, filters.page, filters.page_size)
    return {**page, "items": [assessment_data(assessment) for assessment in page["items"]]}


@router.get(
    "assessments/{assessment_id}",
    response={200: AssessmentDetailOut, **PRIVATE_ERRORS},
    summary="One round with answers and notes",
)
def assessment(request, assessment_id: uuid.UUID):
    found = _assessment(request, assessment_id)
    return {
        **assessment_data(found),
        "answers": [
            {"item": answer.item_id, "value": answer.value, "comment": answer.comment, "updated_at": answer.updated_at}
            for answer in found.answers.order_by("item_id")
        ],
        "notes": [{"area": n.area, "text": n.text, "version": n.version} for n in found.notes.order_by("area")],
    }


@router.get(
    "assessments/{assessment_id}/summary", response={200: SummaryOut, **PRIVATE_ERRORS}, summary="The compiled summary"
)
def assessment_summary(request, assessment_id: uuid.UUID, language: Language = "en"):
    found = _assessment(request, assessment_id)
    summary = compile_summary(found, get_handbook().edition(language))
    return {
        "assessment": found.public_id,
        "answered": summary.answered,
        "total": summary.total,
        "areas": [
            {
                "area": result.area.id,
                "reading": result.reading,
                "score": result.score,
                "answered": len(result.answered),
                "total": result.total,
                "gaps": [gap.item.id for gap in result.gaps],
            }
            for result in summary.areas
        ],
    }


@router.get(
    "assessments/{assessment_id}/actions", response={200: list[ActionOut], **PRIVATE_ERRORS}, summary="The action plan"
)
def assessment_actions(request, assessment_id: uuid.UUID):
    found = _assessment(request, assessment_id)
    return [
        {
            "id": action.pk,
            "item": action.item_id,
            "area": action.area,
            "description": action.description,
            "owner": action.owner,
            "due_date": action.due_date,
            "status": action.status,
        }
        for action in found.actions.all()
    ]
