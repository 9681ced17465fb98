"""Individual-then-consensus answering: in a round started in individual mode each member
first answers on their own (IndividualAnswer, private to them); when an owner opens the
consensus step everyone's answers are shown side by side per item, with their agreement or
spread, and an editor records the agreed answer (the round's normal Answer, saved through
``answers.set_answer`` so that concurrent saves are still caught). The summary reads the
agreed answers and can show how much the team disagreed per key area."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from inclusion.handbook.content import Area, ChecklistItem, Edition

from .answers import applicable_items, checked_answer
from .exceptions import AssessmentError, require_open
from .models import Answer, AnswerValue, Assessment, IndividualAnswer

# Answers in the order people read them: Yes, Partly, No, Not applicable.
VALUE_ORDER = {value: position for position, value in enumerate(AnswerValue.values)}


def person_name(user) -> str:
    if user is None:
        return _("Former member")
    return user.get_full_name() or user.email or user.get_username()


# A member's own answers ------------------------------------------------------------------


def own_answers(assessment: Assessment, user, item_ids=None) -> dict[str, IndividualAnswer]:
    """{item id: this member's own answer} (one query); empty for an anonymous visitor."""
    if not (user and user.is_authenticated):
        return {}
    answers = IndividualAnswer.objects.filter(assessment=assessment, member=user)
    if item_ids is not None:
        answers = answers.filter(item_id__in=list(item_ids))
    return {answer.item_id: answer for answer in answers}


def _require_collecting(assessment: Assessment, user) -> None:
    require_open(assessment)
    if not assessment.collects_individual_answers:
        raise AssessmentError(_("The consensus step is open: the answers are now agreed together."))
    if not (user and user.is_authenticated):
        raise AssessmentError(_("Sign in to give your own answers."))


@transaction.atomic
def set_individual_answer(
    assessment: Assessment, item_key: str, value: str, comment: str = "", user=None, base_version=None
) -> IndividualAnswer | None:
    """Store (or, with an empty ``value``, clear) this member's own answer to one item.
    Only they write it, so the last save wins; ``base_version`` is accepted for the same
    signature as ``answers.set_answer`` and not checked."""
    _require_collecting(assessment, user)
    if not value:
        IndividualAnswer.objects.filter(assessment=assessment, member=user, item_id=item_key).delete()
        return None
    item, comment = checked_answer(assessment, item_key, value, comment)
    current = IndividualAnswer.objects.select_for_update().filter(assessment=assessment, member=user, item=item).first()
    if current is None:
        try:
            with transaction.atomic():
                return IndividualAnswer.objects.create(
                    assessment=assessment, member=user, item=item, value=value, comment=comment
                )
        except IntegrityError:  # the same member's other tab, at the same moment
            current = IndividualAnswer.objects.get(assessment=assessment, member=user, item=item)
    current.value, current.comment, current.version = value, comment, current.version + 1
    current.save()
    return current


@dataclass(frozen=True)
class MemberProgress:
    name: str
    answered: int


def member_progress(assessment: Assessment) -> list[MemberProgress]:
    """For the owner before the consensus step: how many items each member has answered,
    never what. One query."""
    rows = (
        IndividualAnswer.objects.filter(assessment=assessment)
        .values("member_id", "member__first_name", "member__last_name", "member__email", "member__username")
        .annotate(answered=Count("id"))
        .order_by("member__first_name", "member__last_name", "member__email")
    )
    return [
        MemberProgress(
            name=f"{row['member__first_name']} {row['member__last_name']}".strip()
            or row["member__email"]
            or row["member__username"],
            answered=row["answered"],
        )
        for row in rows
    ]


def open_consensus(assessment: Assessment) -> bool:
    """Open the consensus step (owners only; checked by the view). Idempotent: a second
    click changes nothing and returns False."""
    opened = Assessment.objects.filter(
        pk=assessment.pk, answering_mode=assessment.answering_mode, consensus_opened_at__isnull=True
    ).update(consensus_opened_at=timezone.now())
    assessment.refresh_from_db(fields=["consensus_opened_at"])
    return bool(opened) and assessment.is_individual


# Agreement and spread ----------------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    """How a set of members answered one item: ``counts`` as (value, number) pairs, most
    frequent first (ties in Yes, Partly, No, Not applicable order)."""

    counts: tuple[tuple[str, int], ...]

    @classmethod
    def of(cls, values) -> Spread:
        counted = Counter(values)
        return cls(tuple(sorted(counted.items(), key=lambda pair: (-pair[1], VALUE_ORDER[pair[0]]))))

    @property
    def answered(self) -> int:
        return sum(number for _value, number in self.counts)

    @property
    def agree(self) -> bool:
        return len(self.counts) == 1

    @property
    def disagree(self) -> bool:
        return len(self.counts) > 1

    @property
    def majority(self) -> str | None:
        """The single most frequent answer, or None on a tie or without answers."""
        if not self.counts or (len(self.counts) > 1 and self.counts[0][1] == self.counts[1][1]):
            return None
        return self.counts[0][0]

    @property
    def label(self) -> str:
        """'all agree: Yes', 'split: 3 Yes, 2 Partly, 1 No', 'no answers yet'."""
        if not self.counts:
            return _("no answers yet")
        if self.agree:
            return _("all agree: %(answer)s") % {"answer": AnswerValue(self.counts[0][0]).label}
        parts = ", ".join(f"{number} {AnswerValue(value).label}" for value, number in self.counts)
        return _("split: %(counts)s") % {"counts": parts}


@dataclass(frozen=True)
class Cell:
    member_name: str
    answer: IndividualAnswer | None


@dataclass(frozen=True)
class ConsensusItem:
    item: ChecklistItem
    cells: list[Cell]
    spread: Spread
    agreed: Answer | None


@dataclass(frozen=True)
class ConsensusArea:
    area: Area
    members: list[str]
    items: list[ConsensusItem]

    @property
    def agreed(self) -> int:
        return sum(1 for item in self.items if item.agreed)

    @property
    def disagreed(self) -> int:
        return sum(1 for item in self.items if item.spread.disagree)


def members_who_answered(assessment: Assessment) -> list:
    """Everyone who gave individual answers in this round, by name. One query."""
    answered = IndividualAnswer.objects.filter(assessment=assessment).values("member_id")
    return sorted(get_user_model().objects.filter(pk__in=answered), key=_name_key)


def consensus_area(assessment: Assessment, area: Area) -> ConsensusArea:
    """Per applicable item of one key area: each member's answer side by side, their spread
    and the agreed answer so far. Three queries, however many members answered."""
    items = applicable_items(area, assessment.organisation_kind)
    item_ids = [item.id for item in items]
    individual = list(
        IndividualAnswer.objects.filter(assessment=assessment, item_id__in=item_ids).select_related("member")
    )
    # Columns: everyone who answered anything in the round, so that the table has the same
    # columns on every area page; read from this area's answers plus one query for the rest.
    members = members_who_answered(assessment)
    by_cell = {(answer.member_id, answer.item_id): answer for answer in individual}
    agreed = {answer.item_id: answer for answer in assessment.answers.filter(item_id__in=item_ids)}
    rows = []
    for item in items:
        cells = [Cell(person_name(member), by_cell.get((member.pk, item.id))) for member in members]
        spread = Spread.of(cell.answer.value for cell in cells if cell.answer)
        rows.append(ConsensusItem(item, cells, spread, agreed.get(item.id)))
    return ConsensusArea(area=area, members=[person_name(member) for member in members], items=rows)


@dataclass(frozen=True)
class AreaSpread:
    area: Area
    compared: int  # items that at least two members answered
    disagreed: int  # of those, items with different answers

    @property
    def share(self) -> int | None:
        """Percentage of the compared items on which members disagreed."""
        return round(100 * self.disagreed / self.compared) if self.compared else None


def area_spreads(assessment: Assessment, edition: Edition) -> list[AreaSpread]:
    """Per key area, how much the team disagreed in their individual answers: of the items
    answered by at least two members, how many got different answers. One query."""
    values: dict[str, list[str]] = {}
    for item_id, value in assessment.individual_answers.values_list("item_id", "value"):
        values.setdefault(item_id, []).append(value)
    result = []
    for area in edition.areas:
        spreads = [
            Spread.of(values[item.id])
            for item in applicable_items(area, assessment.organisation_kind)
            if len(values.get(item.id, ())) >= 2
        ]
        result.append(AreaSpread(area, len(spreads), sum(1 for spread in spreads if spread.disagree)))
    return result


def individual_answer_rows(assessment: Assessment, edition: Edition) -> list[list]:
    """Every member's individual answers, in handbook order then by name, for the owner's
    exports: [area number, item ID, item, member, answer, comment]. One query."""
    order = {
        item.id: (area.number, position) for area in edition.areas for position, item in enumerate(area.checklist_items)
    }
    answers = sorted(
        assessment.individual_answers.select_related("member"),
        key=lambda answer: (order.get(answer.item_id, (99, 0)), person_name(answer.member).lower()),
    )
    rows = []
    for answer in answers:
        entry = edition.entries.get(answer.item_id)
        rows.append(
            [
                order.get(answer.item_id, (None,))[0],
                answer.item_id,
                entry.label if entry else "",
                person_name(answer.member),
                str(AnswerValue(answer.value).label),
                answer.comment,
            ]
        )
    return rows


def individual_answer_header() -> list[str]:
    return [_("Key area"), _("Item ID"), _("Checklist item"), _("Member"), _("Answer"), _("Comment")]


def individual_columns(assessment: Assessment) -> tuple[list[str], dict[str, list[IndividualAnswer | None]]]:
    """(member names, {item id: each member's answer or None, in the names' order}) for the
    owner's CSV, where each member gets an answer and a comment column. One query."""
    answers = list(assessment.individual_answers.select_related("member"))
    members = sorted({answer.member_id: answer.member for answer in answers}.values(), key=_name_key)
    position = {member.pk: index for index, member in enumerate(members)}
    by_item: dict[str, list[IndividualAnswer | None]] = {}
    for answer in answers:
        by_item.setdefault(answer.item_id, [None] * len(members))[position[answer.member_id]] = answer
    return [person_name(member) for member in members], by_item


def _name_key(user) -> str:
    return person_name(user).lower()


def individual_answers_json(assessment: Assessment) -> list[dict]:
    """The owner's JSON export: every member's own answers, by item then name. One query."""
    answers = assessment.individual_answers.select_related("member").order_by("item_id")
    return [
        {
            "member": person_name(answer.member),
            "item": answer.item_id,
            "value": answer.value,
            "comment": answer.comment,
        }
        for answer in sorted(answers, key=lambda answer: (_item_sort(answer.item_id), _name_key(answer.member)))
    ]


def _item_sort(item_id: str) -> tuple:
    area, _sep, item = item_id.partition(".")
    return (area, int(item[1:]) if item[1:].isdigit() else 0, item_id)
