"""Downloads of a self-assessment (PDF, XLSX, CSV, JSON) and the JSON import."""

import copy
import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from inclusion.assessments import exports
from inclusion.assessments.answers import applicable_items, save_answer
from inclusion.assessments.models import Action, Answer, AnswerValue, AreaNote, Assessment, Evidence
from inclusion.assessments.notes import save_note
from inclusion.assessments.rounds import start_assessment
from inclusion.core import exporters
from inclusion.handbook.models import HandbookItem
from inclusion.handbook.services import get_handbook

from ..conftest import LANGUAGES

FORMATS = ["pdf", "xlsx", "csv", "json"]
VALUES = ["yes", "partly", "no", "na"]
POINTS = {"yes": "1", "partly": "0.5", "no": "0", "na": ""}


def _url(assessment, fmt, language="en"):
    return f"/{language}/assessments/{assessment.public_id}/export.{fmt}"


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _flat(text: str) -> str:
    return " ".join(text.split())


def _answer_all(assessment, edition, comment="") -> dict[str, str]:
    """Every applicable item answered, cycling through the four answers; returns item → value."""
    given = {}
    items = [item for area in edition.areas for item in applicable_items(area, assessment.organisation_kind)]
    for index, item in enumerate(items):
        value = VALUES[index % 4]
        save_answer(assessment, item.id, value, comment.format(item=item.id))
        given[item.id] = value
    return given


def _fill(assessment, edition, actions=3):
    """A fully answered assessment with notes in every key area and an action plan."""
    _answer_all(assessment, edition, comment="Comment on {item}: Rīga, ķēde")
    for area in edition.areas:
        save_note(assessment, area.id, f"<p>Notes on <strong>{area.id}</strong></p><ul><li>one</li></ul>", 0)
    for number in range(actions):
        Action.objects.create(
            assessment=assessment,
            item_id="a1.c1" if number % 2 else None,
            area="a1" if number % 2 else "a0",
            description=f"Step {number}",
            owner="Social services",
            due_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=number) if number % 3 else None,
            status=["open", "in_progress", "done"][number % 3],
        )


@pytest.fixture
def private_assessment(client):
    """A private-link assessment of an NGO, unlocked in ``client``'s session."""
    assessment, token = start_assessment(title="Our NGO", organisation_kind="ngo")
    assert client.get(f"/en/assessments/private/{token}/").status_code == 302
    return assessment


# The exporter base -------------------------------------------------------------------------


def test_exporter_neutralises_formula_starts_in_csv():
    table = exporters.Table(
        "Sheet",
        ["=header", "b"],
        [["=1+2", "+3", "-4", "@SUM(A1)", "\tx", "\rx", "plain", "a=b", -5, Decimal("0.5"), None]],
    )
    rows = _csv_rows(exporters.to_csv(table))
    assert rows == [
        ["'=header", "b"],
        ["'=1+2", "'+3", "'-4", "'@SUM(A1)", "'\tx", "'\rx", "plain", "a=b", "-5", "0.5", ""],
    ]


