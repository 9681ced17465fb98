"""Respondent pages: no account and no cookie at all.

Each page renders inside translation.override(language) with the respondent's chosen
language, from a light template of its own (feedback/respond/base.html).
"""

from django.shortcuts import redirect
from django.utils import translation
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt

from inclusion.core.markdown import typed_text_to_html
from inclusion.core.ratelimit import client_address

from .bank import RESPONDENT_LANGUAGES
from .completeness import changes_languages, complete_languages
from .forms import ResponseForm
from .models import Survey
from .phrases import SCALE_FACES
from .questions import present_questions
from .respondent_pages import respondent_page
from .responses import allow_submission, respondent_language, submit_response
from .surveys import survey_state

_page = respondent_page


def _survey_or_none(token: str):
    return Survey.objects.select_related("organisation").filter(token=token).first()


def _not_found(request, language="en"):
    return _page(request, "feedback/respond/not_found.html", None, language, status=404)


def _offered(codes):
    return [(code, RESPONDENT_LANGUAGES[code]) for code in codes]


def entry(request, token):
    """The short link on the poster: the survey in the browser's language if offered."""
    survey = _survey_or_none(token)
    if survey is None:
        return _not_found(request)
    offered = complete_languages(survey, list(survey.questions.all()))
    if not offered:
        # No language has every text yet: the survey cannot be answered in any.
        return _page(request, "feedback/respond/unavailable.html", survey, survey.languages[0],
                     {"state": "not_ready", "alternates": []})  # fmt: skip
    language = respondent_language(survey, request.headers.get("Accept-Language", ""), offered)
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
    all_questions = list(survey.questions.all())
    offered = complete_languages(survey, all_questions)
    if language not in offered:
        # Not (or no longer) complete in this language: never another language in its place.
        return redirect("respond:entry", token=token)
    extra = {"alternates": _offered(offered), "changes_languages": changes_languages(survey)}
    state = survey_state(survey)
    if state != "open":
        return _page(
            request, "feedback/respond/unavailable.html", survey, language, {"state": state, **extra},
            status=410 if request.method == "POST" else 200,
        )  # fmt: skip
    with translation.override(language):
        questions = present_questions(survey, all_questions, language, strict=True)
        form = ResponseForm(request.POST if request.method == "POST" else None, questions=questions)
        valid = request.method == "POST" and form.is_valid()
    if valid:
        if not allow_submission(client_address(request)):
            return _page(request, "feedback/respond/too_many.html", survey, language, extra, status=429)
        submit_response(survey, language, form.answers(), form.cleaned_data.get("submission_key"))
        return redirect("respond:thanks", token=token, language=language)
    context = {"form": form, "questions": questions, "faces": SCALE_FACES,
               "has_conditions": any(item.condition for item in questions), **extra}  # fmt: skip
    status = 400 if request.method == "POST" else 200
    return _page(request, "feedback/respond/survey.html", survey, language, context, status=status)


def thanks(request, token, language):
    survey = _survey_or_none(token)
    if survey is None or language not in survey.languages:
        return _not_found(request)
    return _page(request, "feedback/respond/thanks.html", survey, language,
                 {"alternates": [], "changes_languages": changes_languages(survey)})  # fmt: skip


def changes(request, token, language):
    """'You said, we did': public once the organisation publishes it, in the languages it is
    written in (typed text: paragraphs and "- " lists, through core.markdown)."""
    survey = _survey_or_none(token)
    written = changes_languages(survey) if survey else []
    if survey is None or language not in written or not survey.changes_published:
        return _not_found(request, language if language in RESPONDENT_LANGUAGES else "en")
    text = mark_safe(typed_text_to_html(survey.changes[language]))  # noqa: S308 - sanitised by core.markdown
    return _page(request, "feedback/respond/changes.html", survey, language,
                 {"text": text, "alternates": _offered(written)})  # fmt: skip


def privacy(request, token, language):
    """The survey's privacy notice, in the respondent's language."""
    survey = _survey_or_none(token)
    if survey is None or language not in survey.languages:
        return _not_found(request, language if language in RESPONDENT_LANGUAGES else "en")
    return _page(request, "feedback/respond/privacy.html", survey, language,
                 {"changes_languages": changes_languages(survey)})  # fmt: skip
