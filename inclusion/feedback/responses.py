"""The respondent's side: the language a survey opens in, and storing an anonymous
response within the per-network limit."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import IntegrityError, transaction

from inclusion.core import ratelimit

from .models import Channel, QuestionKind, Response, Survey, SurveyAnswer, SurveyQuestion
from .surveys import today

# Submissions allowed per network (IPv4 /24, IPv6 /48) within the window, in seconds.
DEFAULT_RATE_LIMIT = (30, 600)


def respondent_language(survey: Survey, accepted: str, offered: list[str] | None = None) -> str:
    """The ``offered`` language (default: the survey's) that best matches an Accept-Language
    header, else the first offered."""
    offered = survey.languages if offered is None else offered
    wanted = []
    for part in accepted.split(","):
        code, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        wanted.append((quality, code.strip().lower().split("-")[0]))
    for _quality, code in sorted(wanted, key=lambda pair: -pair[0]):
        if code in offered:
            return code
    return offered[0]


def allow_submission(address: str) -> bool:
    """Count one submission from this address's network; False once over FEEDBACK_RATE_LIMIT."""
    limit, window = getattr(settings, "FEEDBACK_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    return ratelimit.allow("feedback", address, limit, window)


def _answer_rows(answers: dict[SurveyQuestion, object]) -> list[SurveyAnswer]:
    rows = []
    for question, value in answers.items():
        if question.kind == QuestionKind.TEXT:
            if value:
                rows.append(SurveyAnswer(question=question, text=value))
        elif question.kind == QuestionKind.MULTIPLE:
            rows.extend(SurveyAnswer(question=question, choice=choice) for choice in dict.fromkeys(value or []))
        elif value:
            rows.append(SurveyAnswer(question=question, choice=value))
    return rows


def submit_responses(
    survey: Survey, entries: list[tuple[uuid.UUID, str, dict[SurveyQuestion, object]]], channel: str = Channel.KIOSK
) -> set:
    """Store a batch of responses, each (submission key, language, answers), in a few
    queries; the keys stored now. A key stored before, or repeated in the batch, is stored
    once; when another request stores one of the keys at the same moment, the batch falls
    back to one response at a time."""
    new = {}
    for key, language, answers in entries:
        new.setdefault(key, (language, answers))
    for key in Response.objects.filter(survey=survey, submission_key__in=list(new)).values_list(
        "submission_key", flat=True
    ):
        new.pop(key, None)
    try:
        # A savepoint of its own: on PostgreSQL the surrounding transaction stays usable.
        with transaction.atomic():
            day = today()
            responses = Response.objects.bulk_create(
                Response(survey=survey, language=language, submitted_on=day, submission_key=key, channel=channel)
                for key, (language, _answers) in new.items()
            )
            rows = []
            for response, (_language, answers) in zip(responses, new.values(), strict=True):
                for row in _answer_rows(answers):
                    row.response = response
                    rows.append(row)
            SurveyAnswer.objects.bulk_create(rows)
    except IntegrityError:
        return {
            key for key, (language, answers) in new.items() if submit_response(survey, language, answers, key, channel)
        }
    return set(new)


def submit_response(
    survey: Survey,
    language: str,
    answers: dict[SurveyQuestion, object],
    submission_key: uuid.UUID | None = None,
    channel: str = Channel.WEB,
) -> Response | None:
    """Store one response: the language and the day, nothing about who sent it. A choice
    repeated in one submission counts once; a submission key already used stores nothing
    (None)."""
    rows = _answer_rows(answers)
    try:
        # A savepoint of its own: on PostgreSQL the surrounding transaction stays usable.
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey,
                language=language,
                submitted_on=today(),
                submission_key=submission_key or uuid.uuid4(),
                channel=channel,
            )
            for row in rows:
                row.response = response
            SurveyAnswer.objects.bulk_create(rows)
    except IntegrityError:
        if submission_key and Response.objects.filter(survey=survey, submission_key=submission_key).exists():
            return None
        raise
    return response
