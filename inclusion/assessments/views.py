"""Self-assessment views: parse the request, call a service, render."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inclusion.core.charts import Bar, horizontal_bars
from inclusion.core.tokens import hash_token, new_token
from inclusion.handbook.services import get_handbook
from inclusion.organisations.services import editor_memberships

from . import services
from .access import assessment_for, unlock
from .forms import ActionForm, AnswerForm, AreaAnswersForm, NoteForm, ShareLinkForm, StartForm
from .models import Action, AreaNote, Assessment, ShareLink


def with_assessment(view):
    """Load the assessment for this user before anything else, so that outsiders get 404
    from every URL and method (a POST-only view answers 405 only to those with access)."""

    @functools.wraps(view)
    def wrapper(request, public_id, **kwargs):
        assessment, can_edit = assessment_for(request, public_id)
        return view(request, assessment, can_edit, **kwargs)

    return wrapper


def _edition():
    return get_handbook().edition(get_language())


def _require_edit(can_edit: bool) -> None:
    if not can_edit:
        raise PermissionDenied(_("Your role lets you read this self-assessment, not change it."))


def _first_area(request) -> int | None:
    """The key area to open first when the self-assessment was started from one."""
    value = request.POST.get("area") or request.GET.get("area") or ""
    return int(value) if value.isdigit() and 1 <= int(value) <= len(_edition().areas) else None


def private_link_page(request, assessment, token, next_url=None):
    """The one time a private link is shown; this browser is let in straight away."""
    unlock(request, token)
    return render(
        request,
        "assessments/private_link.html",
        {
            "assessment": assessment,
            "url": request.build_absolute_uri(reverse("assessments:private_link", args=[token])),
            "next_url": next_url or reverse("assessments:overview", args=[assessment.public_id]),
        },
    )


def start(request):
    memberships = editor_memberships(request.user)
    initial = {"organisation_kind": request.GET.get("kind", "")}
    if memberships:
        initial["organisation"] = str(memberships[0].organisation.pk)
        initial["organisation_kind"] = initial["organisation_kind"] or memberships[0].organisation.kind
    form = StartForm(request.POST or None, memberships=memberships, initial=initial)
    first_area = _first_area(request)
    if request.method == "POST" and form.is_valid():
        assessment, token = services.start_assessment(
            title=form.cleaned_data["title"],
            organisation_kind=form.cleaned_data["organisation_kind"],
            organisation=form.cleaned_data.get("organisation"),
            user=request.user,
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
    summary = services.compile_summary(assessment, _edition())
    rounds = Assessment.objects.filter(series=assessment.series).order_by("round_number")
    return render(
        request,
        "assessments/overview.html",
        {"assessment": assessment, "summary": summary, "can_edit": can_edit, "rounds": rounds},
    )


def _area_form(assessment, area, data=None):
    items = services.applicable_items(area, assessment.organisation_kind)
    answers = {answer.item_id: answer for answer in assessment.answers.filter(item_id__in=[i.id for i in items])}
    note = AreaNote.objects.filter(assessment=assessment, area=area.id).first()
    initial = {"note": note.text if note else "", "note_version": note.version if note else 0}
    for item in items:
        answer = answers.get(item.id)
        initial[f"answer-{item.id}"] = initial[f"original-{item.id}"] = answer.value if answer else ""
        initial[f"comment-{item.id}"] = initial[f"original-comment-{item.id}"] = answer.comment if answer else ""
    return AreaAnswersForm(data, items=items, initial=initial), note


@with_assessment
def area(request, assessment, can_edit, number):
    edition = _edition()
    if number not in range(1, len(edition.areas) + 1):
        raise Http404("No such key area")
    current = edition.area(number)
    form, note = _area_form(assessment, current, request.POST if request.method == "POST" else None)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    conflict = None
    if request.method == "POST":
        _require_edit(can_edit)
        if form.is_valid():
            errors = []
            with transaction.atomic():
                for item_id, value, comment in form.changed_answers():
                    try:
                        if value:
                            services.save_answer(assessment, item_id, value, comment, request.user)
                        else:
                            services.clear_answer(assessment, item_id)
                    except services.AssessmentError as error:
                        errors.append(str(error))
                saved = services.save_note(
                    assessment, current.id, form.cleaned_data["note"], form.cleaned_data["note_version"], request.user
                )
            if saved.conflict and services.sanitise_note(form.cleaned_data["note"]) != saved.note.text:
                conflict = saved.note
                # The next save is a deliberate choice made after seeing the other version.
                form.data = form.data.copy()
                form.data["note_version"] = saved.note.version
            elif not errors:
                messages.success(request, _("Your answers for this key area are saved."))
                target = request.POST.get("next_area")
                if target and target.isdigit() and int(target) in range(1, len(edition.areas) + 1):
                    return redirect("assessments:area", assessment.public_id, int(target))
                return redirect("assessments:area", assessment.public_id, number)
            for error in errors:
                form.add_error(None, error)
    summary = services.compile_summary(assessment, edition)
    return render(
        request,
        "assessments/area.html",
        {
            "assessment": assessment,
            "area": current,
            "area_result": summary.areas[number - 1],
            "summary": summary,
            "form": form,
            "note": note,
            "conflict": conflict,
            "can_edit": can_edit,
            "previous_area": edition.area(number - 1) if number > 1 else None,
            "next_area": edition.area(number + 1) if number < len(edition.areas) else None,
        },
    )


@with_assessment
@require_POST
def save_answer(request, assessment, can_edit):
    """Autosave of one item (htmx). Answers with a status fragment for the item."""
    _require_edit(can_edit)
    # Autosave posts the item's own inputs (answer-<id>, comment-<id>) with the item's ID.
    item_id = request.POST.get("item", "")
    form = AnswerForm(
        {
            "item": item_id,
            "value": request.POST.get("value", request.POST.get(f"answer-{item_id}", "")),
            "comment": request.POST.get("comment", request.POST.get(f"comment-{item_id}", "")),
        }
    )
    if not form.is_valid():
        # Say what to change when we can (a comment over the limit); else the general message.
        error = form.errors["comment"][0] if "comment" in form.errors else _("This answer could not be saved.")
        return render(request, "assessments/_save_status.html", {"error": error}, status=400)
    try:
        if form.cleaned_data["value"]:
            services.save_answer(
                assessment,
                form.cleaned_data["item"],
                form.cleaned_data["value"],
                form.cleaned_data["comment"],
                request.user,
            )
        else:
            services.clear_answer(assessment, form.cleaned_data["item"])
    except services.AssessmentError as error:
        return render(request, "assessments/_save_status.html", {"error": str(error)}, status=400)
    return render(request, "assessments/_save_status.html", {"saved_at": timezone.localtime()})


@with_assessment
@require_POST
def save_note(request, assessment, can_edit, number):
    """Autosave of a key area's notes (htmx), refusing to overwrite a newer version."""
    _require_edit(can_edit)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return render(
            request, "assessments/_note_status.html", {"error": _("The notes could not be saved.")}, status=400
        )
    try:
        saved = services.save_note(
            assessment, f"a{number}", form.cleaned_data["note"], form.cleaned_data["note_version"], request.user
        )
    except services.AssessmentError as error:
        return render(request, "assessments/_note_status.html", {"error": str(error)}, status=400)
    context = {"note": saved.note, "saved_at": timezone.localtime()}
    if saved.conflict:
        return render(request, "assessments/_note_status.html", {**context, "conflict": True}, status=409)
    return render(request, "assessments/_note_status.html", context)


