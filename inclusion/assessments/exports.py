"""A self-assessment out of the toolkit and back in: spreadsheet rows, JSON, the PDF report.

The JSON export is complete (answers, comments, notes, action plan) so that importing it
reproduces the self-assessment on another account or another installation. The import
trusts nothing in the file: it checks every field first and writes only when all is
well, in one transaction.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inclusion.core.exporters import Table
from inclusion.core.markdown import typed_text_to_plain
from inclusion.core.pdf import render_pdf
from inclusion.handbook.content import AREA_IDS, FREE_ACTION_AREA, Edition
from inclusion.handbook.models import HandbookItem
from inclusion.handbook.services import get_handbook
from inclusion.organisations.models import OrganisationKind

from .actions import ordered_actions
from .answers import item_applies
from .consensus import individual_answer_header, individual_answer_rows, individual_answers_json, individual_columns
from .exceptions import AssessmentError
from .history import display_name, export_history, member_ids, record
from .models import (
    COMMENT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    Action,
    ActionStatus,
    Answer,
    AnswerValue,
    AreaNote,
    Assessment,
    Evidence,
    HistoryKind,
)
from .notes import sanitise_note
from .rounds import start_assessment
from .summary import POINTS, compile_summary, summary_context

FORMAT_NAME = "inclusion-toolkit/self-assessment"
FORMAT_VERSION = 1
MAX_IMPORT_BYTES = 2 * 1024 * 1024  # a complete export with a long action plan is well under 1 MB
MAX_ACTIONS = 1000
MAX_ROUND = 1000
MAX_NOTE_VERSION = 2**31 - 1  # fits every database's integer column

_ITEM_ID = re.compile(r"^a([1-6])\.c([1-9][0-9]*)$")
_TOP_FIELDS = {
    "format",
    "version",
    "content_version",
    "title",
    "organisation_kind",
    "round_number",
    "created_at",
    "updated_at",
    "answers",
    "notes",
    "actions",
    # Listed in exports (files by name only); an import leaves it out: the files are not in it.
    "evidence",
    "individual_answers",  # in an owner's export of an individual-mode round; not imported
    "signed_off",
    "history",
}
_ANSWER_FIELDS = {"item", "value", "comment"}
_NOTE_FIELDS = {"area", "text", "version"}
_ACTION_FIELDS = {
    "item",
    "area",
    "description",
    "owner",
    "owner_is_member",
    "due_date",
    "status",
    "status_changed_by",
    "status_changed_at",
}


class ImportFileError(AssessmentError):
    """The file cannot be imported; the message says what is wrong, for the user."""


def _item_order(item_id: str) -> tuple[int, int, str]:
    """Handbook order (a1.c2 before a1.c10), not string order."""
    match = _ITEM_ID.match(item_id)
    return (int(match[1]), int(match[2]), "") if match else (99, 0, item_id)


def applies_to_label(applies_to: str) -> str:
    if applies_to == "authority":
        return _("Local and regional authorities")
    if applies_to == "not_ngo":
        return _("Does not apply to NGOs")
    return _("All organisations")


def note_plain_text(note_text: str) -> str:
    """A key area's notes as plain text for a spreadsheet cell, line breaks kept."""
    return typed_text_to_plain(note_text)


# Spreadsheets ------------------------------------------------------------------------------


def assessment_header(members=()) -> list[str]:
    """The checklist's columns; with ``members`` (the owner's CSV of an individual-mode
    round), an answer and a comment column per member after the agreed answer."""
    individual = []
    for name in members:
        individual += [_("Answer: %(member)s") % {"member": name}, _("Comment: %(member)s") % {"member": name}]
    return [
        _("Key area"),
        _("Key area title"),
        _("Item ID"),
        _("Item number"),
        _("Checklist item"),
        _("Applies to"),
        _("Answer"),
        _("Points"),
        _("Comment"),
        *individual,
    ]


