"""Every change on record: a history per self-assessment (all its rounds) and per item.

``record`` is the one way to put a change on record; every place that changes a round calls
it (answers, notes, rounds, actions, and later consensus and evidence). Recording a change
also bumps the round's ``revision``, which is what the cached summary is keyed on, so a
change shows at once.

The history is read in the reader's language: events store what happened (kinds, values,
item IDs), and ``history_rows`` words them with gettext at reading time. The person who made
a change is kept as a link (cleared when the account is deleted) and as the name they had;
someone who is no longer a member of the organisation is shown as a former member.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from inclusion.handbook.content import AREA_IDS, Edition

from .models import ActionStatus, AnswerValue, Assessment, HistoryEvent, HistoryKind

ITEM_TEXT_LENGTH = 90


def display_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email or user.get_username()


def bump(*assessments: Assessment) -> None:
    """The rounds changed: their cached summaries are out of date (one query)."""
    pks = [assessment.pk for assessment in assessments if assessment is not None and assessment.pk]
    if pks:
        Assessment.objects.filter(pk__in=pks).update(revision=F("revision") + 1, updated_at=timezone.now())


def record(
    assessment: Assessment,
    kind: str,
    actor=None,
    round: int | None = None,
    item_id: str | None = None,
    data: dict | None = None,
) -> HistoryEvent:
    """Put one change on record: ``assessment`` is the round it was made in, ``kind`` one of
    ``HistoryKind``, ``actor`` the user (None or anonymous: a private-link holder), ``round``
    the round number when it is not the assessment's own, ``item_id`` the checklist item it
    is about, ``data`` what the description needs (JSON-serialisable: values, not objects).
    Bumps the round's revision."""
    user = actor if actor is not None and actor.is_authenticated else None
    data = dict(data or {})
    area = data.pop("area", "") or (item_id.split(".")[0] if item_id else "")
    event = HistoryEvent.objects.create(
        series=assessment.series,
        assessment=assessment if assessment.pk else None,
        round_number=round or assessment.round_number,
        kind=kind,
        item_id=item_id or "",
        area=area if area in AREA_IDS else "",
        actor=user,
        actor_name=display_name(user),
        data=data,
        at=timezone.now(),
    )
    bump(assessment)
    return event


# Reading -----------------------------------------------------------------------------------


def events_for(assessment: Assessment, *, item_id: str = "", area: str = "") -> QuerySet[HistoryEvent]:
    """The history of the assessment's whole series, newest first; of one item or key area."""
    events = HistoryEvent.objects.filter(series=assessment.series).select_related("actor")
    if item_id:
        events = events.filter(item_id=item_id)
    elif area:
        events = events.filter(area=area)
    return events.order_by("-at", "-pk")


def member_ids(assessment: Assessment) -> set[int] | None:
    """The organisation's members now (one query); None for a private-link assessment."""
    if assessment.organisation_id is None:
        return None
    return set(assessment.organisation.memberships.values_list("user_id", flat=True))


@dataclass(frozen=True)
class HistoryRow:
    event: HistoryEvent
    at: datetime.datetime
    who: str
    former_member: bool
    round_number: int
    description: str
    item_id: str
    item_text: str


def _answer_label(value) -> str:
    return str(AnswerValue(value).label) if value in AnswerValue.values else str(value or "—")


def _status_label(value) -> str:
    return str(ActionStatus(value).label) if value in ActionStatus.values else str(value or "—")


def item_number(item_id: str, edition: Edition) -> str:
    """“1.3” for a1.c3: how the handbook numbers the item (no internal IDs on pages)."""
    entry = edition.entries.get(item_id)
    if entry is None or not entry.area:
        return item_id
    return f"{entry.area[1:]}.{entry.node.number}"


