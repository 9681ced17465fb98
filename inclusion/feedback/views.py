"""Organisation pages for feedback surveys: parse, call a module function, render. Every
view loads the organisation or the survey through access.organisation_view / survey_view."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from inclusion.core import exporters
from inclusion.core.downloads import download
from inclusion.core.suppression import MIN_GROUP_SIZE, shown_total
from inclusion.organisations.models import Role

from . import completeness, kiosks, paper, posters, report, surveys
from . import recordings as recording_files
from .access import organisation_view, survey_view
from .bank import RESPONDENT_LANGUAGES, get_question_bank
from .forms import (
    ChangesForm,
    KioskDeviceForm,
    NewSurveyForm,
    OwnQuestionForm,
    PaperEntryForm,
    RecordingForm,
    ResponseForm,
    SurveySettingsForm,
    condition_choices,
)
from .models import Channel, KioskDevice, SurveyQuestion
from .questions import present_questions
from .respondent_pages import respondent_page
from .responses import submit_response
from .results import (
    TooFewResponses,
    comments_for,
    compile_results,
    language_breakdowns,
    mark_reviewed,
    results_table,
    summary_table,
)

COMMENTS_PER_PAGE = 50
REPORT_COMMENTS = 200  # reviewed written answers in the PDF report, newest first
EXPORTS = ("csv", "xlsx")


def _table_file(request, table, fmt: str) -> bytes:
    """CSV with the separator chosen at download (``?sep=semicolon|comma``), else the one of
    the reader's language; XLSX as it is."""
    if fmt == "csv":
        return exporters.to_csv(table, exporters.separator_for(get_language(), request.GET.get("sep")))
    return exporters.to_xlsx(table)


def _public_urls(request, survey):
    survey_url = request.build_absolute_uri(reverse("respond:entry", args=[survey.token]))
    written = completeness.changes_languages(survey)
    changes_url = (
        request.build_absolute_uri(reverse("respond:changes", args=[survey.token, written[0]]))
        if survey.changes_published and written
        else None
    )
    return survey_url, changes_url


def _to_detail(survey):
    return redirect("feedback:detail", survey.organisation.slug, survey.pk)


@organisation_view()
def survey_list(request, membership):
    return render(
        request,
        "feedback/survey_list.html",
        {"organisation": membership.organisation, "membership": membership,
         "surveys": surveys.surveys_with_counts(membership.organisation),
         "can_edit": membership.can(Role.EDITOR), "today": surveys.today()},
    )  # fmt: skip


