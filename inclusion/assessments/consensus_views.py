"""The individual-then-consensus step: where members stand, opening the step, and the
consensus page of a key area where an editor records the agreed answers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inclusion.handbook.services import get_handbook

from .access import require_edit, require_owner, with_assessment
from .answers import AnswerConflict, answered_in_area, applicable_items, set_answer
from .consensus import area_spreads, consensus_area, member_progress, open_consensus, own_answers
from .exceptions import AssessmentError
from .forms import AnswerForm
from .history import record
from .models import AnswerValue, HistoryKind


def _edition():
    return get_handbook().edition(get_language())


def _individual(assessment):
    if not assessment.is_individual:
        raise Http404("This round is answered together")


@with_assessment
def status(request, assessment, can_edit):
    """Before the step: what it is; the owner sees how many items each member has answered
    (never what) and opens it. After: the key areas with how much the team agreed."""
    _individual(assessment)
    edition = _edition()
    total = sum(len(applicable_items(area, assessment.organisation_kind)) for area in edition.areas)
    context = {"assessment": assessment, "edition": edition, "total": total, "can_edit": can_edit}
    if assessment.collects_individual_answers:
        if assessment.is_owner:
            context["progress"] = member_progress(assessment)
        context["own"] = len(own_answers(assessment, request.user))
    else:
        context["spreads"] = area_spreads(assessment, edition)
    return render(request, "assessments/consensus.html", context)


@with_assessment
@require_POST
def open_step(request, assessment, can_edit):
    _individual(assessment)
    require_owner(assessment)
    require_edit(can_edit, assessment)
    if open_consensus(assessment):
        record(assessment, HistoryKind.CONSENSUS_OPENED, request.user)
        messages.success(request, _("The consensus step is open: every member now sees everyone's answers."))
    return redirect("assessments:consensus_area", assessment.public_id, 1)


def _require_open_step(assessment):
    _individual(assessment)
    if assessment.collects_individual_answers:
        raise PermissionDenied(_("The members' answers are private until an owner opens the consensus step."))


@with_assessment
def area(request, assessment, can_edit, number):
    """Per item everyone's answer side by side, their spread, and the agreed answer; a POST
    records the agreed answer of one item (htmx: answers with that item; without JavaScript:
    back to the page), refused when a colleague recorded another one meanwhile."""
    _require_open_step(assessment)
    edition = _edition()
    if number not in range(1, len(edition.areas) + 1):
        raise Http404("No such key area")
    current = edition.area(number)
    conflict = None
    if request.method == "POST":
        require_edit(can_edit, assessment)
        form = AnswerForm(request.POST)
        if not form.is_valid():
            raise_message = form.errors.get("comment", [_("This answer could not be saved.")])[0]
            return _respond_error(request, assessment, current, can_edit, raise_message)
        item_id = form.cleaned_data["item"]
        try:
            set_answer(
                assessment,
                item_id,
                form.cleaned_data["value"],
                form.cleaned_data["comment"],
                request.user,
                form.cleaned_data["version"],
            )
        except AnswerConflict as error:
            conflict = {"item_id": item_id, "theirs": error.answer, "mine": form.cleaned_data}
        except AssessmentError as error:
            return _respond_error(request, assessment, current, can_edit, str(error))
        else:
            if not request.htmx:
                messages.success(request, _("The agreed answer is saved."))
                page = reverse("assessments:consensus_area", args=[assessment.public_id, number])
                return redirect(f"{page}#{item_id}")
        if request.htmx:
            row = next((row for row in consensus_area(assessment, current).items if row.item.id == item_id), None)
            if row is None:
                raise Http404("No such item in this key area")
            return render(
                request,
                "assessments/_consensus_item.html",
                {
                    "assessment": assessment,
                    "area": current,
                    "row": row,
                    "can_edit": can_edit,
                    "conflict": conflict,
                    "saved": conflict is None,
                    "answer_choices": AnswerValue.choices,
                },
                status=409 if conflict else 200,
            )
    return _page(request, assessment, current, can_edit, conflict=conflict)


def _page(request, assessment, current, can_edit, *, conflict=None, error=None, status=200):
    edition = _edition()
    number = current.number
    return render(
        request,
        "assessments/consensus_area.html",
        {
            "assessment": assessment,
            "area": current,
            "consensus": consensus_area(assessment, current),
            "progress": answered_in_area(assessment, current),
            "can_edit": can_edit,
            "conflict": conflict,
            "error": error,
            "areas": edition.areas,
            "answer_choices": AnswerValue.choices,
            "previous_area": edition.area(number - 1) if number > 1 else None,
            "next_area": edition.area(number + 1) if number < len(edition.areas) else None,
        },
        status=status,
    )


def _respond_error(request, assessment, current, can_edit, message):
    if request.htmx:
        return render(request, "assessments/_save_status.html", {"error": message}, status=400)
    return _page(request, assessment, current, can_edit, error=message, status=400)