def assessment_rows(assessment: Assessment, edition: Edition, individual=None) -> list[list]:
    """A row per checklist item that applies to this organisation, in handbook order, and
    after each key area's items a row with its notes (when there are any). Two queries.
    ``individual``: {item id: each member's answer or None}, for the owner's columns."""
    summary = compile_summary(assessment, edition)
    width = len(next(iter(individual.values()))) if individual else 0
    rows: list[list] = []
    for result in summary.areas:
        area = result.area
        for item_result in result.items:
            item, value = item_result.item, item_result.value
            rows.append(
                [
                    area.number,
                    area.title,
                    item.id,
                    item.number,
                    item.text,
                    applies_to_label(item.applies_to),
                    str(AnswerValue(value).label) if value else "",
                    POINTS.get(AnswerValue(value)) if value else None,
                    item_result.answer.comment if item_result.answer else "",
                    *_member_cells(individual, item.id, width),
                ]
            )
        if result.note and result.note.text:
            rows.append(
                [
                    area.number,
                    area.title,
                    "",
                    None,
                    _("Notes on this key area"),
                    "",
                    "",
                    None,
                    note_plain_text(result.note.text),
                ]
            )
    return rows


def _member_cells(individual, item_id: str, width: int) -> list:
    if not individual:
        return []
    cells = []
    for answer in individual.get(item_id) or [None] * width:
        cells += [str(AnswerValue(answer.value).label) if answer else "", answer.comment if answer else ""]
    return cells


def assessment_table(assessment: Assessment, edition: Edition, *, individual: bool = False) -> Table:
    """The checklist; ``individual`` (owners only, decided by the caller): with each member's
    own answers in columns of their own."""
    if not individual:
        return Table(_("Checklist"), assessment_header(), assessment_rows(assessment, edition))
    members, by_item = individual_columns(assessment)
    return Table(_("Checklist"), assessment_header(members), assessment_rows(assessment, edition, by_item))


def individual_table(assessment: Assessment, edition: Edition) -> Table:
    """Every member's own answers, a row each (the owner's XLSX sheet)."""
    return Table(_("Individual answers"), individual_answer_header(), individual_answer_rows(assessment, edition))


def action_table(assessment: Assessment, edition: Edition) -> Table:
    """The action plan as a table. One query; item texts come from the loaded content."""
    rows = []
    for action in ordered_actions(assessment):
        entry = edition.entries.get(action.item_id) if action.item_id else None
        area_number = int(action.area[1:]) if action.area in AREA_IDS else None
        rows.append(
            [
                area_number,
                action.item_id or "",
                entry.label if entry else "",
                action.description,
                action.owner_label,
                action.due_date,
                str(ActionStatus(action.status).label),
            ]
        )
    header = [
        _("Key area"),
        _("Item ID"),
        _("Checklist item"),
        _("What will be done"),
        _("Who is responsible"),
        _("Due date"),
        _("Status"),
    ]
    return Table(_("Action plan"), header, rows)


# JSON --------------------------------------------------------------------------------------


