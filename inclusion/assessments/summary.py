"""The compiled summary of a self-assessment: each key area's score and reading, its gaps,
the 13 key actions, and what every rendering of it (page, shared page, PDF) needs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.utils.translation import gettext as _

from inclusion.core.charts import Bar, horizontal_bars
from inclusion.handbook.content import Area, ChecklistItem, Edition

from .answers import applicable_items
from .models import Answer, AnswerValue, AreaNote, Assessment

POINTS = {AnswerValue.YES: Decimal(1), AnswerValue.PARTLY: Decimal("0.5"), AnswerValue.NO: Decimal(0)}

# The handbook's reading of a checklist (intro.checklists).
COMPREHENSIVE = "comprehensive"  # every applicable item met
IMPROVE = "improve"  # some items not met: improve the service or how it is delivered
RETHINK = "rethink"  # no item met, not even partly: rethink the services
NOT_STARTED = "not_started"

# The key area whose checklist asks for refugees' feedback (items 9, 10, 11, 13 and 14):
# the summary shows the organisation's survey activity there.
FEEDBACK_ACTIVITY_AREA = "a4"


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

    @property
    def falls_short(self) -> bool:
        """Improve or rethink: an area nobody has answered yet has not fallen short of anything."""
        return self.reading in (IMPROVE, RETHINK)

    @cached_property
    def gaps(self) -> list[ItemResult]:
        return [result for result in self.items if result.is_gap]

    @cached_property
    def unanswered(self) -> list[ItemResult]:
        return [result for result in self.items if not result.answer]


@dataclass
class KeyActionResult:
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
class CompiledSummary:
    """An assessment's answers read against one edition of the handbook: named apart from
    the handbook's own summary checklist (content), which it reads the 13 key actions from."""

    assessment: Assessment
    areas: list[AreaResult]
    key_actions: list[KeyActionResult] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(len(area.answered) for area in self.areas)

    @property
    def total(self) -> int:
        return sum(area.total for area in self.areas)

    @property
    def progress(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def shortfalls(self) -> dict[str, list[str]]:
        """{area ID: [IDs of its gap items]} for each key area that falls short, in handbook
        order: what other apps (practice suggestions) need, without our reading rules."""
        return {result.area.id: [gap.item.id for gap in result.gaps] for result in self.areas if result.falls_short}


def compile_summary(assessment: Assessment, edition: Edition, answers: dict | None = None) -> CompiledSummary:
    """Everything the summary shows, from three queries whatever the size of the data.
    ``answers`` ({item id: answer}): read these instead of the round's agreed answers (a
    member's own answers in individual mode)."""
    if answers is None:
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
        KeyActionResult(item.id, item.text, [by_id[area_id] for area_id in item.areas])
        for item in edition.summary.items
    ]
    return CompiledSummary(assessment=assessment, areas=areas, key_actions=key_actions)


def summary_context(assessment: Assessment, summary: CompiledSummary) -> dict:
    """What every rendering of a summary needs: the page, the shared view and the PDF."""
    chart = horizontal_bars(
        [Bar(f"{result.area.number}. {result.area.title}", result.score) for result in summary.areas],
        title=_("Score per key area"),
        description=_("Yes counts 1, Partly ½, No 0; not applicable items are left out."),
        empty_label=_("not answered"),
    )
    return {"assessment": assessment, "summary": summary, "chart": chart}


def feedback_by_area(feedback, areas: list[Area]) -> dict[str, dict]:
    """Per key area, what refugees said (``feedback``: the organisation's feedback from the
    feedback app, or None): the questions on that area and, in the area that asks for
    feedback, the survey activity. Empty without feedback."""
    if feedback is None:
        return {}
    return {
        area.id: {
            "questions": feedback.by_area.get(area.id, []),
            "activity": feedback.activity if area.id == FEEDBACK_ACTIVITY_AREA else None,
        }
        for area in areas
    }


# The summary page's rendered body, cached per round under its revision (which every change
# to the round bumps: assessments.history.bump), so a change shows at once. Refugees' feedback
# is part of the key; the practices suggested for the round's gaps are at most this old.
SUMMARY_CACHE_SECONDS = 60


def summary_cache_key(assessment: Assessment, language: str, content_version: str, variant: str) -> str:
    """``variant``: what else the body depends on (e.g. whether the reader may add to the plan)."""
    return f"assessments:summary:{assessment.pk}:{assessment.revision}:{language}:{content_version}:{variant}"


def fingerprint(feedback, suggestions: dict[str, list]) -> str:
    """A short digest of what other apps add to the summary (refugees' feedback, suggested
    practices): part of the cache key, so that a change there shows at once."""
    practices = [
        (area, practice.pk, repr(practice.title), practice.success_factor, getattr(practice, "is_for_gap", False))
        for area, listed in sorted(suggestions.items())
        for practice in listed
    ]
    return hashlib.sha256(repr((feedback, practices)).encode()).hexdigest()[:20]
