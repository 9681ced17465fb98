"""The action plan: steps a team decides on, usually made from a gap in the checklist."""

from __future__ import annotations

from django.db.models import F, QuerySet

from inclusion.handbook.content import FREE_ACTION_AREA, Edition

from .models import Action, Assessment

CHECKLIST_ITEM = "checklist_item"


def ordered_actions(assessment: Assessment) -> QuerySet[Action]:
    """The plan in the order it is worked through: by due date (undated last), then as added."""
    return assessment.actions.order_by(F("due_date").asc(nulls_last=True), "created_at", "pk")


def plan_rows(assessment: Assessment, edition: Edition) -> list[tuple[Action, str]]:
    """Each step with the label of the checklist item it comes from ("" for a free step)."""
    labels = {entry.id: entry.label for entry in edition.entries.values() if entry.kind == CHECKLIST_ITEM}
    return [(action, labels.get(action.item_id, "")) for action in assessment.actions.all()]


def add_gap_to_plan(assessment: Assessment, edition: Edition, item_id: str) -> Action | None:
    """A new step for a checklist item, worded as the item; None if there is no such item."""
    entry = edition.entries.get(item_id)
    if entry is None or entry.kind != CHECKLIST_ITEM:
        return None
    return Action.objects.create(assessment=assessment, item_id=entry.id, area=entry.area, description=entry.label)


def save_action(assessment: Assessment, action: Action) -> Action:
    """Save a step edited in the form; a step without a key area is a free one."""
    action.assessment = assessment
    action.area = action.area or FREE_ACTION_AREA
    action.save()
    return action
