"""A survey's questions as one reader sees them: the wording and the answers to choose
from in one language, whether the question comes from the bank or the organisation."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from inclusion.core.i18n import localised

from .bank import get_question_bank
from .models import QuestionKind, Survey, SurveyQuestion
from .phrases import SCALE_LABELS, SCALE_VALUES, YES_NO_LABELS


@dataclass
class PresentedQuestion:
    question: SurveyQuestion
    text: str
    choices: list[tuple[str, str]]  # (stored value, label in the language)

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def name(self) -> str:
        return f"q{self.question.pk}"


def choices_for(question: SurveyQuestion, language: str, languages: list[str]) -> list[tuple[str, str]]:
    """Stored value and label of every answer a question offers, in ``language`` (else in
    the first of the survey's ``languages`` that has it)."""
    if question.kind == QuestionKind.SCALE:
        with translation.override(language):
            return [(value, str(SCALE_LABELS[value])) for value in SCALE_VALUES]
    if question.kind == QuestionKind.YES_NO:
        with translation.override(language):
            return [(value, str(label)) for value, label in YES_NO_LABELS.items()]
    if question.kind in {QuestionKind.SINGLE, QuestionKind.MULTIPLE}:
        if question.bank_id:
            bank_question = get_question_bank().get(question.bank_id)
            options = bank_question.options if bank_question else ()
            return [(option.id, localised(option.text, language, languages)) for option in options]
        return [(option["id"], localised(option["text"], language, languages)) for option in question.options]
    return []


def question_text(question: SurveyQuestion, language: str, languages: list[str]) -> str:
    if question.bank_id:
        bank_question = get_question_bank().get(question.bank_id)
        return localised(bank_question.text, language, languages) if bank_question else question.bank_id
    return localised(question.text, language, languages)


def present_questions(survey: Survey, questions, language: str) -> list[PresentedQuestion]:
    return [
        PresentedQuestion(
            question,
            question_text(question, language, survey.languages),
            choices_for(question, language, survey.languages),
        )
        for question in questions
    ]
