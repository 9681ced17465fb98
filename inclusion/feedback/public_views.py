"""Respondent pages: no account and no cookie at all.

Each page renders inside translation.override(language) with the respondent's chosen
language, from a light template of its own (feedback/respond/base.html).
"""

import json
from pathlib import Path

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from inclusion.core.markdown import typed_text_to_html
from inclusion.core.ratelimit import client_address

from . import kiosks
from .bank import RESPONDENT_LANGUAGES
from .completeness import changes_languages, complete_languages
from .forms import ResponseForm
from .models import QuestionRecording, Survey
from .questions import present_questions
from .recordings import recording_response
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
    recordings = {
        recording.question_id: recording
        for recording in QuestionRecording.objects.filter(question__survey=survey, language=language).only(
            "question_id", "language"
        )
    }
    context = {"form": form, "questions": questions, "recordings": recordings,
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


# --- Kiosk mode: a shared tablet locked to the survey with a device code (kiosks.py) ---

SERVICE_WORKER = Path(__file__).parent / "static" / "feedback" / "kiosk-sw.js"
KIOSK_IDLE_SECONDS = 120


def _kiosk_language(request, survey, offered=None):
    return respondent_language(survey, request.headers.get("Accept-Language", ""), offered)


def kiosk(request, token):
    """The tablet's start page: the code (once), then the language choice, the queue's state.
    Without JavaScript the language links lead to the plain respondent form. Only languages
    with every text are offered (completeness.complete_languages)."""
    survey = _survey_or_none(token)
    if survey is None:
        return _not_found(request)
    offered = complete_languages(survey, list(survey.questions.all())) or survey.languages[:1]
    language = _kiosk_language(request, survey, offered)
    state = survey_state(survey)
    pages = [reverse("respond:kiosk_survey", args=[token, code]) for code in offered]
    pages += [reverse("respond:privacy", args=[token, code]) for code in offered]
    cache = [
        reverse("respond:kiosk", args=[token]), *pages, static("feedback/respond.css"),
        static("feedback/kiosk.js"), static("feedback/listen.js"), static("favicon.svg"),
    ]  # fmt: skip
    context = {"state": state, "cache_urls": cache, "idle_seconds": KIOSK_IDLE_SECONDS, "alternates": _offered(offered)}
    return _page(request, "feedback/respond/kiosk.html", survey, language, context)


def kiosk_survey(request, token, language):
    """The survey in one language, as the tablet shows it: the respondent form, which the
    kiosk script queues instead of posting (without JavaScript it posts as usual)."""
    survey = _survey_or_none(token)
    if survey is None or language not in survey.languages:
        return _not_found(request, language if language in RESPONDENT_LANGUAGES else "en")
    all_questions = list(survey.questions.all())
    offered = complete_languages(survey, all_questions)
    if language not in offered:
        return redirect("respond:kiosk", token=token)
    state = survey_state(survey)
    if state != "open":
        return _page(request, "feedback/respond/unavailable.html", survey, language, {"state": state})
    with translation.override(language):
        questions = present_questions(survey, all_questions, language, strict=True)
        form = ResponseForm(questions=questions)
    context = {
        "form": form,
        "questions": questions,
        "kiosk": True,
        "idle_seconds": KIOSK_IDLE_SECONDS,
        "has_conditions": any(item.condition for item in questions),
        "alternates": _offered(offered),
    }
    return _page(request, "feedback/respond/kiosk_survey.html", survey, language, context)


def kiosk_service_worker(request, token):
    """The service worker, served from the kiosk's own path so that its scope is the kiosk."""
    if _survey_or_none(token) is None:
        return _not_found(request)
    scope = reverse("respond:kiosk", args=[token])
    response = HttpResponse(SERVICE_WORKER.read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = scope
    response["Cache-Control"] = "no-cache"
    return response


def kiosk_manifest(request, token):
    survey = _survey_or_none(token)
    if survey is None:
        return _not_found(request)
    start = reverse("respond:kiosk", args=[token])
    manifest = {
        "name": survey.organisation.name,
        "short_name": survey.organisation.name[:12],
        "start_url": start,
        "scope": start,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b3c6b",
        "icons": [{"src": static("favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


def _kiosk_error(code: str, message: str, status: int) -> JsonResponse:
    response = JsonResponse({"error": {"code": code, "message": message}}, status=status)
    response["Cache-Control"] = "no-store"
    return response


# CSRF: this endpoint takes no cookie and no session, so a forged request has nothing
# ambient to borrow; the credential is the device code in the Authorization header, which
# another site cannot read or set. A cross-site page can only send such a request (custom
# header, JSON body) after a CORS preflight, and this endpoint grants none, so the browser
# never sends it. A request that says it comes from another site (Sec-Fetch-Site, Origin)
# is refused all the same, and only a JSON body is read.
@csrf_exempt
def kiosk_sync(request, token):
    """POST {"responses": [{"key", "language", "answers"}, …]} with ``Authorization: Kiosk
    <code>``: each key stored once. Errors are JSON ``{"error": {"code", "message"}}``."""
    survey = _survey_or_none(token)
    language = _kiosk_language(request, survey) if survey else "en"
    with translation.override(language):
        if request.method != "POST":
            response = _kiosk_error("method_not_allowed", _("Send the responses with POST."), 405)
            response["Allow"] = "POST"
            return response
        if not kiosks.allow_sync(client_address(request)):
            return _kiosk_error("too_many_requests", _("Too many requests. The tablet will try again later."), 429)
        if survey is None:
            return _kiosk_error("not_found", _("There is no such survey."), 404)
        if request.headers.get("Sec-Fetch-Site", "same-origin") not in {"same-origin", "none"} or (
            "Origin" in request.headers and request.headers["Origin"] != f"{request.scheme}://{request.get_host()}"
        ):
            return _kiosk_error("cross_site", _("Responses can only be sent from the kiosk page."), 403)
        if request.content_type != "application/json":
            return _kiosk_error("unsupported_media_type", _("Send the responses as JSON."), 415)
        try:
            device = kiosks.authenticate(survey, kiosks.code_from_header(request.headers.get("Authorization", "")))
            try:
                payload = json.loads(request.body)
            except (ValueError, UnicodeDecodeError):
                raise kiosks.KioskError("malformed", _("The request is not valid JSON."), 400) from None
            result = kiosks.sync(device, kiosks.parse_batch(payload))
        except kiosks.KioskError as error:
            return _kiosk_error(error.code, error.message, error.status)
    response = JsonResponse(result.as_json())
    response["Cache-Control"] = "no-store"
    return response


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