def summary_context(assessment, summary):
    """What every rendering of a summary needs: the page, the shared view and the PDF."""
    chart = horizontal_bars(
        [Bar(f"{result.area.number}. {result.area.title}", result.score) for result in summary.areas],
        title=_("Score per key area"),
        description=_("Yes counts 1, Partly ½, No 0; not applicable items are left out."),
        empty_label=_("not answered"),
    )
    return {"assessment": assessment, "summary": summary, "chart": chart}


@with_assessment
def summary(request, assessment, can_edit):
    result = services.compile_summary(assessment, _edition())
    context = summary_context(assessment, result)
    context.update(
        {
            "can_edit": can_edit,
            "planned_items": set(assessment.actions.exclude(item=None).values_list("item_id", flat=True)),
        }
    )
    return render(request, "assessments/summary.html", context)


@with_assessment
def actions(request, assessment, can_edit):
    plan = list(assessment.actions.all())
    labels = {entry.id: entry.label for entry in _edition().entries.values() if entry.kind == "checklist_item"}
    rows = [(action, labels.get(action.item_id, "")) for action in plan]
    return render(request, "assessments/actions.html", {"assessment": assessment, "rows": rows, "can_edit": can_edit})


@with_assessment
@require_POST
def action_from_gap(request, assessment, can_edit):
    _require_edit(can_edit)
    entry = _edition().entries.get(request.POST.get("item", ""))
    if entry is None or entry.kind != "checklist_item":
        raise Http404("No such checklist item")
    action = Action.objects.create(assessment=assessment, item_id=entry.id, area=entry.area, description=entry.label)
    messages.success(request, _("Added to the action plan. Say who does it and by when."))
    return redirect("assessments:action_edit", assessment.public_id, action.pk)