def export_json(assessment: Assessment, *, individual: bool = False) -> dict[str, Any]:
    """Everything a person entered, in a documented, versioned shape, with the sign-off, who
    is responsible for each action, the evidence and the history of changes.
    ``individual`` (owners only, decided by the caller): with each member's own answers."""
    members = member_ids(assessment) or set()
    answers = sorted(assessment.answers.all(), key=lambda answer: _item_order(answer.item_id))
    data = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "content_version": assessment.content_version,
        "title": assessment.title,
        "organisation_kind": assessment.organisation_kind,
        "round_number": assessment.round_number,
        "created_at": assessment.created_at.isoformat(),
        "updated_at": assessment.updated_at.isoformat(),
        "answers": [{"item": answer.item_id, "value": answer.value, "comment": answer.comment} for answer in answers],
        "notes": [
            {"area": note.area, "text": note.text, "version": note.version}
            for note in assessment.notes.order_by("area")
        ],
        "signed_off": {
            "on": assessment.signed_off_on.isoformat(),
            "name": assessment.signed_off_name,
            "by": display_name(assessment.signed_off_by),
        }
        if assessment.is_signed_off
        else None,
        "actions": [
            {
                "item": action.item_id,
                "area": action.area,
                "description": action.description,
                "owner": action.owner_label,
                "owner_is_member": action.owner_user_id is not None and action.owner_user_id in members,
                "due_date": action.due_date.isoformat() if action.due_date else None,
                "status": action.status,
                "status_changed_by": display_name(action.status_changed_by) or None,
                "status_changed_at": action.status_changed_at.isoformat() if action.status_changed_at else None,
            }
            for action in ordered_actions(assessment)
        ],
        "evidence": [
            {
                "item": evidence.item_id,
                "url": evidence.url,
                "text": evidence.text,
                "file_name": evidence.file_name,
                "content_type": evidence.content_type,
                "size": evidence.size,
                "added_at": evidence.added_at.isoformat(),
            }
            for evidence in _evidence_in_order(assessment)
        ],
        "history": export_history(assessment, members),
    }
    if individual:
        data["individual_answers"] = individual_answers_json(assessment)
    return data


def _evidence_in_order(assessment: Assessment) -> list[Evidence]:
    return sorted(
        Evidence.objects.filter(assessment=assessment).order_by("added_at", "pk"),
        key=lambda evidence: _item_order(evidence.item_id),
    )


def _evidence_with_items(assessment: Assessment, edition: Edition):
    """(key area ID, the item's content or None, evidence) in item order. One query."""
    return [
        (evidence.item_id.split(".", 1)[0], edition.entries.get(evidence.item_id), evidence)
        for evidence in _evidence_in_order(assessment)
    ]


def evidence_table(assessment: Assessment, edition: Edition) -> Table:
    """Each item's evidence: links, texts and the names of attached files. One query."""
    rows = []
    for area, entry, evidence in _evidence_with_items(assessment, edition):
        rows.append(
            [
                int(area[1:]),
                entry.node.number if entry else None,
                evidence.item_id,
                entry.label if entry else "",
                evidence.url,
                evidence.text,
                evidence.file_name,
            ]
        )
    header = [
        _("Key area"),
        _("Item number"),
        _("Item ID"),
        _("Checklist item"),
        _("Link"),
        _("Short description"),
        _("Attached file"),
    ]
    return Table(_("Evidence"), header, rows)


