"""Self-assessment views: parse the request, call the domain modules, render."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inclusion.core.charts import Bar, horizontal_bars
from inclusion.core.fragments import CSRF_PLACEHOLDER, cached_fragment, cached_page
from inclusion.core.suppression import MIN_GROUP_SIZE
from inclusion.feedback.results import recent_organisation_feedback
from inclusion.handbook.services import get_handbook
from inclusion.organisations.services import editor_memberships
from inclusion.practices.library import suggested_practices

from .access import require_edit, require_owner, unlock, with_assessment
from .actions import (
    add_gap_to_plan,
    delete_action,
    ordered_actions,
    plan_by_area,
    plan_rows,
    possible_owners,
    save_action,
)
from .answers import AnswerConflict, answered_in_area, save_area, set_answer
from .consensus import area_spreads, own_answers, set_individual_answer
from .evidence_views import area_evidence_context
from .exceptions import AssessmentError
from .forms import (
    ActionForm,
    AnswerForm,
    AreaAnswersForm,
    NewRoundForm,
    NextRoundForm,
    NoteForm,
    ShareLinkForm,
    SignOffForm,
    StartForm,
    version_input_id,
)
from .history import events_for, history_rows, item_number, member_ids
from .models import NEXT_ROUND_CHOICES, Action, AnsweringMode, Assessment, ShareLink
from .notes import save_note as save_area_note
from .private_link import private_link_page
from .rounds import (
    compare_rounds,
    delete_round,
    move_to_organisation,
    next_round_of,
    round_contents,
    sign_off_round,
    start_assessment,
    start_next_round,
)
from .rounds import reopen_round as reopen_round_service
from .sharing import create_share_link, shared_assessment
from .sharing import revoke_share_link as revoke_link
from .signals import summary_panels
from .summary import (
    SUMMARY_CACHE_SECONDS,
    compile_summary,
    feedback_by_area,
    fingerprint,
    summary_cache_key,
    summary_context,
)


def _edition():
    return get_handbook().edition(get_language())


def _area_number(value: str) -> int | None:
    """A key area's number from the request, if it is one."""
    return int(value) if value.isdigit() and 1 <= int(value) <= len(_edition().areas) else None


def _summary_panels(request, assessment, summary) -> list[str]:
    """The sections apps above this one add to an organisation's summary page (benchmarks),
    rendered in their order; see ``signals.summary_panels``."""
    if not assessment.organisation_id:
        return []
    responses = summary_panels.send(sender=Assessment, assessment=assessment, summary=summary, request=request)
    panels = sorted((panel for _receiver, panel in responses if panel), key=lambda panel: panel["order"])
    base = {"assessment": assessment, "summary": summary}
    return [render_to_string(panel["template"], {**base, **panel["context"]}, request=request) for panel in panels]


def start(request):
    memberships = editor_memberships(request.user)
    initial = {"organisation_kind": request.GET.get("kind", "")}
    if memberships:
        # "Start a self-assessment" on an organisation's page names that organisation.
        wanted = request.GET.get("organisation", "")
        chosen = next((m for m in memberships if str(m.organisation.pk) == wanted), memberships[0])
        initial["organisation"] = str(chosen.organisation.pk)
        initial["organisation_kind"] = initial["organisation_kind"] or chosen.organisation.kind
    form = StartForm(request.POST or None, memberships=memberships, initial=initial)
    first_area = _area_number(request.POST.get("area") or request.GET.get("area") or "")
    if request.method == "POST" and form.is_valid():
        assessment, token = start_assessment(
            title=form.cleaned_data["title"],
            organisation_kind=form.cleaned_data["organisation_kind"],
            organisation=form.cleaned_data.get("organisation"),
            user=request.user,
            next_round_months=form.cleaned_data.get("next_round_months") or 0,
            answering_mode=form.cleaned_data.get("answering_mode") or AnsweringMode.TOGETHER,
        )
        next_url = (
            reverse("assessments:area", args=[assessment.public_id, first_area])
            if first_area
            else reverse("assessments:overview", args=[assessment.public_id])
        )
        if token:
            return private_link_page(request, assessment, token, next_url)
        return redirect(next_url)
    return render(request, "assessments/start.html", {"form": form, "area": first_area})


def private_link(request, token):
    assessment = unlock(request, token)
    return redirect("assessments:overview", assessment.public_id)


def how_it_works(request):
    return render(request, "assessments/how_it_works.html", {"edition": _edition()})


