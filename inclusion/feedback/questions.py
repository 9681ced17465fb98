"""A survey's questions as one reader sees them: the wording and the answers to choose
from in one language, whether the question comes from the bank or the organisation.

Respondents read a survey ``strict``: a text that was not written in their language is
empty, never another language's text in its place (feedback.completeness keeps such a
language from being offered at all)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from inclusion.core.i18n import localised

from .bank import get_question_bank
from .models import CHOICE_KINDS, QuestionKind, Survey, SurveyQuestion
from .phrases import SCALE_LABELS, SCALE_VALUES, YES_NO_LABELS

# Kinds whose single answer can decide whether a later question is shown.
CONDITION_KINDS = {QuestionKind.SINGLE, QuestionKind.YES_NO, QuestionKind.SCALE}


@dataclass
class Condition:
    """Shown only when the earlier question ``question_id`` was answered ``value``."""

    question_id: int
    name: str  # the form field of the earlier question
    value: str
    question_text: str
    value_label: str


@dataclass
class PresentedQuestion:
    question: SurveyQuestion
    text: str
    choices: list[tuple[str, str]]  # (stored value, label in the language)
    condition: Condition | None = None

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def name(self) -> str:
        return f"q{self.question.pk}"


def _text(value: dict, language: str, languages: list[str], strict: bool) -> str:
    if strict:
        return (value or {}).get(language, "")
    return localised(value, language, languages)


def option_maps(question: SurveyQuestion) -> list[tuple[str, dict[str, str]]]:
    """(option ID, language -> text) of a choice question, from the bank or its own."""
    if question.kind not in CHOICE_KINDS:
        return []
    if question.bank_id:
        bank_question = get_question_bank().get(question.bank_id)
        return [(option.id, option.text) for option in (bank_question.options if bank_question else ())]
    return [(option["id"], option["text"]) for option in question.options]


def text_map(question: SurveyQuestion) -> dict[str, str]:
    """The question's wording, language -> text."""
    if question.bank_id:
        bank_question = get_question_bank().get(question.bank_id)
        return bank_question.text if bank_question else {}
    return question.text


def choices_for(
    question: SurveyQuestion, language: str, languages: list[str], strict: bool = False
) -> list[tuple[str, str]]:
    """Stored value and label of every answer a question offers, in ``language`` (else, not
    ``strict``, in the first of the survey's ``languages`` that has it)."""
    if question.kind == QuestionKind.SCALE:
        with translation.override(language):
            return [(value, str(SCALE_LABELS[value])) for value in SCALE_VALUES]
    if question.kind == QuestionKind.YES_NO:
        with translation.override(language):
            return [(value, str(label)) for value, label in YES_NO_LABELS.items()]
    return [(option_id, _text(text, language, languages, strict)) for option_id, text in option_maps(question)]


def question_text(question: SurveyQuestion, language: str, languages: list[str], strict: bool = False) -> str:
    if question.bank_id and not get_question_bank().get(question.bank_id):
        return question.bank_id
    return _text(text_map(question), language, languages, strict)


def present_questions(survey: Survey, questions, language: str, strict: bool = False) -> list[PresentedQuestion]:
    presented = [
        PresentedQuestion(
            question,
            question_text(question, language, survey.languages, strict),
            choices_for(question, language, survey.languages, strict),
        )
        for question in questions
    ]
    by_id = {item.question.pk: item for item in presented}
    for item in presented:
        earlier = by_id.get(item.question.show_if_question_id)
        if earlier is not None and item.question.show_if_choice:
            item.condition = Condition(
                earlier.question.pk,
                earlier.name,
                item.question.show_if_choice,
                earlier.text,
                dict(earlier.choices).get(item.question.show_if_choice, item.question.show_if_choice),
            )
    return presented