@organisation_view(Role.EDITOR)
def survey_create(request, membership):
    initial = {"languages": [code for code in ("lv", "en", "uk", "ru") if code in RESPONDENT_LANGUAGES],
               "questions": list(get_question_bank()), "opens_on": surveys.today(),
               "contact_name": membership.organisation.name, "retention_months": 24}  # fmt: skip
    form = NewSurveyForm(request.POST or None, language=get_language(), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        survey = surveys.create_survey(
            organisation=membership.organisation, user=request.user, title=data["title"],
            languages=data["languages"], opens_on=data["opens_on"], closes_on=data["closes_on"],
            bank_ids=data["questions"], contact_name=data["contact_name"], contact=data["contact"],
            retention_months=data["retention_months"],
        )  # fmt: skip
        messages.success(request, _("The survey is ready. Add your own questions or share the link."))
        return _to_detail(survey)
    return render(request, "feedback/survey_form.html", {"organisation": membership.organisation, "form": form})


@survey_view()
def survey_detail(request, survey, membership):
    survey_url, changes_url = _public_urls(request, survey)
    questions = list(survey.questions.all())
    gaps = completeness.survey_gaps(survey, questions, get_language())
    return render(
        request,
        "feedback/survey_detail.html",
        {"organisation": survey.organisation, "survey": survey,
         "questions": present_questions(survey, questions, get_language()),
         "survey_url": survey_url, "changes_url": changes_url, "can_edit": membership.can(Role.EDITOR),
         "state": surveys.survey_state(survey), "response_count": shown_total(survey.responses.count()),
         "has_responses": survey.responses.exists(), "gaps": gaps,
         "offered": [gap.name for gap in gaps if gap.complete],
         "language_names": [RESPONDENT_LANGUAGES[code] for code in survey.languages],
         "paper_languages": [(code, RESPONDENT_LANGUAGES[code]) for code in survey.languages]},
    )  # fmt: skip


@survey_view()
def preview(request, survey, membership, language):
    """The survey as a respondent sees it in one of its languages, whether open or not:
    answers are checked as on the real page, but nothing is stored."""
    if language not in survey.languages:
        raise Http404("Not a language of this survey")
    questions = list(survey.questions.all())
    with translation.override(language):
        presented = present_questions(survey, questions, language, strict=True)
        form = ResponseForm(request.POST if request.method == "POST" else None, questions=presented)
        checked = request.method == "POST" and form.is_valid()
    context = {
        "form": form, "questions": presented, "preview": True, "checked": checked,
        "has_conditions": any(item.condition for item in presented),
        "organisation": survey.organisation, "reader_language": get_language(),
        "back_url": reverse("feedback:detail", args=[survey.organisation.slug, survey.pk]),
        "form_action": reverse("feedback:preview", args=[survey.organisation.slug, survey.pk, language]),
        "complete": language in completeness.complete_languages(survey, questions),
        "alternates": [(code, RESPONDENT_LANGUAGES[code]) for code in survey.languages],
        "preview_urls": {code: reverse("feedback:preview", args=[survey.organisation.slug, survey.pk, code])
                         for code in survey.languages},
        "changes_languages": completeness.changes_languages(survey),
    }  # fmt: skip
    response = respondent_page(request, "feedback/respond/preview.html", survey, language, context)
    # A signed-in page with a CSRF-checked form: with "no-referrer" (the respondent pages'
    # policy) browsers send "Origin: null" and the check fails.
    response["Referrer-Policy"] = "same-origin"
    return response


@survey_view(Role.EDITOR)
def survey_edit(request, survey, membership):
    initial = {"title": survey.title, "languages": survey.languages, "opens_on": survey.opens_on,
               "closes_on": survey.closes_on, "contact_name": survey.contact_name, "contact": survey.contact,
               "retention_months": survey.retention_months}  # fmt: skip
    form = SurveySettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        surveys.update_survey(survey, title=data["title"], languages=data["languages"],
                              opens_on=data["opens_on"], closes_on=data["closes_on"],
                              contact_name=data["contact_name"], contact=data["contact"],
                              retention_months=data["retention_months"])  # fmt: skip
        messages.success(request, _("The survey's settings are saved."))
        return _to_detail(survey)
    return render(
        request, "feedback/survey_form.html", {"organisation": survey.organisation, "survey": survey, "form": form}
    )


def _question_form(request, survey, question=None):
    """The own-question form; its skip-logic choices are the earlier questions' answers."""
    questions = list(survey.questions.all())
    earlier = [item for item in questions if question is None or item.position < question.position]
    presented = present_questions(survey, earlier, get_language())
    initial = None
    if question is not None:
        initial = {"kind": question.kind, **{f"text_{code}": value for code, value in question.text.items()}}
        for code in survey.languages:
            initial[f"options_{code}"] = "\n".join(option["text"].get(code, "") for option in question.options)
        if question.show_if_question_id:
            initial["show_if"] = f"{question.show_if_question_id}:{question.show_if_choice}"
    return OwnQuestionForm(
        request.POST or None, languages=survey.languages, conditions=condition_choices(presented), initial=initial
    )


@survey_view(Role.EDITOR)
def question_add(request, survey, membership):
    form = _question_form(request, survey)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            surveys.add_own_question(survey, data["kind"], data["texts"], data["option_texts"], data["condition"])
        except surveys.FeedbackError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your question is added at the end of the survey."))
            return _to_detail(survey)
    return render(
        request, "feedback/question_form.html", {"organisation": survey.organisation, "survey": survey, "form": form}
    )


@survey_view(Role.EDITOR)
def question_edit(request, survey, membership, question_id):
    question = get_object_or_404(SurveyQuestion, pk=question_id, survey=survey, bank_id="")
    form = _question_form(request, survey, question)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            surveys.edit_question(
                survey, question, user=request.user, kind=data["kind"], text=data["texts"],
                options=data["option_texts"], condition=data["condition"],
            )  # fmt: skip
        except surveys.FeedbackError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The question is saved."))
            return _to_detail(survey)
    return render(
        request,
        "feedback/question_form.html",
        {"organisation": survey.organisation, "survey": survey, "form": form, "question": question,
         "has_responses": surveys.has_responses(survey),
         "revisions": question.revisions.select_related("changed_by")},
    )  # fmt: skip


@survey_view(Role.EDITOR, methods=("POST",))
def question_move(request, survey, membership, question_id):
    question = get_object_or_404(SurveyQuestion, pk=question_id, survey=survey)
    try:
        surveys.move_question(survey, question, "up" if request.POST.get("direction") == "up" else "down")
    except surveys.FeedbackError as error:
        messages.error(request, str(error))
    return redirect(f"{reverse('feedback:detail', args=[survey.organisation.slug, survey.pk])}#questions")


@survey_view(Role.EDITOR, methods=("POST",))
def question_remove(request, survey, membership, question_id):
    question = get_object_or_404(SurveyQuestion, pk=question_id, survey=survey)
    try:
        surveys.remove_question(survey, question)
        messages.success(request, _("The question is removed."))
    except surveys.FeedbackError as error:
        messages.error(request, str(error))
    return _to_detail(survey)


@survey_view()
def results(request, survey, membership):
    shown = report.results_with_charts(survey, get_language())
    can_edit = membership.can(Role.EDITOR)
    comments = Paginator(comments_for(survey, include_unreviewed=can_edit), COMMENTS_PER_PAGE)
    return render(
        request,
        "feedback/results.html",
        {**shown, "organisation": survey.organisation, "survey": survey,
         "comments": comments.get_page(request.GET.get("page")), "question_texts": shown["results"].question_texts,
         "can_edit": can_edit},
    )  # fmt: skip


@survey_view()
def report_pdf(request, survey, membership):
    """The results report as PDF, in the page's language or the one asked for (?language=lv|en):
    the same suppressed counts as the results page, and only reviewed written answers."""
    language = request.GET.get("language")
    language = language if language in report.REPORT_LANGUAGES else get_language()
    questions = list(survey.questions.all())
    pdf = report.report_pdf(
        survey=survey,
        results_for=lambda code: compile_results(survey, questions, code),
        breakdowns_for=lambda compiled: language_breakdowns(survey, compiled),
        comments_for=lambda: list(comments_for(survey, include_unreviewed=False)[:REPORT_COMMENTS]),
        language=language,
    )
    return download(pdf, "pdf", f"{slugify(survey.title) or 'survey'}-report-{language}.pdf", inline=True)


@survey_view(Role.EDITOR, methods=("POST",))
def review_comments(request, survey, membership):
    ids = [int(value) for value in request.POST.getlist("answer") if value.isdigit()]
    count = mark_reviewed(survey, ids)
    messages.success(request, _("Written answers now visible to viewers: %(count)s.") % {"count": count})
    return redirect(f"{reverse('feedback:results', args=[survey.organisation.slug, survey.pk])}#comments")


@survey_view(Role.EDITOR)
def export(request, survey, membership, fmt):
    """One row per response: editors only, and only from MIN_GROUP_SIZE responses on."""
    if fmt not in EXPORTS:
        raise Http404("No such format")
    try:
        table = results_table(survey, list(survey.questions.all()), get_language(), include_unreviewed=True)
    except TooFewResponses:
        messages.error(
            request,
            _("Answers per person can be downloaded once the survey has at least %(count)s responses.")
            % {"count": MIN_GROUP_SIZE},
        )
        return redirect("feedback:results", survey.organisation.slug, survey.pk)
    return download(_table_file(request, table, fmt), fmt, f"{slugify(survey.title) or 'survey'}-responses.{fmt}")


@survey_view()
def results_export(request, survey, membership, fmt):
    """The results page's counts as a file, with the same suppression."""
    if fmt not in EXPORTS:
        raise Http404("No such format")
    compiled = compile_results(survey, list(survey.questions.all()), get_language())
    table = summary_table(compiled, survey.title)
    return download(_table_file(request, table, fmt), fmt, f"{slugify(survey.title) or 'survey'}-results.{fmt}")


@survey_view()
def qr_code(request, survey, membership, fmt):
    survey_url, _changes = _public_urls(request, survey)
    if fmt == "svg":
        return download(posters.qr_svg(survey_url), fmt, f"survey-{survey.pk}-qr.svg", inline=True)
    if fmt == "png":
        return download(posters.qr_png(survey_url), fmt, f"survey-{survey.pk}-qr.png")
    raise Http404("No such format")


@survey_view()
def poster(request, survey, membership):
    survey_url, changes_url = _public_urls(request, survey)
    pdf = posters.poster_pdf(survey, survey_url, changes_url)
    return download(pdf, "pdf", f"survey-{survey.pk}-poster.pdf", inline=True)


@survey_view(Role.EDITOR)
def changes_edit(request, survey, membership):
    form = ChangesForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        surveys.publish_changes(survey, form.cleaned_data["texts"], form.cleaned_data["published"])
        messages.success(request, _("“You said, we did” is saved."))
        return _to_detail(survey)
    return render(
        request, "feedback/changes_form.html", {"organisation": survey.organisation, "survey": survey, "form": form}
    )


@survey_view(Role.EDITOR)
def kiosk_devices(request, survey, membership):
    """The survey's kiosk tablets; a POST makes a new device code, shown on this page once."""
    form = KioskDeviceForm(request.POST or None)
    new_code = None
    if request.method == "POST" and form.is_valid():
        _device, new_code = kiosks.create_device(survey, form.cleaned_data["name"], request.user)
        form = KioskDeviceForm()
    kiosk_url = request.build_absolute_uri(reverse("respond:kiosk", args=[survey.token]))
    response = render(
        request,
        "feedback/kiosks.html",
        {"organisation": survey.organisation, "survey": survey, "form": form, "new_code": new_code,
         "devices": kiosks.devices_for(survey), "kiosk_url": kiosk_url, "can_edit": True,
         "state": surveys.survey_state(survey)},
    )  # fmt: skip
    # The code in clear is on this page once: no cache may keep it.
    response["Cache-Control"] = "private, no-store"
    return response


@survey_view(Role.EDITOR, methods=("POST",))
def kiosk_revoke(request, survey, membership, device_id):
    device = get_object_or_404(KioskDevice, pk=device_id, survey=survey)
    kiosks.revoke_device(device)
    messages.success(request, _("The device code “%(name)s” is revoked.") % {"name": device.name})
    return redirect("feedback:kiosks", survey.organisation.slug, survey.pk)


@survey_view()
def paper_form(request, survey, membership, language):
    """The questionnaire to print, in one of the survey's languages."""
    if language not in survey.languages:
        raise Http404("Not one of the survey's languages")
    survey_url, _changes = _public_urls(request, survey)
    pdf = paper.questionnaire_pdf(survey, list(survey.questions.all()), language, survey_url)
    return download(pdf, "pdf", f"survey-{survey.pk}-paper-{language}.pdf", inline=True)


@survey_view(Role.EDITOR)
def paper_entry(request, survey, membership):
    """Staff type in paper forms one after the other: save, and the next empty form opens
    in the same language."""
    questions = present_questions(survey, survey.questions.all(), get_language())
    chosen = request.GET.get("language")
    initial = {"language": chosen if chosen in survey.languages else survey.languages[0]}
    form = PaperEntryForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        languages=survey.languages,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        stored = submit_response(
            survey, language, form.answers(), form.cleaned_data.get("submission_key"), channel=Channel.PAPER
        )
        if stored is None:
            messages.info(request, _("This paper form was already saved; it was not saved a second time."))
        else:
            messages.success(request, _("The paper form is saved. Type in the next one."))
        entry_url = reverse("feedback:paper_entry", args=[survey.organisation.slug, survey.pk])
        return redirect(f"{entry_url}?language={language}")
    return render(
        request,
        "feedback/paper_entry.html",
        {"organisation": survey.organisation, "survey": survey, "form": form, "questions": questions},
        status=400 if request.method == "POST" else 200,
    )


@survey_view(Role.EDITOR)
def recordings(request, survey, membership, question_id):
    """Upload, replace or remove a question's recording per language."""
    question = get_object_or_404(SurveyQuestion, pk=question_id, survey=survey)
    page_url = reverse("feedback:recordings", args=[survey.organisation.slug, survey.pk, question.pk])
    if request.method == "POST" and request.POST.get("remove") in survey.languages:
        recording_files.remove_recording(question, request.POST["remove"])
        messages.success(request, _("The recording is removed."))
        return redirect(page_url)
    form = RecordingForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        languages=survey.languages,
    )
    if request.method == "POST" and form.is_valid():
        try:
            recording_files.save_recording(question, form.cleaned_data["language"], form.cleaned_data["file"])
        except surveys.FeedbackError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("The recording is saved. Respondents can listen to it."))
            return redirect(page_url)
    existing = {recording.language: recording for recording in question.recordings.all()}
    presented = present_questions(survey, [question], get_language())[0]
    return render(
        request,
        "feedback/recordings.html",
        {"organisation": survey.organisation, "survey": survey, "question": presented, "form": form,
         "languages": [(code, RESPONDENT_LANGUAGES[code], existing.get(code)) for code in survey.languages]},
        status=400 if request.method == "POST" else 200,
    )  # fmt: skip