def read_import_file(data: bytes) -> dict[str, Any]:
    """The uploaded bytes as a JSON object, or ImportFileError."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(
            _("The file is too large (at most %(limit)s MB).") % {"limit": MAX_IMPORT_BYTES // (1024 * 1024)}
        )
    try:
        parsed = json.loads(data.decode("utf-8-sig"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ImportFileError(
            _("The file is not a JSON export of a self-assessment: it could not be read as JSON.")
        ) from error
    if not isinstance(parsed, dict):
        raise ImportFileError(_("The file is not a JSON export of a self-assessment."))
    return parsed


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed")


def _type_name(value: Any) -> str:
    return {dict: _("an object"), list: _("a list"), str: _("text"), bool: _("true or false")}.get(
        type(value), _("a number") if isinstance(value, int | float) else _("empty")
    )


def _fail(where: str, problem: str) -> ImportFileError:
    return ImportFileError(_("%(where)s: %(problem)s") % {"where": where, "problem": problem})


def _check_fields(where: str, value: Any, allowed: set[str], required: set[str]) -> dict:
    if not isinstance(value, dict):
        raise _fail(where, _("expected an object, found %(found)s.") % {"found": _type_name(value)})
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise _fail(where, _("unknown field “%(field)s”.") % {"field": unknown[0]})
    missing = sorted(required - set(value))
    if missing:
        raise _fail(where, _("the field “%(field)s” is missing.") % {"field": missing[0]})
    return value


def _text(where: str, value: Any, limit: int, *, required: bool = False) -> str:
    if not isinstance(value, str):
        raise _fail(where, _("expected text, found %(found)s.") % {"found": _type_name(value)})
    if required and not value.strip():
        raise _fail(where, _("must not be empty."))
    if len(value) > limit:
        raise _fail(
            where,
            _("too long (%(length)s characters; at most %(limit)s).") % {"length": len(value), "limit": limit},
        )
    return value


def _whole_number(where: str, value: Any, minimum: int, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(where, _("expected a whole number, found %(found)s.") % {"found": _type_name(value)})
    if not minimum <= value <= maximum:
        raise _fail(where, _("must be between %(minimum)s and %(maximum)s.") % {"minimum": minimum, "maximum": maximum})
    return value


def _list(where: str, value: Any) -> list:
    if not isinstance(value, list):
        raise _fail(where, _("expected a list, found %(found)s.") % {"found": _type_name(value)})
    return value


def _unstorable(text: str) -> bool:
    """A NUL character (PostgreSQL refuses it in text) or a lone surrogate (not UTF-8 at all,
    so no database can store it): JSON escapes (\\u0000, \\ud800) let both through json.loads."""
    return "\x00" in text or any("\ud800" <= character <= "\udfff" for character in text)


def _find_unstorable(value: Any, path: tuple = ()) -> tuple | None:
    """The path to the first text, or field name, that cannot be stored; None when there is none."""
    if isinstance(value, str):
        return path if _unstorable(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and _unstorable(key):
                return (*path, _("a field name"))
            found = _find_unstorable(item, (*path, key))
            if found is not None:
                return found
    if isinstance(value, list):
        for number, item in enumerate(value, start=1):
            found = _find_unstorable(item, (*path, number))
            if found is not None:
                return found
    return None


def _check_storable(data: Any) -> None:
    """Refuse, naming the field, text that no database can store (checked before anything
    else, so that no message ever repeats the character)."""
    path = _find_unstorable(data)
    if path is not None:
        where = " › ".join(str(part) for part in path) or _("The file")
        raise _fail(where, _("contains a character that cannot be stored (a NUL character or a lone surrogate)."))


def _validate(data: Any) -> dict[str, Any]:
    """The file's content, checked field by field; the first problem is raised, named."""
    _check_storable(data)
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise ImportFileError(_("The file is not a JSON export of a self-assessment from Inclusion Toolkit."))
    version = data.get("version")
    if isinstance(version, bool) or version != FORMAT_VERSION:
        raise ImportFileError(
            _("The file uses format version %(found)s; this toolkit reads version %(expected)s.")
            % {"found": json.dumps(version, default=str), "expected": FORMAT_VERSION}
        )
    # The sign-off and the history are the exporting round's record, the evidence's files are
    # not in the file, individual answers are the owner's view: an import starts anew.
    ignored = {"created_at", "updated_at", "evidence", "individual_answers", "signed_off", "history"}
    _check_fields(_("The file"), data, _TOP_FIELDS, _TOP_FIELDS - ignored)
    title = _text(_("Title"), data["title"], Assessment._meta.get_field("title").max_length, required=True).strip()
    kind = data["organisation_kind"]
    if kind not in OrganisationKind.values:
        raise _fail(_("Kind of organisation"), _("“%(value)s” is not a known kind.") % {"value": kind})
    checklist = {
        item.key: item
        for item in HandbookItem.objects.filter(kind=HandbookItem.Kind.CHECKLIST_ITEM).only("key", "area", "retired_at")
    }
    return {
        "title": title,
        "organisation_kind": kind,
        "content_version": _text(_("Content version"), data["content_version"], 20, required=True),
        "round_number": _whole_number(_("Round"), data["round_number"], 1, MAX_ROUND),
        "answers": _clean_answers(_list(_("Answers"), data["answers"]), checklist, kind),
        "notes": _clean_notes(_list(_("Notes"), data["notes"])),
        "actions": _clean_actions(_list(_("Action plan"), data["actions"]), checklist),
    }


