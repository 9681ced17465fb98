"""An organisation's feedback surveys and their results, for its token holders.

Results follow the same privacy rule as the pages (inclusion.core.suppression): a count that
could show or give away a group of fewer than five is null, and free-text answers are not
part of the API at all. Surveys are identified by their ID; responses have none here.
"""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Path, Router, Schema

from inclusion.feedback.models import Survey
from inclusion.feedback.results import compile_results, shown_count
from inclusion.feedback.surveys import survey_state, surveys_with_counts

from .content import Language
from .schemas import PRIVATE_ERRORS

router = Router(tags=["organisation"])


class SurveyOut(Schema):
    id: int
    title: str
    languages: list[str]
    opens_on: datetime.date
    closes_on: datetime.date
    state: str
    responses: int | None


class ChoiceOut(Schema):
    value: str
    label: str
    count: int | None
    percent: int | None


class QuestionResultOut(Schema):
    question: str
    kind: str
    answered: int | None
    mean: float | None
    counts: list[ChoiceOut]


class GroupOut(Schema):
    label: str
    count: int | None


class MonthOut(Schema):
    month: datetime.date
    count: int | None


class ResultsOut(Schema):
    survey: int
    total: int | None
    by_language: list[GroupOut]
    months: list[MonthOut]
    questions: list[QuestionResultOut]


@router.get("surveys", response={200: list[SurveyOut], **PRIVATE_ERRORS}, summary="Feedback surveys")
def surveys(request):
    return [
        {
            "id": survey.pk,
            "title": survey.title,
            "languages": survey.languages,
            "opens_on": survey.opens_on,
            "closes_on": survey.closes_on,
            "state": survey_state(survey),
            "responses": shown_count(survey.response_count),
        }
        for survey in surveys_with_counts(request.organisation)
    ]


@router.get("surveys/{survey_id}/results", response={200: ResultsOut, **PRIVATE_ERRORS}, summary="Survey results")
def results(request, language: Language = "en", survey_id: int = Path(..., ge=1, le=2**31 - 1)):
    survey = get_object_or_404(Survey, pk=survey_id, organisation=request.organisation)
    compiled = compile_results(survey, list(survey.questions.all()), language)
    return {
        "survey": survey.pk,
        "total": compiled.total,
        "by_language": [{"label": group.label, "count": group.count} for group in compiled.by_language],
        "months": [{"month": row.month, "count": row.count} for row in compiled.months],
        "questions": [
            {
                "question": result.presented.text,
                "kind": result.presented.kind,
                "answered": result.answered,
                "mean": result.mean,
                "counts": [
                    {"value": c.value, "label": c.label, "count": c.count, "percent": c.percent} for c in result.counts
                ],
            }
            for result in compiled.questions
            if result.presented.kind != "text"
        ],
    }
