"""A key area's free notes: sanitised HTML, saved with a version so that nobody silently
overwrites a colleague's newer text."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from inclusion.core.markdown import TEXT_TAGS, sanitise
from inclusion.handbook.content import AREA_IDS

from .exceptions import AssessmentError, require_open
from .history import record
from .models import NOTE_MAX_LENGTH, AreaNote, Assessment, HistoryKind

NOTE_TAGS = TEXT_TAGS


def sanitise_note(text: str) -> str:
    """Light formatting survives; anything that could run (script, handlers, styles) does not."""
    return sanitise(text, NOTE_TAGS).strip()


@dataclass(frozen=True)
class NoteSaved:
    note: AreaNote
    conflict: bool  # True when someone else saved first: ``note`` is theirs, nothing was written


def save_note(assessment: Assessment, area_id: str, text: str, base_version: int, user=None) -> NoteSaved:
    """Save a key area's notes if nobody saved since ``base_version``; otherwise report a conflict."""
    require_open(assessment)
    if area_id not in AREA_IDS:
        raise AssessmentError(_("“%(area)s” is not a key area.") % {"area": area_id})
    if len(text or "") > NOTE_MAX_LENGTH:
        raise AssessmentError(
            _("The notes are too long (%(length)s characters; at most %(limit)s).")
            % {"length": len(text), "limit": NOTE_MAX_LENGTH}
        )
    clean = sanitise_note(text)
    editor = user if user and user.is_authenticated else None
    with transaction.atomic():
        previous = (
            AreaNote.objects.filter(assessment=assessment, area=area_id, version=base_version)
            .values_list("text", flat=True)
            .first()
        )
        updated = AreaNote.objects.filter(assessment=assessment, area=area_id, version=base_version).update(
            text=clean, version=F("version") + 1, updated_by=editor
        )
        if not updated and base_version == 0:
            try:
                with transaction.atomic():
                    AreaNote.objects.create(
                        assessment=assessment, area=area_id, text=clean, version=1, updated_by=editor
                    )
                updated = 1
            except IntegrityError:
                updated = 0
        if updated and clean != (previous or ""):
            record(assessment, HistoryKind.NOTE_SAVED, editor, data={"area": area_id})
    note = AreaNote.objects.filter(assessment=assessment, area=area_id).first()
    if note is None:
        # Saved on a version that never existed (a stale or forged form): a conflict with
        # the empty note, which the person can save again on version 0.
        note = AreaNote(assessment=assessment, area=area_id, text="", version=0)
    return NoteSaved(note=note, conflict=not updated)
