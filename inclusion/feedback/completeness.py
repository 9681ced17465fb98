"""Translation completeness: which texts of a survey are missing in which language.

A language is offered to respondents only when every question and every answer to choose
from is written in it: a missing text is never replaced by another language's (a Latvian
question on a Farsi page, laid out right to left, helps no one). "You said, we did" is
shown in the languages it was written in, and only those.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .bank import RESPONDENT_LANGUAGES
from .models import Survey, SurveyQuestion
from .questions import option_maps, question_text, text_map


@dataclass
class LanguageGaps:
    code: str
    name: str
    missing: list[str]  # what is missing, described in the reader's language

    @property
    def complete(self) -> bool:
        return not self.missing


def _has(value: dict, code: str) -> bool:
    return bool(((value or {}).get(code) or "").strip())


def _question_gaps(questions: list[SurveyQuestion], code: str) -> list[tuple[int, int | None]]:
    """(question number, option number or None) of every text missing in ``code``."""
    gaps = []
    for number, question in enumerate(questions, start=1):
        if not _has(text_map(question), code):
            gaps.append((number, None))
        for option_number, (_option_id, text) in enumerate(option_maps(question), start=1):
            if not _has(text, code):
                gaps.append((number, option_number))
    return gaps


def complete_languages(survey: Survey, questions: list[SurveyQuestion]) -> list[str]:
    """The survey's languages that may be offered to respondents, in the survey's order."""
    return [code for code in survey.languages if not _question_gaps(questions, code)]


def changes_languages(survey: Survey) -> list[str]:
    """The languages "You said, we did" is written in, in the survey's order."""
    return [code for code in survey.languages if _has(survey.changes, code)]


def survey_gaps(survey: Survey, questions: list[SurveyQuestion], reader_language: str) -> list[LanguageGaps]:
    """Per survey language, what is missing, for the organiser."""
    result = []
    for code in survey.languages:
        missing = []
        for number, option in _question_gaps(questions, code):
            wording = question_text(questions[number - 1], reader_language, survey.languages)
            if option is None:
                missing.append(_("Question %(number)s (“%(text)s”)") % {"number": number, "text": wording})
            else:
                missing.append(
                    _("Question %(number)s (“%(text)s”), answer %(option)s")
                    % {"number": number, "text": wording, "option": option}
                )
        if survey.changes and not _has(survey.changes, code):
            missing.append(_("“You said, we did”"))
        result.append(LanguageGaps(code, RESPONDENT_LANGUAGES.get(code, code), missing))
    return result
