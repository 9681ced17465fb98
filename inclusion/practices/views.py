"""Practice library, submission, ratings and moderation: parse the request, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inclusion.handbook.services import get_handbook
from inclusion.organisations.models import Role
from inclusion.organisations.services import editor_memberships

from . import library, moderation, submissions
from .access import require_moderator, version_for_review, with_practice
from .exceptions import PracticeError
from .forms import DecisionForm, NewPracticeForm, PracticeForm, RatingForm, SubmitForm
from .models import IndicatorScore, OrganisationType, Practice, PracticeVersion, Rating, TargetGroup, VersionStatus
from .ratings import consensus_table, profile, ratings_of, save_rating
from .scoring import worked_example_scores
from .signals import library_scope
from .versions import changes_to_published


def _edition():
    return get_handbook().edition(get_language())


def _require_editor(membership) -> None:
    if not membership.can(Role.EDITOR):
        raise PermissionDenied(_("Your role lets you read this practice, not change it."))


# --- The library -----------------------------------------------------------------------------


def library_page(request):
    filters = library.parse_filters(request.GET)
    # Apps above practices narrow the library to a collection of theirs (a network's).
    filters.scopes = [scope for _receiver, scope in library_scope.send(sender=Practice, request=request) if scope]
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


def scoring_rules(request):
    criteria = _edition().criteria.criteria
    scores = worked_example_scores(criteria)
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

    def save():
        return submissions.create_practice(form.cleaned_data["organisation"], form.content(), request.user).pk

    return _practice_form(request, form, None, save, _("Your draft is saved. Score it, then send it for review."))


def _practice_form(request, form, practice, save, saved_message: str):
    """The form of a new or existing practice: on a valid POST ``save()`` returns the
    practice's ID to go to; a rule that stops it is shown on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            practice_id = save()
        except PracticeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, saved_message)
            return redirect("practices:manage", practice_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "practices/edit.html", {"form": form, "practice": practice}, status=status)


@with_practice()
def manage(request, practice, membership):
    version = practice.current_version
    ratings = ratings_of(practice, request.user)
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
            "ratings": ratings.individual,
            "own_rating": ratings.own,
            "consensus": ratings.consensus,
            "submit_form": SubmitForm(),
            "result": content_result,
            "chart": content_chart,
            "editable": version is not None and version.status != VersionStatus.IN_REVIEW,
        },
    )


@with_practice(Role.EDITOR)
def edit(request, practice, membership):
    version = practice.current_version
    try:
        submissions.check_not_in_review(version)
    except PracticeError as error:
        messages.error(request, str(error))
        return redirect("practices:manage", practice.pk)
    form = PracticeForm(request.POST or None, initial=PracticeForm.initial_from(version.content))

    def save():
        return submissions.save_draft(practice, form.content(), request.user).practice_id

    return _practice_form(request, form, practice, save, _("Your changes are saved as a draft."))


@with_practice(Role.EDITOR)
@require_POST
def submit(request, practice, membership):
    form = SubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The message is too long."))
        return redirect("practices:manage", practice.pk)
    try:
        submissions.submit_for_review(practice, request.user, form.cleaned_data["message"])
    except PracticeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Sent for review. A moderator will publish it or reply to you here."))
    return redirect("practices:manage", practice.pk)


def _save_rating(request, practice, form, criteria, consensus: bool):
    """The redirect to the saved rating, or None when the form (now with the error) is shown again."""
    if not form.is_valid():
        return None
    try:
        rating = save_rating(practice, request.user, criteria, form.scores(), form.evidence(), consensus=consensus)
    except PracticeError as error:
        form.add_error(None, str(error))
        return None
    messages.success(request, _("The agreed scoring is saved.") if consensus else _("Your scoring is saved."))
    return redirect("practices:rating", practice.pk, rating.pk)


@with_practice(Role.EDITOR)
def rate(request, practice, membership):
    criteria = _edition().criteria.criteria
    own = Rating.objects.filter(practice=practice, rater=request.user, is_consensus=False).first()
    form = RatingForm(request.POST or None, criteria=criteria, initial=RatingForm.initial_from(own))
    if request.method == "POST" and (saved := _save_rating(request, practice, form, criteria, consensus=False)):
        return saved
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
    table = consensus_table(practice, criteria)
    form = RatingForm(request.POST or None, criteria=criteria, initial=RatingForm.initial_from(table.consensus))
    if request.method == "POST":
        _require_editor(membership)
        if saved := _save_rating(request, practice, form, criteria, consensus=True):
            return saved
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
    return render(request, "practices/moderation_queue.html", {"queue": moderation.review_queue()})


def review(request, version_id):
    version = version_for_review(request.user, version_id)
    practice = version.practice
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decide = {
            DecisionForm.PUBLISH: moderation.publish,
            DecisionForm.REQUEST_CHANGES: moderation.request_changes,
            DecisionForm.REJECT: moderation.reject,
        }[form.cleaned_data["decision"]]
        try:
            decide(version, request.user, form.cleaned_data["message"])
        except PracticeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your decision is recorded and the submitter can see it."))
            return redirect("practices:moderation")
    if version.status != VersionStatus.IN_REVIEW and request.method == "GET":
        form = None
    result, chart = profile(version.content.get("scores") or {})
    published, changed = changes_to_published(version)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "practices/review.html",
        {
            "practice": practice,
            "version": version,
            "content": version.content,
            "published": published,
            "changed": changed,
            "edition": _edition(),
            "result": result,
            "chart": chart,
            "form": form,
            "review_messages": practice.messages.select_related("author", "version"),
        },
        status=status,
    )
