"""A self-assessment's series of rounds: starting the first, starting the next from the
previous answers, comparing two rounds, moving a series into an organisation, and an
organisation's latest rounds."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F

from inclusion.core.tokens import hash_token, new_token
from inclusion.handbook.content import Area, ChecklistItem
from inclusion.handbook.models import HandbookItem
from inclusion.handbook.services import get_handbook

from .actions import carry_forward
from .history import bump, record
from .models import Answer, AnsweringMode, AreaNote, Assessment, HistoryKind
from .summary import CompiledSummary


def start_assessment(
    *,
    title: str,
    organisation_kind: str,
    organisation=None,
    user=None,
    next_round_months: int = 0,
    answering_mode: str = AnsweringMode.TOGETHER,
) -> tuple[Assessment, str]:
    """A new first-round assessment. Without an organisation it gets a private link token,
    returned once here and never stored in clear. Only an organisation's assessment can be
    answered individually first (the owner's choice, checked by the form)."""
    token = "" if organisation else new_token()
    assessment = Assessment.objects.create(
        title=title,
        organisation_kind=organisation_kind,
        organisation=organisation,
        private_token_hash=hash_token(token) if token else "",
        created_by=user if user and user.is_authenticated else None,
        content_version=get_handbook().version,
        next_round_months=next_round_months if organisation else 0,
        answering_mode=answering_mode if organisation else AnsweringMode.TOGETHER,
    )
    record(assessment, HistoryKind.ROUND_STARTED, user)
    return assessment, token


def next_round_of(assessment: Assessment) -> Assessment | None:
    return Assessment.objects.filter(previous=assessment).first()


def start_next_round(
    assessment: Assessment,
    user=None,
    next_round_months: int | None = None,
    answering_mode: str = AnsweringMode.TOGETHER,
) -> Assessment:
    """The round after this one: a new round of the same self-assessment, starting from this
    round's answers and notes and carrying its unfinished actions forward; this round closes.
    In individual mode (an organisation's round only) the answers are not copied: each member
    answers afresh on their own, and the agreed answers are recorded in the consensus step.

    A round has at most one next round: if this one already has it (a Back button, a second
    click, a colleague faster), that round is returned and nothing is created.
    """
    existing = next_round_of(assessment)
    if existing is not None:
        return existing
    try:
        return _create_next_round(assessment, user, next_round_months, answering_mode)
    except IntegrityError:
        # Two submissions at once: the other one created it (``previous`` is unique).
        existing = next_round_of(assessment)
        if existing is None:
            raise
        return existing


@transaction.atomic
def _create_next_round(
    assessment: Assessment,
    user=None,
    next_round_months: int | None = None,
    answering_mode: str = AnsweringMode.TOGETHER,
) -> Assessment:
    if not assessment.organisation_id:
        answering_mode = AnsweringMode.TOGETHER
    latest = Assessment.objects.filter(series=assessment.series).order_by("-round_number").first()
    new_round = Assessment.objects.create(
        title=assessment.title,
        organisation=assessment.organisation,
        private_token_hash=assessment.private_token_hash,
        organisation_kind=assessment.organisation_kind,
        series=assessment.series,
        round_number=latest.round_number + 1,
        previous=assessment,
        created_by=user if user and user.is_authenticated else None,
        content_version=get_handbook().version,
        # The rhythm chosen when starting the round; unchosen, the previous round's.
        next_round_months=assessment.next_round_months if next_round_months is None else next_round_months,
        answering_mode=answering_mode,
    )
    live_items = set(
        HandbookItem.objects.filter(kind=HandbookItem.Kind.CHECKLIST_ITEM, retired_at__isnull=True).values_list(
            "key", flat=True
        )
    )
    if answering_mode == AnsweringMode.TOGETHER:
        Answer.objects.bulk_create(
            Answer(assessment=new_round, item_id=answer.item_id, value=answer.value, comment=answer.comment)
            for answer in assessment.answers.all()
            if answer.item_id in live_items
        )
    AreaNote.objects.bulk_create(
        AreaNote(assessment=new_round, area=note.area, text=note.text, version=1) for note in assessment.notes.all()
    )
    carry_forward(assessment, new_round)
    Assessment.objects.filter(pk=assessment.pk).update(closed=True)
    assessment.closed = True
    bump(assessment)
    record(new_round, HistoryKind.ROUND_STARTED, user, data={"from_round": assessment.round_number})
    return new_round


@transaction.atomic
def reopen_round(assessment: Assessment, user=None) -> None:
    """An owner's explicit choice: the round can be changed again (also after a sign-off)."""
    Assessment.objects.filter(pk=assessment.pk).update(
        closed=False, signed_off_on=None, signed_off_name="", signed_off_by=None
    )
    record(assessment, HistoryKind.ROUND_REOPENED, user)


@transaction.atomic
def sign_off_round(assessment: Assessment, name: str, on, user=None) -> None:
    """Mark the round final, with a date and a name; it becomes read-only."""
    assessment.signed_off_on, assessment.signed_off_name = on, name
    assessment.signed_off_by = user if user and user.is_authenticated else None
    assessment.save(update_fields=["signed_off_on", "signed_off_name", "signed_off_by", "updated_at"])
    record(assessment, HistoryKind.ROUND_SIGNED_OFF, user, data={"name": name, "on": on.isoformat() if on else None})


def round_contents(assessment: Assessment) -> dict[str, int]:
    """What deleting the round loses, for the confirmation page."""
    return {
        "answers": assessment.answers.count(),
        "individual_answers": assessment.individual_answers.count(),
        "notes": assessment.notes.exclude(text="").count(),
        "actions": assessment.actions.filter(planned_in_round=assessment.round_number).count(),
        "share_links": assessment.share_links.filter(revoked_at__isnull=True).count(),
        "evidence": assessment.evidence.count(),
    }


@transaction.atomic
def delete_round(assessment: Assessment, user=None) -> Assessment | None:
    """Delete one round with its answers, notes, its own actions and share links. Unfinished
    actions carried in from earlier rounds go back to the previous round; the rounds around it
    are linked to each other; when the latest round goes, the one before it opens again.
    Returns the round to show next (None if it was the only one)."""
    previous, following = assessment.previous, next_round_of(assessment)
    # On record in the series (the event outlives the round: its link to it is cleared).
    record(assessment, HistoryKind.ROUND_DELETED, user)
    if previous is not None:
        assessment.actions.filter(planned_in_round__lt=assessment.round_number).update(assessment=previous)
    assessment.delete()
    bump(previous, following)
    if following is not None:
        Assessment.objects.filter(pk=following.pk).update(previous=previous)
        return following
    if previous is not None:
        Assessment.objects.filter(pk=previous.pk).update(closed=False)
    return previous


def move_to_organisation(assessment: Assessment, organisation) -> None:
    """Give a private-link self-assessment (every round) to an organisation; the private link
    stops opening it."""
    Assessment.objects.filter(series=assessment.series).update(
        organisation=organisation, private_token_hash="", revision=F("revision") + 1
    )


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


def compare_rounds(earlier: CompiledSummary, later: CompiledSummary) -> list[AreaChange]:
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
