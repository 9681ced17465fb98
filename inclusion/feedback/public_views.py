"""Respondent pages: no account and no cookie at all.

Each page renders inside translation.override(language) with the respondent's chosen
language, from a light template of its own (feedback/respond/base.html).
"""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from inclusion.core.i18n import localised
from inclusion.core.ratelimit import client_address

from .bank import RESPONDENT_LANGUAGES
from .forms import ResponseForm
from .models import QuestionRecording, Survey
from .questions import present_questions
from .recordings import recording_response
from .responses import allow_submission, respondent_language, submit_response
from .surveys import survey_state


def _page(request, template, survey, language, context=None, status=200):
    with translation.override(language):
        base = {
            "survey": survey,
            "language": language,
            "direction": "rtl" if language in settings.RTL_LANGUAGES else "ltr",
            "alternates": [(code, RESPONDENT_LANGUAGES[code]) for code in survey.languages] if survey else [],
        }
        response = render(request, template, {**base, **(context or {})}, status=status)
    response["Content-Language"] = language
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _survey_or_none(token: str):
    return Survey.objects.select_related("organisation").filter(token=token).first()


def _not_found(request, language="en"):
    return _page(request, "feedback/respond/not_found.html", None, language, status=404)


def entry(request, token):
    """The short link on the poster: the survey in the browser's language if offered."""
    survey = _survey_or_none(token)
    if survey is None:
        return _not_found(request)
    language = respondent_language(survey, request.headers.get("Accept-Language", ""))
    return redirect("respond:survey", token=token, language=language)


# No CSRF token here, on purpose: a CSRF token needs a cookie, and these pages set none. CSRF
# protects a signed-in session from forged requests; this anonymous form has no session to
# forge, so a forged submission is no different from a real one. Abuse is limited by the
# per-network rate limit in responses.allow_submission instead.
@csrf_exempt
def survey(request, token, language):
    survey = _survey_or_none(token)
    if survey is None or language not in survey.languages:
        return _not_found(request, language if language in RESPONDENT_LANGUAGES else "en")
    state = survey_state(survey)
    if state != "open":
        return _page(
            request, "feedback/respond/unavailable.html", survey, language, {"state": state},
            status=410 if request.method == "POST" else 200,
        )  # fmt: skip
    with translation.override(language):
        questions = present_questions(survey, survey.questions.all(), language)
        form = ResponseForm(request.POST if request.method == "POST" else None, questions=questions)
        valid = request.method == "POST" and form.is_valid()
    if valid:
        if not allow_submission(client_address(request)):
            return _page(request, "feedback/respond/too_many.html", survey, language, status=429)
        submit_response(survey, language, form.answers(), form.cleaned_data.get("submission_key"))
        return redirect("respond:thanks", token=token, language=language)
    recordings = {
        recording.question_id: recording
        for recording in QuestionRecording.objects.filter(question__survey=survey, language=language).only(
            "question_id", "language"
        )
    }
    context = {"form": form, "questions": questions, "recordings": recordings}
    status = 400 if request.method == "POST" else 200
    return _page(request, "feedback/respond/survey.html", survey, language, context, status=status)


def thanks(request, token, language):
    survey = _survey_or_none(token)
    if survey is None or language not in survey.languages:
        return _not_found(request)
    return _page(request, "feedback/respond/thanks.html", survey, language)


def changes(request, token, language):
    """'You said, we did': public once the organisation publishes it."""
    survey = _survey_or_none(token)
    if survey is None or language not in survey.languages or not survey.changes_published:
        return _not_found(request, language if language in RESPONDENT_LANGUAGES else "en")
    text = localised(survey.changes, language, survey.languages)
    return _page(request, "feedback/respond/changes.html", survey, language, {"text": text})


def privacy(request, token, language):
    """The survey's privacy notice, in the respondent's language."""
    survey = _survey_or_none(token)
    if survey is None or language not in survey.languages:
        return _not_found(request, language if language in RESPONDENT_LANGUAGES else "en")
    return _page(request, "feedback/respond/privacy.html", survey, language)


def recording(request, token, language, question_id):
    """A question's recording in the respondent's language, as the survey page's <audio> plays it."""
    found = (
        QuestionRecording.objects.filter(question_id=question_id, language=language, question__survey__token=token)
        .select_related("question__survey")
        .first()
    )
    if found is None or language not in found.question.survey.languages:
        return _not_found(request, language if language in RESPONDENT_LANGUAGES else "en")
    return recording_response(found, request.headers.get("Range"))
