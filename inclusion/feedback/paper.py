"""Paper forms: the questionnaire printed in one of the survey's languages, for people who
prefer paper. Staff type the filled-in forms in afterwards (views.paper_entry), and those
responses carry the channel "paper"."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .bank import RESPONDENT_LANGUAGES
from .models import Survey, SurveyQuestion
from .questions import present_questions


def questionnaire_pdf(survey: Survey, questions: list[SurveyQuestion], language: str, survey_url: str) -> bytes:
    """A4, large type, a box to tick beside every answer, right to left for Arabic and Farsi,
    with the survey's privacy notice; answers numbered as on the data-entry page."""
    from inclusion.core.pdf import render_pdf  # WeasyPrint is heavy: only PDF requests need it

    with translation.override(language):
        html = render_to_string(
            "feedback/pdf/questionnaire.html",
            {
                "survey": survey,
                "language": language,
                "language_name": RESPONDENT_LANGUAGES[language],
                "direction": "rtl" if language in settings.RTL_LANGUAGES else "ltr",
                "questions": present_questions(survey, questions, language),
                "survey_url": survey_url,
            },
        )
    return render_pdf(html)
