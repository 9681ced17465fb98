"""Practice library, submission, ratings and moderation: parse the request, call a service, render."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inclusion.core.charts import Bar, horizontal_bars
from inclusion.handbook.services import get_handbook
from inclusion.organisations.models import Role
from inclusion.organisations.services import editor_memberships

from . import library, services
from .access import practice_for, require_moderator, version_for_review
from .forms import DecisionForm, NewPracticeForm, PracticeForm, RatingForm, SubmitForm
from .models import IndicatorScore, OrganisationType, Practice, PracticeVersion, Rating, TargetGroup, VersionStatus
from .scoring import score_rating


def _edition():
    return get_handbook().edition(get_language())


def profile(scores: dict, chart_id: str = "profile"):
    """A rating's result and its chart, for any page, PDF or export that shows a profile."""
    result = score_rating(_edition().criteria.criteria, scores)
    chart = horizontal_bars(
        [Bar(criterion.title, criterion.score) for criterion in result.criteria],
        title=_("Score per criterion"),
        description=_(
            "Fully counts 2 points, Partly 1, Not in place 0, as a share of the points possible on the "
            "applicable indicators; not applicable indicators are left out."
        ),
        empty_label=_("not assessed"),
        chart_id=chart_id,
    )
    return result, chart


def with_practice(role=Role.VIEWER):
    """Load the practice for this member before anything else: outsiders get 404 from every
    URL and method, members with too low a role 403."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, practice_id, **kwargs):
            practice, membership = practice_for(request.user, practice_id, role)
            return view(request, practice, membership, **kwargs)

        return wrapper

    return decorator


def _require_editor(membership) -> None:
    if not membership.can(Role.EDITOR):
        raise PermissionDenied(_("Your role lets you read this practice, not change it."))


# --- The library -----------------------------------------------------------------------------


def library_page(request):
    filters = library.parse_filters(request.GET)
    page = Paginator(library.library_queryset(filters), library.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "practices/library.html",
        {
            "edition": _edition(),
            "filters": filters,
            "page": page,
            "query_string": query.urlencode(),
            "countries": library.country_choices(),
            "organisation_types": OrganisationType.choices,
            "target_groups": TargetGroup.choices,
        },
    )


def detail(request, practice_id):
    practice = get_object_or_404(Practice.objects.select_related("organisation"), pk=practice_id, is_published=True)
    result, chart = profile(practice.scores)
    return render(
        request,
        "practices/detail.html",
        {"practice": practice, "content": practice, "edition": _edition(), "result": result, "chart": chart},
    )


WORKED_EXAMPLE = {
    # k1: 9 applicable (2 not applicable), 13 of 18 points → 72; k2: 9 of 18 → 50 (below 66);
    # k3: 12 of 12 → 100; k4: 5 of 8 = 62.5 → 63 (half up; below 66); k5: all not applicable →
    # not assessed. Overall (72 + 50 + 100 + 63) / 4 = 71.25 → 71: promising, not good practice.
    **dict.fromkeys(["k1.q1.i1", "k1.q1.i2", "k1.q1.i3", "k1.q1.i4"], "2"),
    **dict.fromkeys(["k1.q1.i5", "k1.q2.i1", "k1.q2.i2", "k1.q2.i3", "k1.q3.i1"], "1"),
    **dict.fromkeys(["k1.q3.i2", "k1.q3.i3"], "na"),
}


def _worked_example_scores(criteria) -> dict:
    scores = dict(WORKED_EXAMPLE)
    plan = {"k2": ["1"] * 9, "k3": ["2"] * 6, "k4": ["2", "1", "1", "1"], "k5": ["na"] * 4}
    for criterion in criteria:
        for indicator, value in zip(criterion.indicators, plan.get(criterion.id, []), strict=False):
            scores[indicator.id] = value
    return scores


def scoring_rules(request):
    criteria = _edition().criteria.criteria
    scores = _worked_example_scores(criteria)
    result, chart = profile(scores, chart_id="example")
    return render(
        request,
        "practices/scoring.html",
        {"edition": _edition(), "result": result, "chart": chart, "scores": scores},
    )


# --- Members: their organisations' practices ------------------------------------------------------


@login_required
def yours(request):
    practices = (
        Practice.objects.filter(organisation__memberships__user=request.user)
        .select_related("organisation", "current_version")
        .order_by("organisation__name", "-created_at")
    )
    return render(
        request,
        "practices/yours.html",
        {"practices": practices, "can_submit": bool(editor_memberships(request.user))},
    )


@login_required
def new(request):
    memberships = editor_memberships(request.user)
    if not memberships:
        return render(request, "practices/no_organisation.html")
    initial = {"organisation": str(memberships[0].organisation.pk)}
    form = NewPracticeForm(request.POST or None, memberships=memberships, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.create_practice(form.cleaned_data["organisation"], form.content(), request.user)
        except services.PracticeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your draft is saved. Score it, then send it for review."))
            return redirect("practices:manage", practice.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "practices/edit.html", {"form": form, "practice": None}, status=status)


@with_practice()
def manage(request, practice, membership):
    version = practice.current_version
    ratings = list(Rating.objects.filter(practice=practice).select_related("rater"))
    own = next((r for r in ratings if not r.is_consensus and r.rater_id == request.user.pk), None)
    consensus = next((r for r in ratings if r.is_consensus), None)
    content_result, content_chart = profile(version.content.get("scores") or {}) if version else (None, None)
    return render(
        request,
        "practices/manage.html",
        {
            "practice": practice,
            "membership": membership,
            "can_edit": membership.can(Role.EDITOR),
            "version": version,
            "content": version.content if version else {},
            "edition": _edition(),
            "versions": practice.versions.select_related("created_by").order_by("-number"),
            "review_messages": practice.messages.select_related("author", "version"),
            "ratings": [r for r in ratings if not r.is_consensus],
            "own_rating": own,
            "consensus": consensus,
            "submit_form": SubmitForm(),
            "result": content_result,
            "chart": content_chart,
            "editable": version is not None and version.status != VersionStatus.IN_REVIEW,
        },
    )


@with_practice(Role.EDITOR)
def edit(request, practice, membership):
    version = practice.current_version
    if version.status == VersionStatus.IN_REVIEW:
        messages.error(
            request, _("This practice is waiting for review and cannot be changed until a moderator decides.")
        )
        return redirect("practices:manage", practice.pk)
    form = PracticeForm(request.POST or None, initial=PracticeForm.initial_from(version.content))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_draft(practice, form.content(), request.user)
        except services.PracticeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your changes are saved as a draft."))
            return redirect("practices:manage", practice.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "practices/edit.html", {"form": form, "practice": practice}, status=status)


@with_practice(Role.EDITOR)
@require_POST
def submit(request, practice, membership):
    form = SubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The message is too long."))
        return redirect("practices:manage", practice.pk)
    try:
        services.submit_for_review(practice, request.user, form.cleaned_data["message"])
    except services.PracticeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Sent for review. A moderator will publish it or reply to you here."))
    return redirect("practices:manage", practice.pk)


@with_practice(Role.EDITOR)
def rate(request, practice, membership):
    criteria = _edition().criteria.criteria
    own = Rating.objects.filter(practice=practice, rater=request.user, is_consensus=False).first()
    form = RatingForm(request.POST or None, criteria=criteria, initial=RatingForm.initial_from(own))
    if request.method == "POST" and form.is_valid():
        try:
            rating = services.save_rating(practice, request.user, criteria, form.scores(), form.evidence())
        except services.PracticeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your scoring is saved."))
            return redirect("practices:rating", practice.pk, rating.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "practices/rate.html",
        {"practice": practice, "form": form, "consensus": False, "content": practice.current_version.content},
        status=status,
    )


@with_practice()
def consensus(request, practice, membership):
    criteria = _edition().criteria.criteria
    table = services.consensus_table(practice, criteria)
    form = RatingForm(request.POST or None, criteria=criteria, initial=RatingForm.initial_from(table.consensus))
    if request.method == "POST":
        _require_editor(membership)
        if form.is_valid():
            try:
                rating = services.save_rating(
                    practice, request.user, criteria, form.scores(), form.evidence(), consensus=True
                )
            except services.PracticeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The agreed scoring is saved."))
                return redirect("practices:rating", practice.pk, rating.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "practices/consensus.html",
        {
            "practice": practice,
            "table": table,
            "form": form,
            "can_edit": membership.can(Role.EDITOR),
            "labels": dict(IndicatorScore.choices),
            "content": practice.current_version.content,
        },
        status=status,
    )


@with_practice()
def rating(request, practice, membership, rating_id):
    rating = get_object_or_404(Rating.objects.select_related("rater"), pk=rating_id, practice=practice)
    result, chart = profile(rating.scores)
    return render(
        request,
        "practices/rating.html",
        {
            "practice": practice,
            "rating": rating,
            "result": result,
            "chart": chart,
            "edition": _edition(),
            "labels": dict(IndicatorScore.choices),
            "content": practice.current_version.content,
        },
    )


@with_practice()
def version(request, practice, membership, number):
    version = get_object_or_404(PracticeVersion, practice=practice, number=number)
    result, chart = profile(version.content.get("scores") or {})
    return render(
        request,
        "practices/version.html",
        {
            "practice": practice,
            "version": version,
            "content": version.content,
            "edition": _edition(),
            "result": result,
            "chart": chart,
        },
    )


# --- Moderation ------------------------------------------------------------------------------


def moderation_queue(request):
    require_moderator(request.user)
    return render(request, "practices/moderation_queue.html", {"queue": services.review_queue()})


def review(request, version_id):
    version = version_for_review(request.user, version_id)
    practice = version.practice
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decide = {
            DecisionForm.PUBLISH: services.publish,
            DecisionForm.REQUEST_CHANGES: services.request_changes,
            DecisionForm.REJECT: services.reject,
        }[form.cleaned_data["decision"]]
        try:
            decide(version, request.user, form.cleaned_data["message"])
        except services.PracticeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your decision is recorded and the submitter can see it."))
            return redirect("practices:moderation")
    if version.status != VersionStatus.IN_REVIEW and request.method == "GET":
        form = None
    result, chart = profile(version.content.get("scores") or {})
    published = practice.published_version if practice.published_version_id != version.pk else None
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "practices/review.html",
        {
            "practice": practice,
            "version": version,
            "content": version.content,
            "published": published,
            "changed": _changed_fields(published.content, version.content) if published else [],
            "edition": _edition(),
            "result": result,
            "chart": chart,
            "form": form,
            "review_messages": practice.messages.select_related("author", "version"),
        },
        status=status,
    )


FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "organisation_name": gettext_lazy("Who runs it"),
    "city": gettext_lazy("City or place"),
    "text": gettext_lazy("Description"),
    "countries": gettext_lazy("Countries"),
    "success_factor": gettext_lazy("Success factor"),
    "organisation_type": gettext_lazy("Type of organisation"),
    "target_groups": gettext_lazy("Who it is for"),
    "links": gettext_lazy("Links"),
    "scores": gettext_lazy("Assessment table"),
    "evidence": gettext_lazy("Evidence notes"),
}


def _changed_fields(before: dict, after: dict) -> list[str]:
    """What a new version changes compared with the published one, for the moderator."""
    return [str(label) for name, label in FIELD_LABELS.items() if before.get(name) != after.get(name)]