@with_assessment
def action_edit(request, assessment, can_edit, action_id=None):
    _require_edit(can_edit)
    action = get_object_or_404(Action, pk=action_id, assessment=assessment) if action_id else None
    form = ActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        action = form.save(commit=False)
        action.assessment = assessment
        action.area = action.area or "a0"
        action.save()
        messages.success(request, _("The action plan is saved."))
        return redirect("assessments:actions", assessment.public_id)
    return render(request, "assessments/action_edit.html", {"assessment": assessment, "form": form, "action": action})


@with_assessment
@require_POST
def action_delete(request, assessment, can_edit, action_id):
    _require_edit(can_edit)
    get_object_or_404(Action, pk=action_id, assessment=assessment).delete()
    messages.success(request, _("The action was removed from the plan."))
    return redirect("assessments:actions", assessment.public_id)


@with_assessment
@require_POST
def new_round(request, assessment, can_edit):
    _require_edit(can_edit)
    next_round = services.start_next_round(assessment, request.user)
    messages.success(
        request,
        _("Round %(number)s started from the answers of the previous round.") % {"number": next_round.round_number},
    )
    return redirect("assessments:overview", next_round.public_id)


@with_assessment
def compare(request, assessment, can_edit):
    if assessment.previous_id is None:
        raise Http404("This is the first round")
    edition = _edition()
    earlier = services.compile_summary(assessment.previous, edition)
    later = services.compile_summary(assessment, edition)
    changes = services.compare_rounds(earlier, later)
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
    return render(request, "assessments/compare.html", {"assessment": assessment, "changes": changes, "chart": chart})


@with_assessment
def share(request, assessment, can_edit):
    _require_edit(can_edit)
    form = ShareLinkForm(request.POST or None)
    new_url = None
    if request.method == "POST" and form.is_valid():
        token = new_token()
        ShareLink.objects.create(
            assessment=assessment,
            token_hash=hash_token(token),
            label=form.cleaned_data["label"],
            created_by=request.user if request.user.is_authenticated else None,
        )
        new_url = request.build_absolute_uri(reverse("assessments:shared", args=[token]))
        form = ShareLinkForm()
    links = assessment.share_links.order_by("-created_at")
    return render(
        request, "assessments/share.html", {"assessment": assessment, "form": form, "links": links, "new_url": new_url}
    )


@with_assessment
@require_POST
def revoke_share_link(request, assessment, can_edit, link_id):
    _require_edit(can_edit)
    link = get_object_or_404(ShareLink, pk=link_id, assessment=assessment)
    link.revoked_at = link.revoked_at or timezone.now()
    link.save(update_fields=["revoked_at"])
    messages.success(request, _("The link no longer works."))
    return redirect("assessments:share", assessment.public_id)


def shared_summary(request, token):
    """Read-only summary for partners who hold a share link: no login, nothing to change."""
    link = (
        ShareLink.objects.select_related("assessment__organisation")
        .filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .first()
    )
    if link is None:
        raise Http404("No such link")
    result = services.compile_summary(link.assessment, _edition())
    context = summary_context(link.assessment, result)
    context["shared"] = True
    response = render(request, "assessments/shared_summary.html", context)
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
            Assessment.objects.filter(series=assessment.series).update(
                organisation=membership.organisation, private_token_hash=""
            )
            messages.success(
                request,
                _("The self-assessment now belongs to %(organisation)s. The private link no longer opens it.")
                % {"organisation": membership.organisation.name},
            )
            return redirect("assessments:overview", assessment.public_id)
    return render(request, "assessments/claim.html", {"assessment": assessment, "memberships": memberships})
