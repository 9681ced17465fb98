"""The action plan: steps a team decides on, usually made from a gap in the checklist."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from inclusion.handbook.content import FREE_ACTION_AREA, Edition

from .history import bump, record
from .models import UNFINISHED_STATUSES, Action, ActionEvent, ActionStatus, Assessment, HistoryKind

CHECKLIST_ITEM = "checklist_item"


def ordered_actions(assessment: Assessment) -> QuerySet[Action]:
    """The plan in the order it is worked through: by due date (undated last), then as added."""
    return assessment.actions.select_related("owner_user", "status_changed_by").order_by(
        F("due_date").asc(nulls_last=True), "created_at", "pk"
    )


def plan_rows(assessment: Assessment, edition: Edition) -> list[tuple[Action, str]]:
    """Each step with the label of the checklist item it comes from ("" for a free step)."""
    labels = {entry.id: entry.label for entry in edition.entries.values() if entry.kind == CHECKLIST_ITEM}
    return [(action, labels.get(action.item_id, "")) for action in ordered_actions(assessment)]


def _action_data(action: Action, **extra) -> dict:
    return {"action": action.pk, "description": action.description, "area": action.area, **extra}


@transaction.atomic
def add_gap_to_plan(assessment: Assessment, edition: Edition, item_id: str, user=None) -> Action | None:
    """A new step for a checklist item, worded as the item; None if there is no such item."""
    entry = edition.entries.get(item_id)
    if entry is None or entry.kind != CHECKLIST_ITEM:
        return None
    action = Action.objects.create(
        assessment=assessment,
        item_id=entry.id,
        area=entry.area,
        description=entry.label,
        planned_in_round=assessment.round_number,
    )
    record(assessment, HistoryKind.ACTION_ADDED, user, item_id=entry.id, data=_action_data(action))
    return action


@transaction.atomic
def save_action(assessment: Assessment, action: Action, user=None) -> Action:
    """Save a step edited in the form; a step without a key area is a free one. A new status
    is recorded with who changed it and when, in the step's history."""
    editor = user if user and user.is_authenticated else None
    previous_status = None
    if action.pk:
        previous_status = Action.objects.filter(pk=action.pk).values_list("status", flat=True).first()
    action.assessment = assessment
    action.area = action.area or FREE_ACTION_AREA
    if action.pk is None:
        action.planned_in_round = assessment.round_number
    if action.owner_user_id:
        action.owner = ""
    status_changed = action.status != previous_status
    if status_changed:
        action.status_changed_by = editor
        action.status_changed_at = timezone.now()
    action.save()
    if status_changed:
        ActionEvent.objects.create(
            action=action, status=action.status, round_number=assessment.round_number, changed_by=editor
        )
    data = _action_data(action, status=action.status, previous_status=previous_status, owner=action.owner_label)
    kind = HistoryKind.ACTION_ADDED if previous_status is None else HistoryKind.ACTION_CHANGED
    record(assessment, kind, user, item_id=action.item_id, data=data)
    return action


@transaction.atomic
def delete_action(assessment: Assessment, action: Action, user=None) -> None:
    """Remove a step from the plan, on record."""
    record(assessment, HistoryKind.ACTION_DELETED, user, item_id=action.item_id, data=_action_data(action))
    action.delete()


def possible_owners(assessment: Assessment, action: Action | None = None):
    """The people an action can be given to: the organisation's members (and whoever has the
    step now, even after leaving); None for a self-assessment without an organisation."""
    if assessment.organisation_id is None:
        return None
    members = Q(memberships__organisation_id=assessment.organisation_id)
    if action is not None and action.owner_user_id:
        members |= Q(pk=action.owner_user_id)
    return get_user_model().objects.filter(members).distinct().order_by("first_name", "last_name", "email")


def carry_forward(previous: Assessment, new_round: Assessment) -> int:
    """Move the unfinished steps (to do, in progress) of the previous round into the new one,
    with their history; done and dropped steps stay with the round in which they ended."""
    moved = previous.actions.filter(status__in=UNFINISHED_STATUSES).update(assessment=new_round)
    bump(previous, new_round)
    return moved


@dataclass
class AreaPlan:
    done: list[Action] = field(default_factory=list)
    still_open: list[Action] = field(default_factory=list)


def plan_by_area(actions) -> dict[str, AreaPlan]:
    """Per key area: the steps done in this round (that is, since the last round: done steps
    stay with their round) and those still open."""
    result: dict[str, AreaPlan] = defaultdict(AreaPlan)
    for action in actions:
        if action.status == ActionStatus.DONE:
            result[action.area].done.append(action)
        elif action.status in UNFINISHED_STATUSES:
            result[action.area].still_open.append(action)
    return dict(result)
