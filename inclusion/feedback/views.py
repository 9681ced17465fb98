"""Organisation pages for feedback surveys: parse, call a module function, render. Every view loads
the organisation through access.with_membership / with_survey first."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from inclusion.core import exporters
from inclusion.core.charts import Bar, horizontal_bars
from inclusion.organisations.models import Role

from . import posters, surveys
from .access import with_membership, with_survey
from .bank import RESPONDENT_LANGUAGES, get_question_bank
from .forms import ChangesForm, NewSurveyForm, OwnQuestionForm, SurveySettingsForm
from .models import SurveyQuestion
from .questions import present_questions
from .results import MIN_GROUP_SIZE, comments_for, compile_results, mark_reviewed, results_table

COMMENTS_PER_PAGE = 50


def _public_urls(request, survey):
    survey_url = request.build_absolute_uri(reverse("respond:entry", args=[survey.token]))
    changes_url = (
        request.build_absolute_uri(reverse("respond:changes", args=[survey.token, survey.languages[0]]))
        if survey.changes_published
        else None
    )
    return survey_url, changes_url


@with_membership()
def survey_list(request, membership):
    return render(
        request,
        "feedback/survey_list.html",
        {"organisation": membership.organisation, "membership": membership,
         "surveys": surveys.surveys_with_counts(membership.organisation),
         "can_edit": membership.can(Role.EDITOR), "today": surveys.today()},
    )  # fmt: skip


@with_membership(Role.EDITOR)
def survey_create(request, membership):
    language = get_language()
    initial = {"languages": [code for code in ("lv", "en", "uk", "ru") if code in RESPONDENT_LANGUAGES],
               "questions": list(get_question_bank()), "opens_on": surveys.today()}  # fmt: skip
    form = NewSurveyForm(request.POST or None, language=language, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        survey = surveys.create_survey(
            organisation=membership.organisation, user=request.user, title=data["title"],
            languages=_ordered_languages(data["languages"]), opens_on=data["opens_on"],
            closes_on=data["closes_on"], bank_ids=data["questions"],
        )  # fmt: skip
        messages.success(request, _("The survey is ready. Add your own questions or share the link."))
        return redirect("feedback:detail", membership.organisation.slug, survey.pk)
    return render(request, "feedback/survey_form.html", {"organisation": membership.organisation, "form": form})


def _ordered_languages(codes):
    return [code for code in RESPONDENT_LANGUAGES if code in codes]


@with_survey()
def survey_detail(request, membership, survey):
    questions = present_questions(survey, survey.questions.all(), get_language())
    survey_url, changes_url = _public_urls(request, survey)
    return render(
        request,
        "feedback/survey_detail.html",
        {"organisation": membership.organisation, "survey": survey, "questions": questions,
         "survey_url": survey_url, "changes_url": changes_url, "can_edit": membership.can(Role.EDITOR),
         "state": surveys.survey_state(survey), "response_count": survey.responses.count(),
         "language_names": [RESPONDENT_LANGUAGES[code] for code in survey.languages]},
    )  # fmt: skip


@with_survey(Role.EDITOR)
def survey_edit(request, membership, survey):
    initial = {"title": survey.title, "languages": survey.languages, "opens_on": survey.opens_on,
               "closes_on": survey.closes_on}  # fmt: skip
    form = SurveySettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        surveys.update_survey(survey, title=data["title"], languages=_ordered_languages(data["languages"]),
                               opens_on=data["opens_on"], closes_on=data["closes_on"])  # fmt: skip
        messages.success(request, _("The survey's settings are saved."))
        return redirect("feedback:detail", membership.organisation.slug, survey.pk)
    return render(
        request, "feedback/survey_form.html", {"organisation": membership.organisation, "survey": survey, "form": form}
    )


@with_survey(Role.EDITOR)
def question_add(request, membership, survey):
    form = OwnQuestionForm(request.POST or None, languages=survey.languages)
    if request.method == "POST" and form.is_valid():
        surveys.add_own_question(
            survey, form.cleaned_data["kind"], form.cleaned_data["texts"], form.cleaned_data["option_texts"]
        )
        messages.success(request, _("Your question is added at the end of the survey."))
        return redirect("feedback:detail", membership.organisation.slug, survey.pk)
    return render(
        request,
        "feedback/question_form.html",
        {"organisation": membership.organisation, "survey": survey, "form": form},
    )


@with_survey(Role.EDITOR, methods=("POST",))
def question_remove(request, membership, survey, question_id):
    question = get_object_or_404(SurveyQuestion, pk=question_id, survey=survey)
    try:
        surveys.remove_question(survey, question)
        messages.success(request, _("The question is removed."))
    except surveys.FeedbackError as error:
        messages.error(request, str(error))
    return redirect("feedback:detail", membership.organisation.slug, survey.pk)


def _chart(result, index):
    return horizontal_bars(
        [Bar(row.label, row.percent) for row in result.counts],
        title=result.presented.text,
        description=_("Share of the people who answered this question, in per cent."),
        empty_label=_("none"),
        chart_id=f"chart-{index}",
    )


@with_survey()
def results(request, membership, survey):
    questions = list(survey.questions.all())
    compiled = compile_results(survey, questions, get_language())
    can_edit = membership.can(Role.EDITOR)
    comments = Paginator(comments_for(survey, include_unreviewed=can_edit), COMMENTS_PER_PAGE)
    page = comments.get_page(request.GET.get("page"))
    texts = {item.question.pk: item.text for item in compiled.scale_questions}
    texts.update({result.presented.question.pk: result.presented.text for result in compiled.questions})
    charts = {
        result.presented.question.pk: _chart(result, index)
        for index, result in enumerate(compiled.questions)
        if result.counts and result.answered
    }
    return render(
        request,
        "feedback/results.html",
        {"organisation": membership.organisation, "survey": survey, "results": compiled, "charts": charts,
         "comments": page, "question_texts": texts, "can_edit": can_edit,
         "min_group_size": MIN_GROUP_SIZE},
    )  # fmt: skip


@with_survey(Role.EDITOR, methods=("POST",))
def review_comments(request, membership, survey):
    ids = [int(value) for value in request.POST.getlist("answer") if value.isdigit()]
    count = mark_reviewed(survey, ids)
    messages.success(request, _("Written answers now visible to viewers: %(count)s.") % {"count": count})
    return redirect(f"{reverse('feedback:results', args=[membership.organisation.slug, survey.pk])}#comments")


@with_survey()
def export(request, membership, survey, fmt):
    if fmt not in {"csv", "xlsx"}:
        raise Http404("No such format")
    table = results_table(
        survey, list(survey.questions.all()), get_language(), include_unreviewed=membership.can(Role.EDITOR)
    )
    data, content_type = (
        (exporters.to_csv(table), exporters.CSV_CONTENT_TYPE)
        if fmt == "csv"
        else (exporters.to_xlsx(table), exporters.XLSX_CONTENT_TYPE)
    )
    response = HttpResponse(data, content_type=content_type)
    name = slugify(survey.title) or "survey"
    response["Content-Disposition"] = f'attachment; filename="{name}-responses.{fmt}"'
    return response


@with_survey()
def qr_code(request, membership, survey, fmt):
    survey_url, _changes = _public_urls(request, survey)
    if fmt == "svg":
        return HttpResponse(posters.qr_svg(survey_url), content_type="image/svg+xml")
    if fmt == "png":
        response = HttpResponse(posters.qr_png(survey_url), content_type="image/png")
        response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-qr.png"'
        return response
    raise Http404("No such format")


@with_survey()
def poster(request, membership, survey):
    survey_url, changes_url = _public_urls(request, survey)
    response = HttpResponse(posters.poster_pdf(survey, survey_url, changes_url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="survey-{survey.pk}-poster.pdf"'
    return response


@with_survey(Role.EDITOR)
def changes_edit(request, membership, survey):
    initial = {f"text_{code}": text for code, text in survey.changes.items()}
    initial["published"] = survey.changes_published
    form = ChangesForm(request.POST or None, languages=survey.languages, initial=initial)
    if request.method == "POST" and form.is_valid():
        texts = {code: form.cleaned_data.get(f"text_{code}", "") for code in survey.languages}
        surveys.publish_changes(survey, texts, form.cleaned_data["published"])
        messages.success(request, _("“You said, we did” is saved."))
        return redirect("feedback:detail", membership.organisation.slug, survey.pk)
    return render(
        request, "feedback/changes_form.html", {"organisation": membership.organisation, "survey": survey, "form": form}
    )