def test_exporter_neutralises_formula_starts_in_xlsx():
    table = exporters.Table(
        "Checklist: a/b",
        ["Name", "Value"],
        [["=1+2", -5], ["+3", "@SUM(A1)"], ["\tx", "-4"], ["bell\x07", datetime.date(2026, 1, 2)]],
    )
    sheet = _workbook(exporters.to_xlsx(table)).worksheets[0]
    assert sheet.title == "Checklist  a b"
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values == [
        ["Name", "Value"],
        ["'=1+2", -5],
        ["'+3", "'@SUM(A1)"],
        ["'\tx", "'-4"],
        ["bell", datetime.datetime(2026, 1, 2)],
    ]
    assert [cell.data_type for cell in sheet[2]] == ["s", "n"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == exporters.MIN_WIDTH


def test_exporter_sizes_long_columns_and_wraps_them():
    table = exporters.Table("Sheet", ["Short", "Long"], [["x", "word " * 40]])
    sheet = _workbook(exporters.to_xlsx(table)).worksheets[0]
    assert sheet.column_dimensions["A"].width == exporters.MIN_WIDTH
    assert sheet.column_dimensions["B"].width == exporters.MAX_WIDTH
    assert sheet["B2"].alignment.wrap_text is True


# Spreadsheets ------------------------------------------------------------------------------


def test_csv_has_a_row_per_applicable_item_with_its_answer(client, editor_a, assessment_a):
    edition = get_handbook().edition("lv")
    given = _answer_all(assessment_a, edition, comment="Piezīme par {item}")
    client.force_login(editor_a)

    response = client.get(_url(assessment_a, "csv", "lv"))

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = _csv_rows(response.content)
    assert len(header) == 9
    applicable = [item for area in edition.areas for item in applicable_items(area, "authority")]
    assert [row[2] for row in rows] == [item.id for item in applicable]
    assert "a4.c15" in given  # a local-authority item: an authority answers it
    area4, item = edition.area(4), edition.entries["a4.c15"].node
    with translation.override("lv"):
        expected = [
            "4",
            area4.title,
            "a4.c15",
            str(item.number),
            item.text,
            exports.applies_to_label("authority"),
            str(AnswerValue(given["a4.c15"]).label),
            POINTS[given["a4.c15"]],
            "Piezīme par a4.c15",
        ]
    assert rows[[row[2] for row in rows].index("a4.c15")] == expected
    assert {row[2]: (row[7]) for row in rows} == {item_id: POINTS[value] for item_id, value in given.items()}


def test_csv_leaves_out_items_that_do_not_apply_and_adds_notes(client, private_assessment, edition):
    save_answer(private_assessment, "a1.c1", "yes")
    save_note(private_assessment, "a2", "<p>First line</p><p>Second &amp; last</p>", 0)

    _header, *rows = _csv_rows(client.get(_url(private_assessment, "csv")).content)

    applicable = [item.id for area in edition.areas for item in applicable_items(area, "ngo")]
    assert [row[2] for row in rows if row[2]] == applicable
    assert "a4.c15" not in applicable
    assert rows[0][6:8] == ["Yes", "1"]
    assert rows[1][6:8] == ["", ""]
    note_rows = [row for row in rows if not row[2]]
    assert note_rows == [
        ["2", edition.area(2).title, "", "", "Notes on this key area", "", "", "", "First line\nSecond & last"]
    ]
    last_a2 = max(index for index, row in enumerate(rows) if row[2].startswith("a2."))
    assert rows[last_a2 + 1] == note_rows[0]


def test_xlsx_has_the_checklist_the_action_plan_and_the_evidence(client, viewer_a, assessment_a, edition):
    _fill(assessment_a, edition, actions=3)
    client.force_login(viewer_a)  # viewers may export

    response = client.get(_url(assessment_a, "xlsx"))

    assert response.status_code == 200
    assert response.headers["Content-Type"] == exporters.XLSX_CONTENT_TYPE
    workbook = _workbook(response.content)
    assert workbook.sheetnames == ["Checklist", "Action plan", "Evidence"]
    checklist = [[cell.value for cell in row] for row in workbook["Checklist"].iter_rows(min_row=2)]
    item_rows = [row for row in checklist if row[2]]
    assert len(item_rows) == Answer.objects.filter(assessment=assessment_a).count()
    first = item_rows[0]
    assert first == [
        1,
        edition.area(1).title,
        "a1.c1",
        1,
        edition.entries["a1.c1"].label,
        "All organisations",
        "Yes",
        1,
        "Comment on a1.c1: Rīga, ķēde",
    ]
    assert [row[7] for row in item_rows[:4]] == [1, 0.5, 0, None]
    assert [row[4] for row in checklist if not row[2]] == ["Notes on this key area"] * 6
    assert next(row[8] for row in checklist if not row[2]) == "Notes on a1\n- one"
    plan = [[cell.value for cell in row] for row in workbook["Action plan"].iter_rows()]
    assert plan == [
        ["Key area", "Item ID", "Checklist item", "What will be done", "Who is responsible", "Due date", "Status"],
        [
            1,
            "a1.c1",
            edition.entries["a1.c1"].label,
            "Step 1",
            "Social services",
            datetime.datetime(2026, 1, 2),
            "In progress",
        ],
        [None, None, None, "Step 2", "Social services", datetime.datetime(2026, 1, 3), "Done"],
        [None, None, None, "Step 0", "Social services", None, "To do"],
    ]


def test_cells_starting_with_formula_characters_are_neutralised(client, editor_a, assessment_a):
    for item_id, comment in [("a1.c1", "=HYPERLINK(1)"), ("a1.c2", "+1"), ("a1.c3", "-1"), ("a1.c4", "@SUM(A1)")]:
        save_answer(assessment_a, item_id, "no", comment)
    Action.objects.create(assessment=assessment_a, area="a0", description="=cmd|' /C calc'!A0", owner="@owner")
    client.force_login(editor_a)

    _header, *rows = _csv_rows(client.get(_url(assessment_a, "csv")).content)
    workbook = _workbook(client.get(_url(assessment_a, "xlsx")).content)

    expected = ["'=HYPERLINK(1)", "'+1", "'-1", "'@SUM(A1)"]
    assert [row[8] for row in rows[:4]] == expected
    sheet = workbook["Checklist"]
    assert [sheet.cell(row=row, column=9).value for row in range(2, 6)] == expected
    assert {sheet.cell(row=row, column=9).data_type for row in range(2, 6)} == {"s"}
    plan = workbook["Action plan"]
    assert [plan["D2"].value, plan["E2"].value] == ["'=cmd|' /C calc'!A0", "'@owner"]


def test_script_in_notes_and_comments_is_inert(client, editor_a, assessment_a):
    comment = '<script>alert("comment")</script> Needs a translator'
    save_answer(assessment_a, "a1.c1", "no", comment)
    save_note(assessment_a, "a1", '<p>Visible note</p><script>alert("note")</script><img src=x onerror=alert(1)>', 0)
    client.force_login(editor_a)

    pdf = _pdf_text(client.get(_url(assessment_a, "pdf")).content)
    sheet = _workbook(client.get(_url(assessment_a, "xlsx")).content)["Checklist"]

    # The comment is printed as the text it is (escaped), the note's script is gone.
    assert comment in pdf
    assert "Visible note" in pdf
    assert 'alert("note")' not in pdf
    assert "onerror" not in pdf
    cells = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert cells[0][8] == comment
    assert sheet.cell(row=2, column=9).data_type == "s"
    note_row = next(row for row in cells if row[4] == "Notes on this key area")
    assert note_row[8] == "Visible note"


# PDF ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdf_has_title_every_area_and_the_content_version(client, editor_a, assessment_a, edition, language):
    _fill(assessment_a, edition, actions=2)
    client.force_login(editor_a)

    response = client.get(_url(assessment_a, "pdf", language))

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    handbook = get_handbook()
    localised = handbook.edition(language)
    assert "Reception" in text
    assert "Riga Welcome" in text
    for area in localised.areas:
        assert _flat(area.title) in text
    assert handbook.version in text
    assert _flat(localised.summary.items[12].text) in text  # the 13 key actions
    assert "Step 1" in text  # the action plan
    assert "Comment on a1.c3: Rīga, ķēde" in text  # a gap's comment


def test_export_filename_names_title_round_and_date(client, editor_a, org_a):
    assessment, _token = start_assessment(
        title="Rīgas sociālais dienests", organisation_kind="authority", organisation=org_a
    )
    client.force_login(editor_a)
    today = timezone.localdate().isoformat()
    for fmt in FORMATS:
        response = client.get(_url(assessment, fmt))
        assert response.headers["Content-Disposition"] == (
            f'attachment; filename="rigas-socialais-dienests-round-1-{today}.{fmt}"'
        )
        assert "no-store" in response.headers["Cache-Control"]


# Access and queries --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_exports_of_another_organisations_assessment_are_404(client, owner_b, assessment_a, assessment_b, fmt):
    client.force_login(owner_b)
    assert client.get(_url(assessment_b, fmt)).status_code == 200
    assert client.get(_url(assessment_a, fmt)).status_code == 404
    assert Client().get(_url(assessment_b, fmt)).status_code == 404


def test_unknown_export_format_is_404(client, editor_a, assessment_a):
    client.force_login(editor_a)
    assert client.get(_url(assessment_a, "exe")).status_code == 404
    assert client.get(_url(assessment_a, "actions.csv")).status_code == 404


# Session, user, the assessment with its organisation and the membership (one query); then the
# data: answers and notes (CSV), plus actions and evidence (PDF and XLSX), or answers,
# notes, actions, evidence, the organisation's members (who is a former member) and the history (JSON).
QUERIES = {"csv": 5, "xlsx": 7, "json": 9, "pdf": 7}


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_query_count_does_not_grow_with_the_data(
    client, editor_a, assessment_a, edition, django_assert_num_queries, fmt
):
    client.force_login(editor_a)
    save_answer(assessment_a, "a1.c1", "yes")
    with django_assert_num_queries(QUERIES[fmt]):
        assert client.get(_url(assessment_a, fmt)).status_code == 200
    _fill(assessment_a, edition, actions=20)
    for key in ("a1.c1", "a1.c2", "a2.c1"):
        for number in range(3):
            Evidence.objects.create(
                assessment=assessment_a, item_id=key, url=f"https://example.org/{number}", text="Minutes"
            )
    with django_assert_num_queries(QUERIES[fmt]):
        assert client.get(_url(assessment_a, fmt)).status_code == 200


# JSON and import -----------------------------------------------------------------------------


def _comparable(data: dict) -> dict:
    # The history is the exporting installation's record; an import starts its own.
    return {key: value for key, value in data.items() if key not in ("created_at", "updated_at", "history")}


def _upload(client, payload, **data):
    content = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    upload = io.BytesIO(content)
    upload.name = "export.json"
    return client.post("/en/assessments/import/", {"file": upload, **data})


def test_json_export_is_complete(client, editor_a, assessment_a, edition):
    _fill(assessment_a, edition, actions=3)
    client.force_login(editor_a)

    response = client.get(_url(assessment_a, "json"))

    assert response.headers["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assessment_a.refresh_from_db()
    assert data == json.loads(json.dumps(exports.export_json(assessment_a)))
    assert data["format"] == "inclusion-toolkit/self-assessment"
    assert data["version"] == 1
    assert data["content_version"] == get_handbook().version
    assert (data["title"], data["organisation_kind"], data["round_number"]) == ("Reception", "authority", 1)
    assert len(data["answers"]) == 80
    assert data["answers"][:2] == [
        {"item": "a1.c1", "value": "yes", "comment": "Comment on a1.c1: Rīga, ķēde"},
        {"item": "a1.c2", "value": "partly", "comment": "Comment on a1.c2: Rīga, ķēde"},
    ]
    assert data["notes"][0] == {
        "area": "a1",
        "text": "<p>Notes on <strong>a1</strong></p><ul><li>one</li></ul>",
        "version": 1,
    }
    assert data["actions"] == [
        {
            "item": "a1.c1",
            "area": "a1",
            "description": "Step 1",
            "owner": "Social services",
            "owner_is_member": False,
            "due_date": "2026-01-02",
            "status": "in_progress",
            "status_changed_by": None,
            "status_changed_at": None,
        },
        {
            "item": None,
            "area": "a0",
            "description": "Step 2",
            "owner": "Social services",
            "owner_is_member": False,
            "due_date": "2026-01-03",
            "status": "done",
            "status_changed_by": None,
            "status_changed_at": None,
        },
        {
            "item": None,
            "area": "a0",
            "description": "Step 0",
            "owner": "Social services",
            "owner_is_member": False,
            "due_date": None,
            "status": "open",
            "status_changed_by": None,
            "status_changed_at": None,
        },
    ]


def test_json_export_then_import_reproduces_the_assessment(client, editor_a, assessment_a, edition):
    _fill(assessment_a, edition, actions=5)
    save_note(assessment_a, "a3", '<p>See <a href="https://example.org">the plan</a> – “quoted”</p>', 1)
    client.force_login(editor_a)
    exported = json.loads(client.get(_url(assessment_a, "json")).content)

    anonymous = Client()
    response = _upload(anonymous, exported)

    assert response.status_code == 200
    assert "This link is shown only once." in response.content.decode()
    imported = Assessment.objects.exclude(pk=assessment_a.pk).get()
    assert imported.organisation is None
    assert imported.series != assessment_a.series
    assert _comparable(exports.export_json(imported)) == _comparable(exported)
    assert anonymous.get(f"/en/assessments/{imported.public_id}/").status_code == 200  # unlocked
    assert Client().get(f"/en/assessments/{imported.public_id}/").status_code == 404


def test_editor_imports_into_their_organisation(client, editor_a, org_a, assessment_b):
    exported = exports.export_json(assessment_b)
    client.force_login(editor_a)

    response = _upload(client, exported, organisation=str(org_a.pk))

    imported = Assessment.objects.get(organisation=org_a)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/en/assessments/{imported.public_id}/"
    assert imported.private_token_hash == ""
    assert imported.created_by == editor_a
    assert _comparable(exports.export_json(imported)) == _comparable(exported)


def test_import_refuses_an_organisation_the_user_does_not_edit(client, editor_a, org_b, assessment_b):
    exported = exports.export_json(assessment_b)
    client.force_login(editor_a)
    before = Assessment.objects.count()

    response = _upload(client, exported, organisation=str(org_b.pk))

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert Assessment.objects.count() == before


def test_viewer_imports_only_with_a_private_link(client, viewer_a, org_a, assessment_b):
    client.force_login(viewer_a)
    assert 'name="organisation"' not in client.get("/en/assessments/import/").content.decode()

    response = _upload(client, exports.export_json(assessment_b), organisation=str(org_a.pk))

    assert response.status_code == 200
    assert not Assessment.objects.filter(organisation=org_a).exists()
    assert Assessment.objects.filter(organisation=None, title="Secret of B").count() == 1


def test_import_page_has_an_accessible_form(client):
    response = client.get("/en/assessments/import/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in body
    assert '<label for="id_file">Exported JSON file</label>' in body
    assert 'aria-describedby="file-hint"' in body
    assert "There is a problem" not in body


def _valid_export(assessment):
    return exports.export_json(assessment)


def _mutated(base, change):
    data = copy.deepcopy(base)
    change(data)
    return data


MALFORMED = {
    "not JSON": (
        lambda base: b"{this is not json",
        "The file is not a JSON export of a self-assessment: it could not be read as JSON.",
    ),
    "a JSON list": (lambda base: b"[1, 2]", "The file is not a JSON export of a self-assessment."),
    "wrong format": (
        lambda base: _mutated(base, lambda d: d.update(format="something-else")),
        "The file is not a JSON export of a self-assessment from Inclusion Toolkit.",
    ),
    "wrong version": (
        lambda base: _mutated(base, lambda d: d.update(version=2)),
        "The file uses format version 2; this toolkit reads version 1.",
    ),
    "unknown field": (
        lambda base: _mutated(base, lambda d: d.update(extra=1)),
        "The file: unknown field “extra”.",
    ),
    "unknown item ID": (
        lambda base: _mutated(base, lambda d: d["answers"][0].update(item="a9.c99")),
        "Answer 1: “a9.c99” is not a checklist item.",
    ),
    "bad answer value": (
        lambda base: _mutated(base, lambda d: d["answers"][0].update(value="maybe")),
        "Answer to a1.c1: “maybe” is not a valid answer (expected one of yes, partly, no, na).",
    ),
    "item that does not apply": (
        lambda base: _mutated(base, lambda d: d["answers"].append({"item": "a4.c15", "value": "yes", "comment": ""})),
        "Answer to a4.c15: this checklist item does not apply to this kind of organisation.",
    ),
    "over-long note": (
        lambda base: _mutated(base, lambda d: d["notes"][0].update(text="x" * 20_001)),
        "Notes on key area 1: too long (20001 characters; at most 20000).",
    ),
    "over-long comment": (
        lambda base: _mutated(base, lambda d: d["answers"][0].update(comment="x" * 2_001)),
        "Comment on a1.c1: too long (2001 characters; at most 2000).",
    ),
    "unknown area": (
        lambda base: _mutated(base, lambda d: d["notes"][0].update(area="a7")),
        "Note 1: “a7” is not a key area.",
    ),
    "wrong type": (
        lambda base: _mutated(base, lambda d: d.update(answers="yes")),
        "Answers: expected a list, found text.",
    ),
    "bad action status": (
        lambda base: _mutated(base, lambda d: d["actions"][-1].update(status="someday")),
        "Action 2: “someday” is not a valid status.",
    ),
    "bad due date": (
        lambda base: _mutated(base, lambda d: d["actions"][0].update(due_date="next week")),
        "Action 1: the due date must be a date like 2025-06-30.",
    ),
    "lone surrogate in a comment": (
        lambda base: _mutated(base, lambda d: d["answers"][0].update(comment="half \ud800 done")),
        "answers › 1 › comment: contains a character that cannot be stored (a NUL character or a lone surrogate).",
    ),
    "NUL in the title": (
        lambda base: _mutated(base, lambda d: d.update(title="Round\x00one")),
        "title: contains a character that cannot be stored",
    ),
    "NUL in a note": (
        lambda base: _mutated(base, lambda d: d["notes"][0].update(text="<p>a\x00b</p>")),
        "notes › 1 › text: contains a character that cannot be stored",
    ),
    "lone surrogate in an action owner": (
        lambda base: _mutated(base, lambda d: d["actions"][1].update(owner="\udfff")),
        "actions › 2 › owner: contains a character that cannot be stored",
    ),
    "lone surrogate as a checklist item": (
        lambda base: _mutated(base, lambda d: d["answers"][0].update(item="a1.c1\ud800")),
        "answers › 1 › item: contains a character that cannot be stored",
    ),
    "NUL in a field name": (
        lambda base: _mutated(base, lambda d: d["answers"][0].update({"comment\x00": ""})),
        "answers › 1 › a field name: contains a character that cannot be stored",
    ),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_import_explains_and_creates_nothing(client, assessment_b, case):
    Action.objects.create(assessment=assessment_b, item_id="a1.c1", area="a1", description="First")
    Action.objects.create(assessment=assessment_b, area="a0", description="Second")
    make_payload, message = MALFORMED[case]
    payload = make_payload(_valid_export(assessment_b))
    counts = [model.objects.count() for model in (Assessment, Answer, AreaNote, Action)]

    response = _upload(client, payload)

    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body
    assert message in body
    assert [model.objects.count() for model in (Assessment, Answer, AreaNote, Action)] == counts


def test_import_json_rejects_retired_items_before_writing(assessment_b):
    HandbookItem.objects.filter(key="a1.c1").update(retired_at=timezone.now())
    before = Assessment.objects.count()
    with pytest.raises(exports.ImportFileError) as raised:
        exports.import_json(_valid_export(assessment_b))
    assert str(raised.value) == "Answer to a1.c1: this checklist item has been retired and can no longer be answered."
    assert Assessment.objects.count() == before


def test_export_links_offer_every_format_and_the_import(assessment_a):
    with translation.override("en"):
        html = render_to_string("assessments/_export_links.html", {"assessment": assessment_a})

    for fmt in FORMATS:
        assert f'href="{_url(assessment_a, fmt)}"' in html
    assert 'href="/en/assessments/import/"' in html
