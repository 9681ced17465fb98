"""Surveys as the organisation edits them: creating, settings, own questions, and
"you said, we did"."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from .bank import get_question_bank
from .models import QuestionKind, Survey, SurveyQuestion


class FeedbackError(Exception):
    """A rule stopped the change; the message is translated and can be shown as it is."""


def today() -> datetime.date:
    return timezone.localdate()


def privacy_notice_missing(survey: Survey) -> bool:
    """A survey cannot open before its privacy notice says who collects the answers and how
    to reach them."""
    return not (survey.contact_name.strip() and survey.contact.strip())


def survey_state(survey: Survey, day: datetime.date | None = None) -> str:
    day = day or today()
    if privacy_notice_missing(survey):
        return "not_ready"
    if day < survey.opens_on:
        return "not_yet"
    if day > survey.closes_on:
        return "closed"
    return "open"


def create_survey(
    *, organisation, user, title, languages, opens_on, closes_on, bank_ids, contact_name=None, contact="",
    retention_months=24,
) -> Survey:  # fmt: skip
    """A survey with the chosen bank questions, in the bank's order."""
    bank = get_question_bank()
    with transaction.atomic():
        survey = Survey.objects.create(
            organisation=organisation,
            title=title,
            languages=list(languages),
            opens_on=opens_on,
            closes_on=closes_on,
            contact_name=organisation.name if contact_name is None else contact_name,
            contact=contact,
            retention_months=retention_months,
            created_by=user if user and user.is_authenticated else None,
        )
        SurveyQuestion.objects.bulk_create(
            SurveyQuestion(survey=survey, position=position, bank_id=bank_id, kind=bank[bank_id].kind)
            for position, bank_id in enumerate(bank_id for bank_id in bank if bank_id in set(bank_ids))
        )
    return survey


def surveys_with_counts(organisation) -> list[Survey]:
    return list(Survey.objects.filter(organisation=organisation).annotate(response_count=Count("responses")))


def update_survey(survey: Survey, *, title, languages, opens_on, closes_on, **privacy) -> Survey:
    """``privacy``: contact_name, contact, retention_months, as the settings form gives them."""
    survey.title, survey.languages, survey.opens_on, survey.closes_on = title, list(languages), opens_on, closes_on
    for name, value in privacy.items():
        setattr(survey, name, value)
    survey.save(update_fields=["title", "languages", "opens_on", "closes_on", *privacy])
    return survey


def add_own_question(survey: Survey, kind: str, text: dict[str, str], options: list[dict[str, str]]) -> SurveyQuestion:
    """The organisation's own question; ``options`` is one language -> text map per option."""
    last = survey.questions.order_by("-position").values_list("position", flat=True).first()
    return SurveyQuestion.objects.create(
        survey=survey,
        position=(last or 0) + 1,
        kind=kind,
        text={code: value for code, value in text.items() if value},
        options=[
            {"id": f"o{index}", "text": {code: value for code, value in option.items() if value}}
            for index, option in enumerate(options, start=1)
        ]
        if kind in {QuestionKind.SINGLE, QuestionKind.MULTIPLE}
        else [],
    )


def remove_question(survey: Survey, question: SurveyQuestion) -> None:
    if question.answers.exists():
        raise FeedbackError(_("This question already has answers, so it cannot be removed."))
    question.delete()


def publish_changes(survey: Survey, texts: dict[str, str], published: bool) -> Survey:
    """'You said, we did': what the organisation changed, per language."""
    survey.changes = {code: value.strip() for code, value in texts.items() if value.strip()}
    survey.changes_published = published and bool(survey.changes)
    survey.save(update_fields=["changes", "changes_published"])
    return survey
