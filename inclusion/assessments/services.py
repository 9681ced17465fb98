"""Self-assessment domain logic: starting, answering, notes, the compiled summary, rounds."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

import nh3
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from inclusion.core.tokens import hash_token, new_token
from inclusion.handbook.content import Area, ChecklistItem, Edition
from inclusion.handbook.models import HandbookItem
from inclusion.handbook.services import get_handbook
from inclusion.organisations.models import OrganisationKind

from .models import (
    COMMENT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    Answer,
    AnswerValue,
    AreaNote,
    Assessment,
)

# Kinds of organisation that the handbook's "does not apply to NGOs" footnote covers.
NGO_LIKE_KINDS = {OrganisationKind.NGO, OrganisationKind.REFUGEE_LED, OrganisationKind.FAITH}
POINTS = {AnswerValue.YES: Decimal(1), AnswerValue.PARTLY: Decimal("0.5"), AnswerValue.NO: Decimal(0)}
NOTE_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a"}


class AssessmentError(ValueError):
    """Input that cannot be saved; the message is for the user."""


def item_applies(item: ChecklistItem, organisation_kind: str) -> bool:
    """Whether a checklist item is shown to this kind of organisation (content-model.md)."""
    if item.applies_to == "authority":
        return organisation_kind == OrganisationKind.AUTHORITY
    if item.applies_to == "not_ngo":
        return organisation_kind not in NGO_LIKE_KINDS
    return True


def applicable_items(area: Area, organisation_kind: str) -> list[ChecklistItem]:
    return [item for item in area.checklist_items if item_applies(item, organisation_kind)]


def start_assessment(*, title: str, organisation_kind: str, organisation=None, user=None) -> tuple[Assessment, str]:
    """A new first-round assessment. Without an organisation it gets a private link token,
    returned once here and never stored in clear."""
    token = "" if organisation else new_token()
    assessment = Assessment.objects.create(
        title=title,
        organisation_kind=organisation_kind,
        organisation=organisation,
        private_token_hash=hash_token(token) if token else "",
        created_by=user if user and user.is_authenticated else None,
        content_version=get_handbook().version,
    )
    return assessment, token


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


def sanitise_note(text: str) -> str:
    """Light formatting survives; anything that could run (script, handlers, styles) does not."""
    return nh3.clean(text or "", tags=NOTE_TAGS, attributes={"a": {"href"}}, link_rel="noopener noreferrer").strip()


@dataclass(frozen=True)
class NoteSaved:
    note: AreaNote
    conflict: bool  # True when someone else saved first: ``note`` is theirs, nothing was written


def save_note(assessment: Assessment, area_id: str, text: str, base_version: int, user=None) -> NoteSaved:
    """Save a key area's notes if nobody saved since ``base_version``; otherwise report a conflict."""
    if area_id not in {f"a{n}" for n in range(1, 7)}:
        raise AssessmentError(_("“%(area)s” is not a key area.") % {"area": area_id})
    if len(text or "") > NOTE_MAX_LENGTH:
        raise AssessmentError(
            _("The notes are too long (%(length)s characters; at most %(limit)s).")
            % {"length": len(text), "limit": NOTE_MAX_LENGTH}
        )
    clean = sanitise_note(text)
    editor = user if user and user.is_authenticated else None
    with transaction.atomic():
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
    note = AreaNote.objects.get(assessment=assessment, area=area_id)
    return NoteSaved(note=note, conflict=not updated)


# The handbook's reading of a checklist (intro.checklists).
COMPREHENSIVE = "comprehensive"  # every applicable item met
IMPROVE = "improve"  # some items not met: improve the service or how it is delivered
RETHINK = "rethink"  # no item met, not even partly: rethink the services
NOT_STARTED = "not_started"


@dataclass
class ItemResult:
    item: ChecklistItem
    answer: Answer | None

    @property
    def value(self) -> str | None:
        return self.answer.value if self.answer else None

    @property
    def is_gap(self) -> bool:
        return self.value in (AnswerValue.NO, AnswerValue.PARTLY)