@with_assessment
def overview(request, assessment, can_edit):
    summary = compile_summary(assessment, _edition())
    rounds = Assessment.objects.filter(series=assessment.series).order_by("round_number")
    return render(
        request,
        "assessments/overview.html",
        {
            "assessment": assessment,
            "summary": summary,
            "can_edit": can_edit,
            "rounds": rounds,
            "next_round": next((r for r in rounds if r.previous_id == assessment.pk), None),
            "next_round_choices": NEXT_ROUND_CHOICES,
            "new_round_form": NewRoundForm() if assessment.is_owner and assessment.organisation_id else None,
        },
    )


@with_assessment
def area(request, assessment, can_edit, number):
    edition = _edition()
    if number not in range(1, len(edition.areas) + 1):
        raise Http404("No such key area")
    current = edition.area(number)
    # Individual mode before the consensus step: this member's own answers, seen by nobody else.
    collecting = assessment.collects_individual_answers
    own = own_answers(assessment, request.user) if collecting else None
    form, note = AreaAnswersForm.for_area(
        assessment, current, request.POST if request.method == "POST" else None, answers=own
    )
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    conflict, answer_conflicts = None, {}
    if request.method == "POST":
        require_edit(can_edit, assessment)
        if form.is_valid():
            # After a conflict, "keep theirs" leaves a colleague's newer answer as it is.
            keep_theirs = {item.id for item in form.items if request.POST.get(f"resolve-{item.id}") == "keep"}
            saved = save_area(
                assessment,
                current.id,
                form.changed_answers(keep_theirs),
                form.cleaned_data["note"],
                form.cleaned_data["note_version"],
                request.user,
                set_one=set_individual_answer if collecting else None,
            )
            answer_conflicts = saved.answer_conflicts
            if saved.conflict or answer_conflicts:
                conflict = saved.conflict
                # The next save is a deliberate choice made after seeing the other version.
                form.data = form.data.copy()
                if conflict:
                    form.data["note_version"] = conflict.version
                for item_id, theirs in answer_conflicts.items():
                    form.data[f"version-{item_id}"] = theirs.version if theirs else 0
            elif not saved.errors:
                messages.success(request, _("Your answers for this key area are saved."))
                target = _area_number(request.POST.get("next_area") or "")
                return redirect("assessments:area", assessment.public_id, target or number)
            for error in saved.errors:
                form.add_error(None, error)
    summary = compile_summary(assessment, edition, answers=own)
    return render(
        request,
        "assessments/area.html",
        {
            **area_evidence_context(assessment, form.items, can_edit),
            "assessment": assessment,
            "area": current,
            "area_result": summary.areas[number - 1],
            "summary": summary,
            "form": form,
            "note": note,
            "conflict": conflict,
            "answer_conflicts": {
                item_id: {"theirs": theirs, "mine": form.cleaned_data.get(f"answer-{item_id}") or ""}
                for item_id, theirs in answer_conflicts.items()
            },
            "can_edit": can_edit,
            "collecting": collecting,
            "previous_area": edition.area(number - 1) if number > 1 else None,
            "next_area": edition.area(number + 1) if number < len(edition.areas) else None,
        },
    )


@with_assessment
@require_POST
def save_answer(request, assessment, can_edit):
    """Autosave of one item (htmx). Answers with a status fragment for the item, the item's
    new version and the area's "answered N of M" counter (out-of-band); a save based on an
    older version than a colleague's is refused (409) with their answer and a choice."""
    require_edit(can_edit, assessment)
    # Autosave posts the item's own inputs (answer-<id>, comment-<id>, version-<id>) with the item's ID.
    item_id = request.POST.get("item", "")
    form = AnswerForm(
        {
            "item": item_id,
            "value": request.POST.get("value", request.POST.get(f"answer-{item_id}", "")),
            "comment": request.POST.get("comment", request.POST.get(f"comment-{item_id}", "")),
            "version": request.POST.get("version", request.POST.get(f"version-{item_id}", "")),
        }
    )
    if not form.is_valid():
        # Say what to change when we can (a comment over the limit); else the general message.
        error = form.errors["comment"][0] if "comment" in form.errors else _("This answer could not be saved.")
        return render(request, "assessments/_save_status.html", {"error": error}, status=400)
    item_id = form.cleaned_data["item"]
    context = {"item_id": item_id, "version_id": version_input_id(item_id), "assessment": assessment}
    collecting = assessment.collects_individual_answers
    try:
        (set_individual_answer if collecting else set_answer)(
            assessment,
            item_id,
            form.cleaned_data["value"],
            form.cleaned_data["comment"],
            request.user,
            form.cleaned_data["version"],
        )
    except AnswerConflict as conflict:
        theirs = conflict.answer
        context.update(
            {
                "theirs": theirs,
                "mine": form.cleaned_data["value"],
                "version": theirs.version if theirs else 0,
                "area": _item_area(item_id),
            }
        )
        return render(request, "assessments/_answer_conflict.html", context, status=409)
    except AssessmentError as error:
        return render(request, "assessments/_save_status.html", {"error": str(error)}, status=400)
    member = request.user if collecting else None
    area_progress = answered_in_area(assessment, _item_area(item_id), member)
    answers = assessment.individual_answers.filter(member=member) if collecting else assessment.answers
    saved = answers.filter(item_id=item_id).values_list("version", flat=True).first()
    context.update({"saved_at": timezone.localtime(), "version": saved or 0, "progress": area_progress})
    return render(request, "assessments/_save_status.html", context)