def describe(event: HistoryEvent, edition: Edition) -> str:
    """What happened, in the active language."""
    data, kind = event.data or {}, event.kind
    values = {
        "number": event.round_number,
        "item": item_number(event.item_id, edition) if event.item_id else "",
        "answer": _answer_label(data.get("value")),
        "before": _answer_label(data.get("previous")),
        "area": event.area[1:] if event.area else "",
        "action": Truncator(data.get("description", "")).chars(ITEM_TEXT_LENGTH),
        "status": _status_label(data.get("status")),
        "previous_status": _status_label(data.get("previous_status")),
    }
    if kind == HistoryKind.ANSWERED:
        return _("answered item %(item)s: “%(answer)s”") % values
    if kind == HistoryKind.ANSWER_CHANGED:
        if data.get("previous") == data.get("value"):
            return _("changed the comment on item %(item)s (answer “%(answer)s”)") % values
        return _("changed the answer to item %(item)s from “%(before)s” to “%(answer)s”") % values
    if kind == HistoryKind.ANSWER_CLEARED:
        return _("removed the answer to item %(item)s (it was “%(before)s”)") % values
    if kind == HistoryKind.NOTE_SAVED:
        return _("changed the notes on key area %(area)s") % values
    if kind == HistoryKind.ROUND_STARTED:
        if data.get("from_round"):
            return _("started round %(number)s from round %(previous)s") % {**values, "previous": data["from_round"]}
        return _("started round %(number)s") % values
    if kind == HistoryKind.ROUND_REOPENED:
        return _("reopened round %(number)s for changes") % values
    if kind == HistoryKind.ROUND_SIGNED_OFF:
        on = data.get("on")
        date = formats.date_format(datetime.date.fromisoformat(on), "SHORT_DATE_FORMAT") if on else "—"
        return _("signed off round %(number)s as final, dated %(date)s, in the name of %(name)s") % {
            **values,
            "date": date,
            "name": data.get("name", ""),
        }
    if kind == HistoryKind.ROUND_DELETED:
        return _("deleted round %(number)s") % values
    if kind == HistoryKind.ACTION_ADDED:
        return _("added the action “%(action)s”") % values
    if kind == HistoryKind.ACTION_CHANGED:
        if data.get("status") != data.get("previous_status"):
            return _("changed the action “%(action)s”: %(previous_status)s → %(status)s") % values
        return _("changed the action “%(action)s”") % values
    if kind == HistoryKind.ACTION_DELETED:
        return _("removed the action “%(action)s” from the plan") % values
    if kind == HistoryKind.CONSENSUS_OPENED:
        return _("opened the consensus step of round %(number)s: members now see each other's answers") % values
    if kind == HistoryKind.EVIDENCE_ADDED and data.get("from_round"):
        return _("kept evidence from round %(from_round)s for item %(item)s: %(evidence)s") % {
            **values,
            "from_round": data["from_round"],
            "evidence": data.get("label", ""),
        }
    if kind == HistoryKind.EVIDENCE_ADDED:
        return _("added evidence to item %(item)s: %(evidence)s") % {**values, "evidence": data.get("label", "")}
    if kind == HistoryKind.EVIDENCE_REMOVED:
        return _("removed evidence from item %(item)s: %(evidence)s") % {**values, "evidence": data.get("label", "")}
    if kind == HistoryKind.IMPORTED:
        return _("imported the self-assessment from a file as round %(number)s") % values
    return str(HistoryKind(kind).label) if kind in HistoryKind.values else kind


def _who(event: HistoryEvent, members: set[int] | None) -> tuple[str, bool]:
    """The name to show and whether the person is a former member (decided per event)."""
    name = display_name(event.actor) or event.actor_name
    if members is None:
        # A private-link self-assessment: whoever holds the link.
        return name or _("the holder of the private link"), False
    former = event.actor_id is None or event.actor_id not in members
    if not name:
        name = _("someone")
    return name, former


def history_rows(events, members: set[int] | None, edition: Edition) -> list[HistoryRow]:
    """The events worded for the reader; no queries beyond the events themselves."""
    rows = []
    for event in events:
        who, former = _who(event, members)
        entry = edition.entries.get(event.item_id) if event.item_id else None
        rows.append(
            HistoryRow(
                event=event,
                at=event.at,
                who=who,
                former_member=former,
                round_number=event.round_number,
                description=describe(event, edition),
                item_id=event.item_id,
                item_text=Truncator(entry.node.text).chars(ITEM_TEXT_LENGTH) if entry else "",
            )
        )
    return rows


def export_history(assessment: Assessment, members: set[int] | None = None) -> list[dict]:
    """The series' history for the JSON export: oldest first, in stored terms (one query)."""
    if assessment.organisation_id is None:
        members = None
    elif members is None:
        members = member_ids(assessment)
    result = []
    for event in events_for(assessment).order_by("at", "pk"):
        former = None if members is None else (event.actor_id is None or event.actor_id not in members)
        result.append(
            {
                "at": event.at.isoformat(),
                "round": event.round_number,
                "kind": event.kind,
                "item": event.item_id or None,
                "area": event.area or None,
                "by": display_name(event.actor) or event.actor_name or None,
                "former_member": former,
                "data": event.data,
            }
        )
    return result
