"""Answering the checklist: which items apply to an organisation, saving one item's answer,
and saving a whole key area's form (answers and notes) at once."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from inclusion.handbook.content import Area, ChecklistItem
from inclusion.handbook.models import HandbookItem
from inclusion.handbook.services import get_handbook
from inclusion.organisations.models import OrganisationKind

from .exceptions import AssessmentError, require_open
from .history import record
from .models import COMMENT_MAX_LENGTH, Answer, AnswerValue, AreaNote, Assessment, HistoryKind
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


def answered_in_area(assessment: Assessment, area: Area | None, member=None) -> tuple[int, int]:
    """(answered, total) of the items of a key area that apply to this assessment; with
    ``member``, counting that member's individual answers."""
    if area is None:
        return 0, 0
    items = [item.id for item in applicable_items(area, assessment.organisation_kind)]
    answers = assessment.individual_answers.filter(member=member) if member is not None else assessment.answers
    return answers.filter(item_id__in=items).count(), len(items)


def _checklist_item(item_key: str) -> HandbookItem:
    item = HandbookItem.objects.filter(key=item_key, kind=HandbookItem.Kind.CHECKLIST_ITEM).first()
    if item is None:
        raise AssessmentError(_("“%(item)s” is not a checklist item.") % {"item": item_key})
    if item.is_retired:
        raise AssessmentError(
            _("Checklist item “%(item)s” has been retired and can no longer be answered.") % {"item": item_key}
        )
    return item


class AnswerConflict(AssessmentError):
    """Someone saved this item after the version the save was based on; ``answer`` is theirs
    (None when they cleared it)."""

    def __init__(self, answer: Answer | None):
        self.answer = answer
        super().__init__(_("Someone else changed this answer while you were answering."))


def _current_answer(assessment: Assessment, item_key: str, base_version: int | None) -> Answer | None:
    """The stored answer, locked for this transaction; AnswerConflict if it is newer than
    ``base_version`` (0: the page showed no answer; None: no check, the last save wins)."""
    current = (
        Answer.objects.select_for_update(of=("self",))  # PostgreSQL locks no outer-joined row
        .select_related("updated_by")
        .filter(assessment=assessment, item_id=item_key)
        .first()
    )
    if base_version is not None and (current.version if current else 0) != base_version:
        raise AnswerConflict(current)
    return current


def checked_answer(assessment: Assessment, item_key: str, value: str, comment: str) -> tuple[HandbookItem, str]:
    """(the checklist item, the comment trimmed) for an answer that may be stored in this
    round, or AssessmentError saying what is wrong. Shared by agreed and individual answers."""
    require_open(assessment)
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
    return item, comment


@transaction.atomic
def save_answer(
    assessment: Assessment, item_key: str, value: str, comment: str = "", user=None, base_version: int | None = None
) -> Answer:
    """Store one item's answer. Each item is its own row, so concurrent editors of different
    items never overwrite each other; a save of the same item based on an older version than
    the stored one raises AnswerConflict (unless it says the same)."""
    item, comment = checked_answer(assessment, item_key, value, comment)
    editor = user if user and user.is_authenticated else None
    try:
        current = _current_answer(assessment, item_key, base_version)
    except AnswerConflict as conflict:
        if conflict.answer is None or (conflict.answer.value, conflict.answer.comment) != (value, comment):
            raise
        current = conflict.answer  # they said the same: nothing is lost
    before = (current.value, current.comment) if current is not None else None
    if current is None:
        try:
            with transaction.atomic():
                answer = Answer.objects.create(
                    assessment=assessment, item=item, value=value, comment=comment, updated_by=editor
                )
        except IntegrityError:
            # A colleague created it at the same moment.
            raise AnswerConflict(Answer.objects.filter(assessment=assessment, item=item).first()) from None
    else:
        answer = current
        answer.value, answer.comment, answer.updated_by = value, comment, editor
        answer.version = current.version + 1
        answer.save()
    if before is None:
        record(assessment, HistoryKind.ANSWERED, editor, item_id=item_key, data={"value": value, "comment": comment})
    elif before != (value, comment):
        record(
            assessment,
            HistoryKind.ANSWER_CHANGED,
            editor,
            item_id=item_key,
            data={"value": value, "comment": comment, "previous": before[0]},
        )
    return answer


@transaction.atomic
def clear_answer(assessment: Assessment, item_key: str, base_version: int | None = None, user=None) -> None:
    require_open(assessment)
    current = _current_answer(assessment, item_key, base_version)
    if current is not None:
        current.delete()
        record(assessment, HistoryKind.ANSWER_CLEARED, user, item_id=item_key, data={"previous": current.value})


def set_answer(
    assessment: Assessment, item_key: str, value: str, comment: str = "", user=None, base_version: int | None = None
) -> None:
    """Save the answer, or clear it when ``value`` is empty (the form's "no answer")."""
    if value:
        save_answer(assessment, item_key, value, comment, user, base_version)
    else:
        clear_answer(assessment, item_key, base_version, user)


@dataclass(frozen=True)
class AreaSaved:
    errors: list[str]  # answers that could not be saved, for the user
    conflict: AreaNote | None  # someone else's newer notes, when they differ from ours
    answer_conflicts: dict  # item id -> someone else's newer answer (None: they cleared it)


def save_area(
    assessment: Assessment, area_id: str, answers, note_text: str, note_version: int, user=None, set_one=None
) -> AreaSaved:
    """Save a key area's form in one transaction: each changed answer (``answers`` yields
    (item, value, comment, base version)), then the notes if nobody saved newer ones.
    ``set_one`` stores one answer (default ``set_answer``; in individual mode the member's own).

    Answers that cannot be saved, or that someone else changed meanwhile, are reported, not
    raised, so the rest still saves. A note conflict is reported only when the other version
    differs from the text sent.
    """
    set_one = set_one or set_answer
    errors, answer_conflicts = [], {}
    with transaction.atomic():
        for item_id, value, comment, base_version in answers:
            try:
                with transaction.atomic():
                    set_one(assessment, item_id, value, comment, user, base_version)
            except AnswerConflict as conflict:
                answer_conflicts[item_id] = conflict.answer
            except AssessmentError as error:
                errors.append(str(error))
        saved = save_note(assessment, area_id, note_text, note_version, user)
    conflict = saved.note if saved.conflict and sanitise_note(note_text) != saved.note.text else None
    return AreaSaved(errors=errors, conflict=conflict, answer_conflicts=answer_conflicts)