def _item_area(item_id: str):
    entry = _edition().entries.get(item_id)
    return _edition().area(int(entry.area[1:])) if entry is not None else None


@with_assessment
@require_POST
def save_note(request, assessment, can_edit, number):
    """Autosave of a key area's notes (htmx), refusing to overwrite a newer version."""
    require_edit(can_edit, assessment)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return render(
            request, "assessments/_note_status.html", {"error": _("The notes could not be saved.")}, status=400
        )
    try:
        saved = save_area_note(
            assessment, f"a{number}", form.cleaned_data["note"], form.cleaned_data["note_version"], request.user
        )
    except AssessmentError as error:
        return render(request, "assessments/_note_status.html", {"error": str(error)}, status=400)
    context = {"note": saved.note, "saved_at": timezone.localtime()}
    if saved.conflict:
        return render(request, "assessments/_note_status.html", {**context, "conflict": True}, status=409)
    return render(request, "assessments/_note_status.html", context)


def _summary_body(request, assessment, *, can_edit: bool, shared: bool) -> tuple[str, Callable[[], str]]:
    """The summary's body (progress, chart, areas, key actions): (its cache key, a function
    that returns it), rendered once per round revision and what other apps add to it, then
    served from the cache. The key also names the whole page that shows it (cached_page).

    The round's part is keyed on its revision, which every change bumps. What refugees said
    changes without the round: at most FEEDBACK_CACHE_SECONDS old, its fingerprint part of
    the key. Forms in the body carry CSRF_PLACEHOLDER, replaced by the reader's own token.
    """
    key = summary_cache_key(
        assessment, get_language(), get_handbook().version, f"{'shared' if shared else 'member'}-{int(can_edit)}"
    )
    compiled = []  # compiled at most once per request, and only on a miss

    def summary():
        if not compiled:
            compiled.append(compile_summary(assessment, _edition()))
        return compiled[0]

    # The practices to learn from follow the round's gaps; a newly published one may take
    # SUMMARY_CACHE_SECONDS to appear.
    suggestions = cached_fragment(
        f"{key}:suggestions", lambda: suggested_practices(summary().shortfalls), SUMMARY_CACHE_SECONDS
    )
    organisation_id = assessment.organisation_id
    feedback = recent_organisation_feedback(organisation_id, get_language()) if organisation_id else None

    def render_body() -> str:
        context = {
            **summary_context(assessment, summary()),
            "shared": shared,
            "suggestions": suggestions,
            "refugee_feedback": feedback_by_area(feedback, [result.area for result in summary().areas]),
            "feedback_min_group_size": MIN_GROUP_SIZE,
        }
        if not shared:
            plan = list(ordered_actions(assessment))
            context["planned_items"] = {action.item_id for action in plan if action.item_id}
            context["plan_by_area"] = plan_by_area(plan)
            # How much the team disagreed in their individual answers, once the consensus step is open.
            context["spreads"] = area_spreads(assessment, _edition()) if assessment.in_consensus else None
            # What apps above this one add (the networks' benchmarks, refreshed by a timer):
            # cached with the body, so at most SUMMARY_CACHE_SECONDS behind.
            context["panels"] = _summary_panels(request, assessment, summary())
        context.update({"can_edit": can_edit, "csrf_token": CSRF_PLACEHOLDER})
        return render_to_string("assessments/_summary_page_body.html", context, request=request)

    body_key = f"{key}:{fingerprint(feedback, suggestions)}"
    return body_key, lambda: mark_safe(cached_fragment(body_key, render_body, SUMMARY_CACHE_SECONDS))  # noqa: S308 - our own template's output, escaped when it was rendered