def _clean_answers(raw: list, checklist: dict[str, HandbookItem], kind: str) -> list[dict]:
    edition = get_handbook().reference_edition
    answers, seen = [], set()
    for number, answer in enumerate(raw, start=1):
        where = _("Answer %(number)s") % {"number": number}
        answer = _check_fields(where, answer, _ANSWER_FIELDS, {"item", "value"})
        item_id = answer["item"]
        if not isinstance(item_id, str) or item_id not in checklist:
            raise _fail(where, _("“%(item)s” is not a checklist item.") % {"item": item_id})
        where = _("Answer to %(item)s") % {"item": item_id}
        if checklist[item_id].is_retired:
            raise _fail(where, _("this checklist item has been retired and can no longer be answered."))
        entry = edition.entries.get(item_id)
        if entry is not None and not item_applies(entry.node, kind):
            raise _fail(where, _("this checklist item does not apply to this kind of organisation."))
        if item_id in seen:
            raise _fail(where, _("the item is answered twice."))
        seen.add(item_id)
        value = answer["value"]
        if not isinstance(value, str) or value not in AnswerValue.values:
            raise _fail(
                where,
                _("“%(value)s” is not a valid answer (expected one of %(choices)s).")
                % {"value": value, "choices": ", ".join(AnswerValue.values)},
            )
        comment = _text(_("Comment on %(item)s") % {"item": item_id}, answer.get("comment", ""), COMMENT_MAX_LENGTH)
        answers.append({"item": item_id, "value": value, "comment": comment.strip()})
    return answers


def _clean_notes(raw: list) -> list[dict]:
    notes, seen = [], set()
    for number, note in enumerate(raw, start=1):
        where = _("Note %(number)s") % {"number": number}
        note = _check_fields(where, note, _NOTE_FIELDS, {"area", "text"})
        if note["area"] not in AREA_IDS:
            raise _fail(where, _("“%(area)s” is not a key area.") % {"area": note["area"]})
        where = _("Notes on key area %(number)s") % {"number": note["area"][1:]}
        if note["area"] in seen:
            raise _fail(where, _("the key area has notes twice."))
        seen.add(note["area"])
        text = _text(where, note["text"], NOTE_MAX_LENGTH)
        version = _whole_number(where, note.get("version", 1), 0, MAX_NOTE_VERSION)
        notes.append({"area": note["area"], "text": text, "version": version})
    return notes


def _due_date(where: str, value: Any) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _fail(where, _("the due date must be a date like 2025-06-30.")) from None


def _clean_actions(raw: list, checklist: dict[str, HandbookItem]) -> list[dict]:
    if len(raw) > MAX_ACTIONS:
        raise _fail(_("Action plan"), _("more than %(limit)s actions.") % {"limit": MAX_ACTIONS})
    actions = []
    for number, action in enumerate(raw, start=1):
        where = _("Action %(number)s") % {"number": number}
        action = _check_fields(where, action, _ACTION_FIELDS, {"area", "description"})
        item_id, area = action.get("item"), action["area"]
        if item_id is not None and (not isinstance(item_id, str) or item_id not in checklist):
            raise _fail(where, _("“%(item)s” is not a checklist item.") % {"item": item_id})
        if area not in [*AREA_IDS, FREE_ACTION_AREA]:
            raise _fail(where, _("“%(area)s” is not a key area.") % {"area": area})
        if item_id is not None and checklist[item_id].area != area:
            raise _fail(
                where, _("checklist item %(item)s is not in key area %(area)s.") % {"item": item_id, "area": area}
            )
        status = action.get("status", ActionStatus.OPEN)
        if status not in ActionStatus.values:
            raise _fail(where, _("“%(value)s” is not a valid status.") % {"value": status})
        actions.append(
            {
                "item_id": item_id,
                "area": area,
                "description": _text(
                    where, action["description"], Action._meta.get_field("description").max_length, required=True
                ),
                "owner": _text(where, action.get("owner", ""), Action._meta.get_field("owner").max_length),
                "due_date": _due_date(where, action.get("due_date")),
                "status": status,
            }
        )
    return actions


