"""Surveys as the organisation edits them: creating, settings, own questions, and
"you said, we did"."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .bank import get_question_bank
from .models import CHOICE_KINDS, QuestionRevision, Survey, SurveyQuestion
from .questions import CONDITION_KINDS


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
    return list(surveys_with_counts_of([organisation.pk]))


def surveys_with_counts_of(organisation_ids: list[int]) -> QuerySet[Survey]:
    """The surveys of several organisations, each with its raw ``response_count``, in one
    query (a page of a network's members); show the count only through the suppression rule."""
    return Survey.objects.filter(organisation_id__in=organisation_ids).annotate(response_count=Count("responses"))


def update_survey(survey: Survey, *, title, languages, opens_on, closes_on, **privacy) -> Survey:
    """``privacy``: contact_name, contact, retention_months, as the settings form gives them."""
    survey.title, survey.languages, survey.opens_on, survey.closes_on = title, list(languages), opens_on, closes_on
    for name, value in privacy.items():
        setattr(survey, name, value)
    survey.save(update_fields=["title", "languages", "opens_on", "closes_on", *privacy])
    return survey


def _option_rows(kind: str, options: list[dict[str, str]], ids: list[str] | None = None) -> list[dict]:
    if kind not in CHOICE_KINDS:
        return []
    return [
        {"id": ids[index] if ids else f"o{index + 1}", "text": {code: value for code, value in option.items() if value}}
        for index, option in enumerate(options)
    ]


def _condition_fields(survey: Survey, condition: tuple[int, str] | None, before_position: int | None = None) -> dict:
    """show_if_question / show_if_choice from (question ID, value), checked: an earlier
    question of this survey with one answer to choose."""
    if not condition:
        return {"show_if_question": None, "show_if_choice": ""}
    question_id, value = condition
    earlier = survey.questions.filter(pk=question_id, kind__in=CONDITION_KINDS).first()
    if earlier is None or (before_position is not None and earlier.position >= before_position):
        raise FeedbackError(_("A question can only depend on an earlier question with one answer to choose."))
    return {"show_if_question": earlier, "show_if_choice": value}


def add_own_question(
    survey: Survey,
    kind: str,
    text: dict[str, str],
    options: list[dict[str, str]],
    condition: tuple[int, str] | None = None,
) -> SurveyQuestion:
    """The organisation's own question; ``options`` is one language -> text map per option;
    ``condition`` (question ID, answer) makes it shown only after that answer."""
    last = survey.questions.order_by("-position").values_list("position", flat=True).first()
    return SurveyQuestion.objects.create(
        survey=survey,
        position=(last or 0) + 1,
        kind=kind,
        text={code: value for code, value in text.items() if value},
        options=_option_rows(kind, options),
        **_condition_fields(survey, condition),
    )


def has_responses(survey: Survey) -> bool:
    return survey.responses.exists()


def edit_question(
    survey: Survey,
    question: SurveyQuestion,
    *,
    user,
    kind: str,
    text: dict[str, str],
    options: list[dict[str, str]],
    condition: tuple[int, str] | None = None,
) -> SurveyQuestion:
    """Change an own question. Before the first response anything goes. After it, only the
    wording (of the question and of its answers) may change, and each change is recorded
    (QuestionRevision); a change of kind, of the number or order of the answers or of the
    skip logic would mix answers to different questions, so it is refused."""
    if question.bank_id:
        raise FeedbackError(_("Questions from the question bank cannot be reworded; add your own question instead."))
    new_text = {code: value for code, value in text.items() if value}
    with transaction.atomic():
        Survey.objects.select_for_update().filter(pk=survey.pk).first()
        if not has_responses(survey):
            question.kind, question.text = kind, new_text
            question.options = _option_rows(kind, options)
            for name, value in _condition_fields(survey, condition, question.position).items():
                setattr(question, name, value)
            question.save()
            return question
        old_ids = [option["id"] for option in question.options]
        if kind != question.kind:
            raise FeedbackError(_("The survey already has responses, so the kind of answer cannot change."))
        if len(options) != len(question.options):
            raise FeedbackError(
                _("The survey already has responses, so answers cannot be added or removed, only reworded.")
            )
        first = survey.languages[0] if survey.languages else None
        old_first = [option["text"].get(first, "") for option in question.options]
        new_first = [option.get(first, "") for option in options]
        if new_first != old_first and sorted(new_first) == sorted(old_first):
            raise FeedbackError(_("The survey already has responses, so the order of the answers cannot change."))
        old_condition = (question.show_if_question_id, question.show_if_choice) if question.show_if_choice else None
        if condition != old_condition:
            raise FeedbackError(_("The survey already has responses, so who sees a question cannot change."))
        new_options = _option_rows(kind, options, old_ids)
        if new_text == question.text and new_options == question.options:
            return question
        QuestionRevision.objects.create(
            question=question,
            changed_by=user if user and user.is_authenticated else None,
            old_text=question.text,
            new_text=new_text,
            old_options=question.options,
            new_options=new_options,
        )
        question.text, question.options = new_text, new_options
        question.save(update_fields=["text", "options"])
    return question


def move_question(survey: Survey, question: SurveyQuestion, direction: str) -> None:
    """Swap a question with the one above ("up") or below ("down"); only before the first
    response, and never above the question it depends on."""
    with transaction.atomic():
        Survey.objects.select_for_update().filter(pk=survey.pk).first()
        if has_responses(survey):
            raise FeedbackError(_("The survey already has responses, so its questions cannot be reordered."))
        ordered = list(survey.questions.order_by("position", "pk"))
        index = next(i for i, item in enumerate(ordered) if item.pk == question.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(ordered):
            return
        ordered[index], ordered[other] = ordered[other], ordered[index]
        positions = {item.pk: position for position, item in enumerate(ordered)}
        for item in ordered:
            if item.show_if_question_id and positions.get(item.show_if_question_id, -1) >= positions[item.pk]:
                raise FeedbackError(_("A question cannot move above the question it depends on."))
        for position, item in enumerate(ordered):
            item.position = position
        SurveyQuestion.objects.bulk_update(ordered, ["position"])


def remove_question(survey: Survey, question: SurveyQuestion) -> None:
    if has_responses(survey):
        raise FeedbackError(_("The survey already has responses, so its questions cannot be removed."))
    if question.dependent_questions.exists():
        raise FeedbackError(_("Other questions depend on this one's answer; change or remove them first."))
    question.delete()


def publish_changes(survey: Survey, texts: dict[str, str], published: bool) -> Survey:
    """'You said, we did': what the organisation changed, per language."""
    survey.changes = {code: value.strip() for code, value in texts.items() if value.strip()}
    survey.changes_published = published and bool(survey.changes)
    survey.save(update_fields=["changes", "changes_published"])
    return survey