def _summary_page(request, assessment, template: str, *, can_edit: bool, shared: bool):
    """The summary page, layout and all, shared by every reader of the same variant; the
    header's names are part of the key (a renamed organisation shows at once)."""
    body_key, body = _summary_body(request, assessment, can_edit=can_edit, shared=shared)
    organisation = assessment.organisation.name if assessment.organisation_id else ""
    return cached_page(
        request,
        f"{body_key}:{assessment.title}:{organisation}",
        lambda: render(request, template, {"assessment": assessment, "body": body(), "csrf_token": CSRF_PLACEHOLDER}),
        SUMMARY_CACHE_SECONDS,
    )


@with_assessment
def summary(request, assessment, can_edit):
    return _summary_page(request, assessment, "assessments/summary.html", can_edit=can_edit, shared=False)


@with_assessment
def actions(request, assessment, can_edit):
    rows = plan_rows(assessment, _edition())
    return render(request, "assessments/actions.html", {"assessment": assessment, "rows": rows, "can_edit": can_edit})


@with_assessment
@require_POST
def action_from_gap(request, assessment, can_edit):
    require_edit(can_edit, assessment)
    action = add_gap_to_plan(assessment, _edition(), request.POST.get("item", ""), request.user)
    if action is None:
        raise Http404("No such checklist item")
    messages.success(request, _("Added to the action plan. Say who does it and by when."))
    return redirect("assessments:action_edit", assessment.public_id, action.pk)


@with_assessment
def action_edit(request, assessment, can_edit, action_id=None):
    require_edit(can_edit, assessment)
    action = get_object_or_404(Action, pk=action_id, assessment=assessment) if action_id else None
    form = ActionForm(request.POST or None, instance=action, members=possible_owners(assessment, action))
    if request.method == "POST" and form.is_valid():
        save_action(assessment, form.save(commit=False), request.user)
        messages.success(request, _("The action plan is saved."))
        return redirect("assessments:actions", assessment.public_id)
    return render(request, "assessments/action_edit.html", {"assessment": assessment, "form": form, "action": action})


@with_assessment
@require_POST
def action_delete(request, assessment, can_edit, action_id):
    require_edit(can_edit, assessment)
    delete_action(assessment, get_object_or_404(Action, pk=action_id, assessment=assessment), request.user)
    messages.success(request, _("The action was removed from the plan."))
    return redirect("assessments:actions", assessment.public_id)


@with_assessment
@require_POST
def new_round(request, assessment, can_edit):
    """Start the round after this one (the URL names the round it is based on). If it has
    one already (Back button, double click), go there instead of making another."""
    require_edit(assessment.role_can_edit)
    existing = next_round_of(assessment)
    if existing is not None:
        messages.info(
            request,
            _("Round %(number)s had already been started from this round; here it is.")
            % {"number": existing.round_number},
        )
        return redirect("assessments:overview", existing.public_id)
    cadence = NextRoundForm(request.POST)
    months = cadence.cleaned_data["next_round_months"] if cadence.is_valid() else None
    form = NewRoundForm(request.POST)
    mode = form.cleaned_data["answering_mode"] if form.is_valid() else ""
    # Only an owner chooses the individual mode; anyone else's new round is answered together.
    if not (assessment.is_owner and mode):
        mode = AnsweringMode.TOGETHER
    next_round = start_next_round(assessment, request.user, months, mode)
    messages.success(
        request,
        _("Round %(number)s started from the answers of the previous round.") % {"number": next_round.round_number},
    )
    return redirect("assessments:overview", next_round.public_id)


@with_assessment
@require_POST
def reopen_round(request, assessment, can_edit):
    require_owner(assessment)
    reopen_round_service(assessment, request.user)
    messages.success(request, _("The round is open for changes again."))
    return redirect("assessments:overview", assessment.public_id)


@with_assessment
def sign_off(request, assessment, can_edit):
    require_owner(assessment)
    user = request.user if request.user.is_authenticated else None
    initial = {"signed_off_on": timezone.localdate(), "name": (user.get_full_name() if user else "")}
    form = SignOffForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        sign_off_round(assessment, form.cleaned_data["name"], form.cleaned_data["signed_off_on"], user)
        messages.success(request, _("The round is signed off as final. It can now only be read."))
        return redirect("assessments:overview", assessment.public_id)
    return render(request, "assessments/sign_off.html", {"assessment": assessment, "form": form})