def import_json(data: Any, *, organisation=None, user=None) -> tuple[Assessment, str]:
    """A new self-assessment from an export: the same answers, comments, notes and action
    plan. Returns it with its private-link token ("" when it belongs to an organisation).
    Raises ImportFileError, naming the problem, and then nothing has been written."""
    clean = _validate(data)
    editor = user if user and user.is_authenticated else None
    with transaction.atomic():
        assessment, token = start_assessment(
            title=clean["title"], organisation_kind=clean["organisation_kind"], organisation=organisation, user=user
        )
        # The answers were given against the file's content version, and in its round.
        assessment.content_version = clean["content_version"]
        assessment.round_number = clean["round_number"]
        assessment.save(update_fields=["content_version", "round_number"])
        Answer.objects.bulk_create(
            Answer(assessment=assessment, item_id=a["item"], value=a["value"], comment=a["comment"], updated_by=editor)
            for a in clean["answers"]
        )
        AreaNote.objects.bulk_create(
            AreaNote(
                assessment=assessment,
                area=note["area"],
                text=sanitise_note(note["text"]),
                version=note["version"],
                updated_by=editor,
            )
            for note in clean["notes"]
        )
        Action.objects.bulk_create(Action(assessment=assessment, **action) for action in clean["actions"])
        record(assessment, HistoryKind.IMPORTED, user)
    return assessment, token


# PDF ---------------------------------------------------------------------------------------


def _item_reference(action: Action, edition: Edition) -> str:
    """“1.4 Identify the root causes …”: key area and item number, then the item's text."""
    entry = edition.entries.get(action.item_id) if action.item_id else None
    if entry is None:
        return ""
    return f"{entry.area[1:]}.{entry.node.number} {entry.label}"


def evidence_by_area(assessment: Assessment, edition: Edition) -> dict[str, list[tuple[str, Evidence]]]:
    """Each key area's evidence in item order, with the item's number. One query."""
    by_area: dict[str, list[tuple[str, Evidence]]] = {}
    for area, entry, evidence in _evidence_with_items(assessment, edition):
        by_area.setdefault(area, []).append((entry.node.number if entry else "", evidence))
    return by_area


def summary_pdf(assessment: Assessment, language: str) -> bytes:
    """The summary as a report to hand to a council: cover, chart, each key area's reading,
    gaps, notes and evidence, the 13 key actions and the action plan."""
    return render_pdf(summary_pdf_html(assessment, language))


def summary_pdf_html(assessment: Assessment, language: str) -> str:
    """The HTML that summary_pdf prints."""
    handbook = get_handbook()
    edition = handbook.edition(language)
    with translation.override(language):
        summary = compile_summary(assessment, edition)
        context = summary_context(assessment, summary)
        plan = list(ordered_actions(assessment))
        evidence = evidence_by_area(assessment, edition)
        context.update(
            {
                "areas": [(result, evidence.get(result.area.id, [])) for result in summary.areas],
                "language": language,
                "edition": edition,
                "content_version": handbook.version,
                "today": timezone.localdate(),
                "organisation_kind_label": OrganisationKind(assessment.organisation_kind).label,
                "plan": [(action, _item_reference(action, edition)) for action in plan],
                "stylesheet": Path(finders.find("assessments/summary-pdf.css")).as_uri(),
            }
        )
        return render_to_string("assessments/pdf/summary.html", context)