@dataclass
class AreaResult:
    area: Area
    items: list[ItemResult]
    note: AreaNote | None

    @cached_property
    def answered(self) -> list[ItemResult]:
        return [result for result in self.items if result.answer]

    @cached_property
    def counted(self) -> list[ItemResult]:
        """Answered items that count towards the score: not applicable is left out."""
        return [result for result in self.answered if result.value != AnswerValue.NOT_APPLICABLE]

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def is_complete(self) -> bool:
        return len(self.answered) == self.total

    @cached_property
    def score(self) -> int | None:
        """Yes 1, Partly ½, No 0, as a percentage of the counted items; None before any answer."""
        counted = self.counted
        if not counted:
            return None
        points = sum(POINTS[AnswerValue(result.value)] for result in counted)
        return int((points / len(counted) * 100).quantize(Decimal(1), rounding="ROUND_HALF_UP"))

    @cached_property
    def reading(self) -> str:
        counted = self.counted
        if not counted:
            return NOT_STARTED
        values = {result.value for result in counted}
        if values == {AnswerValue.YES}:
            return COMPREHENSIVE
        if values == {AnswerValue.NO}:
            return RETHINK
        return IMPROVE

    @cached_property
    def gaps(self) -> list[ItemResult]:
        return [result for result in self.items if result.is_gap]

    @cached_property
    def unanswered(self) -> list[ItemResult]:
        return [result for result in self.items if not result.answer]


@dataclass
class SummaryItemResult:
    id: str
    text: str
    areas: list[AreaResult]

    @property
    def reading(self) -> str:
        """A key action is in place when every area it comes from has a comprehensive approach."""
        readings = {area.reading for area in self.areas}
        if readings == {COMPREHENSIVE}:
            return COMPREHENSIVE
        if NOT_STARTED in readings:
            return NOT_STARTED
        return IMPROVE


@dataclass
class Summary:
    assessment: Assessment
    areas: list[AreaResult]
    key_actions: list[SummaryItemResult] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(len(area.answered) for area in self.areas)

    @property
    def total(self) -> int:
        return sum(area.total for area in self.areas)

    @property
    def progress(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def compile_summary(assessment: Assessment, edition: Edition) -> Summary:
    """Everything the summary shows, from three queries whatever the size of the data."""
    answers = {answer.item_id: answer for answer in assessment.answers.all()}
    notes = {note.area: note for note in assessment.notes.all()}
    areas = [
        AreaResult(
            area=area,
            items=[
                ItemResult(item, answers.get(item.id)) for item in applicable_items(area, assessment.organisation_kind)
            ],
            note=notes.get(area.id),
        )
        for area in edition.areas
    ]
    by_id = {result.area.id: result for result in areas}
    key_actions = [
        SummaryItemResult(item.id, item.text, [by_id[area_id] for area_id in item.areas])
        for item in edition.summary.items
    ]
    return Summary(assessment=assessment, areas=areas, key_actions=key_actions)


@transaction.atomic
def start_next_round(assessment: Assessment, user=None) -> Assessment:
    """A new round of the same self-assessment, starting from this round's answers and notes."""
    latest = Assessment.objects.filter(series=assessment.series).order_by("-round_number").first()
    new_round = Assessment.objects.create(
        title=assessment.title,
        organisation=assessment.organisation,
        private_token_hash=assessment.private_token_hash,
        organisation_kind=assessment.organisation_kind,
        series=assessment.series,
        round_number=latest.round_number + 1,
        previous=latest,
        created_by=user if user and user.is_authenticated else None,
        content_version=get_handbook().version,
    )
    live_items = set(
        HandbookItem.objects.filter(kind=HandbookItem.Kind.CHECKLIST_ITEM, retired_at__isnull=True).values_list(
            "key", flat=True
        )
    )
    Answer.objects.bulk_create(
        Answer(assessment=new_round, item_id=answer.item_id, value=answer.value, comment=answer.comment)
        for answer in latest.answers.all()
        if answer.item_id in live_items
    )
    AreaNote.objects.bulk_create(
        AreaNote(assessment=new_round, area=note.area, text=note.text, version=1) for note in latest.notes.all()
    )
    return new_round


@dataclass(frozen=True)
class ItemChange:
    item: ChecklistItem
    before: str | None
    after: str | None


@dataclass(frozen=True)
class AreaChange:
    area: Area
    before: int | None
    after: int | None
    changes: list[ItemChange]

    @property
    def delta(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def compare_rounds(earlier: Summary, later: Summary) -> list[AreaChange]:
    """Per key area: the score before and after, and the items whose answer changed."""
    result = []
    for before, after in zip(earlier.areas, later.areas, strict=True):
        old = {item.item.id: item.value for item in before.items}
        changes = [
            ItemChange(item.item, old.get(item.item.id), item.value)
            for item in after.items
            if old.get(item.item.id) != item.value
        ]
        result.append(AreaChange(after.area, before.score, after.score, changes))
    return result


def latest_rounds(organisation) -> list[Assessment]:
    """The latest round of each of an organisation's self-assessments, newest first (one query)."""
    latest: dict = {}
    for assessment in Assessment.objects.filter(organisation=organisation).order_by("series", "-round_number"):
        latest.setdefault(assessment.series, assessment)
    return sorted(latest.values(), key=lambda assessment: assessment.updated_at, reverse=True)