@with_assessment
def delete_round_view(request, assessment, can_edit):
    require_owner(assessment)
    if request.method == "POST":
        target = delete_round(assessment, request.user)
        messages.success(request, _("The round was deleted."))
        if target is not None:
            return redirect("assessments:overview", target.public_id)
        if assessment.organisation_id:
            return redirect("organisations:detail", assessment.organisation.slug)
        return redirect("assessments:start")
    return render(
        request, "assessments/delete_round.html", {"assessment": assessment, "contents": round_contents(assessment)}
    )


@with_assessment
def compare(request, assessment, can_edit):
    if assessment.previous_id is None:
        raise Http404("This is the first round")
    edition = _edition()
    changes = compare_rounds(compile_summary(assessment.previous, edition), compile_summary(assessment, edition))
    plan = plan_by_area(ordered_actions(assessment))
    chart = horizontal_bars(
        [Bar(f"{change.area.number}. {change.area.title}", change.after, change.before) for change in changes],
        title=_("Score per key area, this round and the previous one"),
        description=_("The thick bar is this round, the thin bar the previous round."),
        empty_label=_("not answered"),
        legend=(
            _("Round %(number)s") % {"number": assessment.round_number},
            _("Round %(number)s") % {"number": assessment.previous.round_number},
        ),
    )
    return render(
        request,
        "assessments/compare.html",
        {"assessment": assessment, "changes": changes, "chart": chart, "plan_by_area": plan},
    )


@with_assessment
def share(request, assessment, can_edit):
    require_edit(assessment.role_can_edit)
    form = ShareLinkForm(request.POST or None)
    new_url = None
    if request.method == "POST" and form.is_valid():
        token = create_share_link(assessment, form.cleaned_data["label"], request.user)
        new_url = request.build_absolute_uri(reverse("assessments:shared", args=[token]))
        form = ShareLinkForm()
    links = assessment.share_links.order_by("-created_at")
    return render(
        request, "assessments/share.html", {"assessment": assessment, "form": form, "links": links, "new_url": new_url}
    )


@with_assessment
@require_POST
def revoke_share_link(request, assessment, can_edit, link_id):
    require_edit(assessment.role_can_edit)
    revoke_link(get_object_or_404(ShareLink, pk=link_id, assessment=assessment))
    messages.success(request, _("The link no longer works."))
    return redirect("assessments:share", assessment.public_id)


def shared_summary(request, token):
    """Read-only summary for partners who hold a share link: no login, nothing to change."""
    assessment = shared_assessment(token)
    if assessment is None:
        raise Http404("No such link")
    response = _summary_page(request, assessment, "assessments/shared_summary.html", can_edit=False, shared=True)
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@with_assessment
def claim(request, assessment, can_edit):
    """Move a private-link assessment (all its rounds) into one of the user's organisations."""
    if assessment.organisation_id:
        raise Http404("Already belongs to an organisation")
    memberships = editor_memberships(request.user)
    if request.method == "POST":
        membership = next((m for m in memberships if str(m.organisation.pk) == request.POST.get("organisation")), None)
        if membership is None:
            messages.error(request, _("Choose one of your organisations."))
        else:
            move_to_organisation(assessment, membership.organisation)
            messages.success(
                request,
                _("The self-assessment now belongs to %(organisation)s. The private link no longer opens it.")
                % {"organisation": membership.organisation.name},
            )
            return redirect("assessments:overview", assessment.public_id)
    return render(request, "assessments/claim.html", {"assessment": assessment, "memberships": memberships})


HISTORY_PAGE_SIZE = 50


@with_assessment
def history(request, assessment, can_edit):
    """Every change to the self-assessment (all rounds), newest first; of one key area or one
    checklist item (``?area=a2``, ``?item=a2.c3``). A bounded number of queries per page."""
    edition = _edition()
    item_id = request.GET.get("item", "")
    entry = edition.entries.get(item_id)
    if entry is None or entry.kind != "checklist_item":
        item_id, entry = "", None
    area_id = request.GET.get("area", "")
    area = next((a for a in edition.areas if a.id == area_id), None) if not item_id else None
    events = events_for(assessment, item_id=item_id, area=area.id if area else "")
    page = Paginator(events, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = history_rows(page.object_list, member_ids(assessment), edition)
    filters = {"item": item_id} if item_id else ({"area": area.id} if area else {})
    return render(
        request,
        "assessments/history.html",
        {
            "assessment": assessment,
            "rows": rows,
            "page": page,
            "areas": edition.areas,
            "area": area,
            "item": entry.node if entry else None,
            "item_area": edition.area(int(entry.area[1:])) if entry else None,
            "item_number": item_number(item_id, edition) if entry else "",
            "query_string": urlencode(filters),
        },
    )
