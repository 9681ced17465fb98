"""Answering the checklist: which items apply to an organisation, saving one item's answer,
and saving a whole key area's form (answers and notes) at once."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from inclusion.handbook.content import Area, ChecklistItem
from inclusion.handbook.models import HandbookItem
from inclusion.handbook.services import get_handbook
from inclusion.organisations.models import OrganisationKind

from .exceptions import AssessmentError
from .models import COMMENT_MAX_LENGTH, Answer, AnswerValue, AreaNote, Assessment
from .notes import sanitise_note, save_note

# Kinds of organisation that the handbook's "does not apply to NGOs" footnote covers.
NGO_LIKE_KINDS = {OrganisationKind.NGO, OrganisationKind.REFUGEE_LED, OrganisationKind.FAITH}


def item_applies(item: ChecklistItem, organisation_kind: str) -> bool:
    """Whether a checklist item is shown to this kind of organisation (content-model.md)."""
    if item.applies_to == "authority":
        return organisation_kind == OrganisationKind.AUTHORITY
    if item.applies_to == "not_ngo":
        return organisation_kind not in NGO_LIKE_KINDS
    return True


def applicable_items(area: Area, organisation_kind: str) -> list[ChecklistItem]:
    return [item for item in area.checklist_items if item_applies(item, organisation_kind)]


def _checklist_item(item_key: str) -> HandbookItem:
    item = HandbookItem.objects.filter(key=item_key, kind=HandbookItem.Kind.CHECKLIST_ITEM).first()
    if item is None:
        raise AssessmentError(_("“%(item)s” is not a checklist item.") % {"item": item_key})
    if item.is_retired:
        raise AssessmentError(
            _("Checklist item “%(item)s” has been retired and can no longer be answered.") % {"item": item_key}
        )
    return item


def save_answer(assessment: Assessment, item_key: str, value: str, comment: str = "", user=None) -> Answer:
    """Store one item's answer. Each item is its own row, so concurrent editors of different
    items never overwrite each other; the last save of the same item wins."""
    if value not in AnswerValue.values:
        raise AssessmentError(_("“%(value)s” is not a valid answer.") % {"value": value})
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise AssessmentError(
            _("The comment is too long (%(length)s characters; at most %(limit)s).")
            % {"length": len(comment), "limit": COMMENT_MAX_LENGTH}
        )
    item = _checklist_item(item_key)
    edition = get_handbook().reference_edition
    content_item = edition.entries[item_key].node if item_key in edition.entries else None
    if content_item is not None and not item_applies(content_item, assessment.organisation_kind):
        raise AssessmentError(
            _("Checklist item “%(item)s” does not apply to this kind of organisation.") % {"item": item_key}
        )
    editor = user if user and user.is_authenticated else None
    answer, _created = Answer.objects.update_or_create(
        assessment=assessment, item=item, defaults={"value": value, "comment": comment, "updated_by": editor}
    )
    Assessment.objects.filter(pk=assessment.pk).update(updated_at=answer.updated_at)
    return answer


def clear_answer(assessment: Assessment, item_key: str) -> None:
    Answer.objects.filter(assessment=assessment, item_id=item_key).delete()


def set_answer(assessment: Assessment, item_key: str, value: str, comment: str = "", user=None) -> None:
    """Save the answer, or clear it when ``value`` is empty (the form's "no answer")."""
    if value:
        save_answer(assessment, item_key, value, comment, user)
    else:
        clear_answer(assessment, item_key)


@dataclass(frozen=True)
class AreaSaved:
    errors: list[str]  # answers that could not be saved, for the user
    conflict: AreaNote | None  # someone else's newer notes, when they differ from ours


def save_area(assessment: Assessment, area_id: str, answers, note_text: str, note_version: int, user=None) -> AreaSaved:
    """Save a key area's form in one transaction: each changed answer (``answers`` yields
    (item, value, comment)), then the notes if nobody saved newer ones in the meantime.

    Answers that cannot be saved are reported, not raised, so the rest still saves. A note
    conflict is reported only when the other version differs from the text sent.
    """
    errors = []
    with transaction.atomic():
        for item_id, value, comment in answers:
            try:
                set_answer(assessment, item_id, value, comment, user)
            except AssessmentError as error:
                errors.append(str(error))
        saved = save_note(assessment, area_id, note_text, note_version, user)
    conflict = saved.note if saved.conflict and sanitise_note(note_text) != saved.note.text else None
    return AreaSaved(errors=errors, conflict=conflict)
