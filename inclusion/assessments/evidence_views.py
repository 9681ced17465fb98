"""Evidence per checklist item: the item's evidence page (the form without JavaScript),
adding (htmx answers the item's evidence block), removing, and downloading a file."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from inclusion.core.downloads import file_download
from inclusion.handbook.models import HandbookItem
from inclusion.handbook.services import get_handbook

from .access import require_edit, with_assessment
from .answers import item_applies
from .evidence import (
    add_evidence,
    earlier_evidence_by_item,
    evidence_by_item,
    keep_evidence,
    open_file,
    remove_evidence,
)
from .exceptions import AssessmentError
from .forms import EvidenceForm
from .models import Evidence


def area_evidence_context(assessment, items, can_edit: bool) -> dict:
    """What the area page needs to show each item's evidence, and to an editor the previous
    round's that this one may keep: two queries for the area."""
    item_ids = [item.id for item in items]
    return {
        "evidence_by_item": evidence_by_item(assessment, item_ids),
        "earlier_by_item": _earlier_by_item(assessment, can_edit, item_ids),
        "evidence_form": EvidenceForm(),
        "max_upload": settings.EVIDENCE_MAX_UPLOAD_BYTES,
    }


def _earlier_by_item(assessment, can_edit: bool, item_ids) -> dict:
    """The previous round's evidence that this round may keep, for an editor of an open later
    round; nothing (and no query) for anyone else."""
    if not can_edit or assessment.previous_id is None or assessment.is_read_only:
        return {}
    return earlier_evidence_by_item(assessment, item_ids)


def _checklist_entry(assessment, item_id: str):
    """The checklist item (its database row and its content), or 404 (also for an item that
    does not apply to this kind of organisation)."""
    entry = get_handbook().edition(get_language()).entries.get(item_id)
    if entry is None or entry.kind != "checklist_item" or not item_applies(entry.node, assessment.organisation_kind):
        raise Http404("No such checklist item")
    item = get_object_or_404(HandbookItem, key=item_id, kind=HandbookItem.Kind.CHECKLIST_ITEM)
    return item, entry


def _area_url(assessment, item_id: str) -> str:
    number = int(item_id.split(".", 1)[0][1:])
    return reverse("assessments:area", args=[assessment.public_id, number]) + f"#{item_id}"


def _item_context(assessment, can_edit, item_id: str, form=None) -> dict:
    """What one item's evidence block shows (_evidence.html), on its own page or swapped in."""
    return {
        "assessment": assessment,
        "can_edit": can_edit,
        "item_id": item_id,
        "evidence": evidence_by_item(assessment, [item_id]).get(item_id, []),
        "earlier": _earlier_by_item(assessment, can_edit, [item_id]).get(item_id, []),
        "evidence_form": form or EvidenceForm(),
        "max_upload": settings.EVIDENCE_MAX_UPLOAD_BYTES,
    }


def _block(request, assessment, can_edit, item_id: str, form=None, status=200):
    """The item's evidence block, as the area page shows it (htmx swaps it in)."""
    context = _item_context(assessment, can_edit, item_id, form)
    return render(request, "assessments/_evidence.html", context, status=status)


@with_assessment
def evidence(request, assessment, can_edit, item_id):
    item, entry = _checklist_entry(assessment, item_id)
    form = EvidenceForm()
    status = 200
    if request.method == "POST":
        require_edit(can_edit, assessment)
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                add_evidence(
                    assessment,
                    item,
                    url=form.cleaned_data["url"],
                    text=form.cleaned_data["text"],
                    upload=form.cleaned_data["file"],
                    kind=form.kind,
                    user=request.user,
                )
            except AssessmentError as error:
                form.add_error(None, str(error))
            else:
                if request.htmx:
                    return _block(request, assessment, can_edit, item_id)
                messages.success(request, _("The evidence was added."))
                return redirect(_area_url(assessment, item_id))
        status = 400
        if request.htmx:
            # What was typed stays; the message says what to change.
            return _block(request, assessment, can_edit, item_id, form=form, status=400)
    context = {
        **_item_context(assessment, can_edit, item_id, form),
        "entry": entry,
        "area_url": _area_url(assessment, item_id),
    }
    return render(request, "assessments/evidence.html", context, status=status)


@with_assessment
@require_POST
def evidence_keep(request, assessment, can_edit, earlier_id):
    """An editor keeps a piece of the previous round's evidence (``earlier_id``) for this round."""
    require_edit(can_edit, assessment)
    if assessment.previous_id is None:
        raise Http404("A first round has no earlier evidence")
    earlier = get_object_or_404(
        Evidence.objects.select_related("assessment"), pk=earlier_id, assessment_id=assessment.previous_id
    )
    try:
        keep_evidence(assessment, earlier, request.user)
    except AssessmentError as error:
        messages.error(request, str(error))
    else:
        if not request.htmx:
            messages.success(request, _("The evidence is kept for this round."))
    if request.htmx:
        return _block(request, assessment, can_edit, earlier.item_id)
    return redirect(_area_url(assessment, earlier.item_id))


@with_assessment
@require_POST
def evidence_delete(request, assessment, can_edit, evidence_id):
    require_edit(can_edit, assessment)
    item = get_object_or_404(Evidence, pk=evidence_id, assessment=assessment)
    item_id = item.item_id
    try:
        remove_evidence(item, request.user)
    except AssessmentError as error:
        messages.error(request, str(error))
    if request.htmx:
        return _block(request, assessment, can_edit, item_id)
    messages.success(request, _("The evidence was removed."))
    return redirect(_area_url(assessment, item_id))


@with_assessment
@require_GET
def evidence_file(request, assessment, can_edit, evidence_id):
    """A member downloads an attached file: always as a download, with the type we checked."""
    item = get_object_or_404(Evidence, pk=evidence_id, assessment=assessment)
    if not item.stored_name:
        raise Http404("This evidence has no file")
    try:
        file = open_file(item)
    except FileNotFoundError:
        raise Http404("The file is gone") from None
    return file_download(file, item.file_name, item.content_type)
