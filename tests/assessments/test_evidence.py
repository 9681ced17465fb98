"""Evidence per checklist item: links, short texts and files, who may add, see and remove
them, how files are checked and handed out, where they are stored and when they go."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from inclusion.assessments.evidence import add_evidence, safe_filename
from inclusion.assessments.models import Assessment, Evidence
from inclusion.assessments.rounds import delete_round, sign_off_round, start_next_round
from inclusion.core.filetypes import PNG, detect
from inclusion.handbook.models import HandbookItem

from . import evidence_files as files

ITEM = "a1.c1"


def _url(assessment, suffix=""):
    return f"/en/assessments/{assessment.public_id}/evidence/{suffix}"


def _upload(data: bytes, name: str, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _add(client, assessment, item=ITEM, htmx=False, **data):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(_url(assessment, f"{item}/"), data, **headers)


def _stored(evidence) -> bytes:
    with storages["evidence"].open(evidence.stored_name, "rb") as file:
        return file.read()


def _all_files() -> list:
    root = Path(storages["evidence"].location)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


# --- adding, listing, removing ------------------------------------------------------------


def test_editor_adds_a_link_a_text_and_a_file_without_javascript(editor_a_client, assessment_a):
    response = _add(
        editor_a_client,
        assessment_a,
        url="https://example.org/report",
        text="Minutes of the council meeting",
        file=_upload(files.pdf(), "minutes.pdf"),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/en/assessments/{assessment_a.public_id}/areas/1/#{ITEM}"
    evidence = Evidence.objects.get(assessment=assessment_a)
    assert (evidence.url, evidence.text, evidence.file_name) == (
        "https://example.org/report",
        "Minutes of the council meeting",
        "minutes.pdf",
    )
    assert evidence.content_type == "application/pdf"
    assert _stored(evidence) == files.pdf()
    # Not under a served URL: the name is ours, the person's name is only for the download.
    assert "minutes" not in evidence.stored_name

    page = editor_a_client.get(f"/en/assessments/{assessment_a.public_id}/areas/1/").content.decode()
    assert "https://example.org/report" in page
    assert "Minutes of the council meeting" in page
    assert f"/en/assessments/{assessment_a.public_id}/evidence/{evidence.pk}/file/" in page
    assert 'id="evidence-form-a1c1"' in page and 'form="evidence-form-a1c1"' in page


def test_htmx_add_answers_the_items_evidence_block(editor_a_client, assessment_a):
    response = _add(editor_a_client, assessment_a, htmx=True, url="https://example.org/a")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="evidence" id="evidence-a1c1"')
    assert "https://example.org/a" in body
    assert "<html" not in body


def test_viewer_sees_evidence_but_cannot_add_or_remove(viewer_a_client, assessment_a, editor_a):
    item = HandbookItem.objects.get(key=ITEM)
    evidence = add_evidence(assessment_a, item, text="Signed agreement", user=editor_a)
    page = viewer_a_client.get(f"/en/assessments/{assessment_a.public_id}/areas/1/").content.decode()
    assert "Signed agreement" in page
    assert "evidence-form-" not in page and "Add evidence" not in page
    assert _add(viewer_a_client, assessment_a, text="Mine").status_code == 403
    assert viewer_a_client.post(_url(assessment_a, f"{evidence.pk}/delete/")).status_code == 403
    assert list(Evidence.objects.values_list("text", flat=True)) == ["Signed agreement"]


def test_editor_removes_evidence_and_its_file(editor_a_client, assessment_a, django_capture_on_commit_callbacks):
    _add(editor_a_client, assessment_a, file=_upload(files.image("PNG"), "photo.png", "image/png"))
    evidence = Evidence.objects.get()
    storage = storages["evidence"]
    assert storage.exists(evidence.stored_name)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_a_client.post(_url(assessment_a, f"{evidence.pk}/delete/"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "No evidence yet." in response.content.decode()
    assert not Evidence.objects.exists()
    assert not storage.exists(evidence.stored_name)


def test_read_only_and_signed_off_rounds_refuse_changes(editor_a_client, owner_a, assessment_a):
    item = HandbookItem.objects.get(key=ITEM)
    evidence = add_evidence(assessment_a, item, text="Before sign-off")
    sign_off_round(assessment_a, "Anna Bērziņa", assessment_a.created_at.date(), owner_a)
    assert _add(editor_a_client, assessment_a, text="After").status_code == 403
    assert editor_a_client.post(_url(assessment_a, f"{evidence.pk}/delete/")).status_code == 403
    later = start_next_round(Assessment.objects.get(pk=assessment_a.pk))
    assert later.round_number == 2
    assert _add(editor_a_client, assessment_a, text="Closed").status_code == 403
    assert Evidence.objects.filter(assessment=assessment_a).count() == 1


def test_not_a_checklist_item_is_404(editor_a_client, assessment_a):
    assert _add(editor_a_client, assessment_a, item="a1.c999", text="x").status_code == 404
    assert editor_a_client.get(_url(assessment_a, "a1/")).status_code == 404


# --- bad input keeps the rest of the form ------------------------------------------------


def test_file_over_the_limit_is_explained_and_link_and_text_are_kept(editor_a_client, assessment_a, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024
    big = files.pdf() + b"%" * (3072 - len(files.pdf()))
    response = _add(
        editor_a_client,
        assessment_a,
        url="https://example.org/kept",
        text="Typed and kept",
        file=_upload(big, "big.pdf"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "is too large (3.0\xa0KB); files can be at most 1.0\xa0KB." in page
    assert 'value="https://example.org/kept"' in page and 'value="Typed and kept"' in page
    assert not Evidence.objects.exists()
    assert _all_files() == []


@pytest.mark.parametrize(
    ("data", "name", "browser_type"),
    [
        (files.HTML, "report.pdf", "application/pdf"),  # HTML renamed .pdf
        (files.SVG, "chart.svg", "image/svg+xml"),
        (files.SVG, "chart.png", "image/png"),
        (files.POLYGLOT_GIF, "image.gif", "image/gif"),
        (files.POLYGLOT_PDF, "doc.pdf", "application/pdf"),
        (b"MZ\x90\x00 not a document", "tool.docx", "application/vnd.ms-word"),
        (files._zip({"hello.txt": b"zip, not a document"}), "report.docx", "application/zip"),
        (files.ole("Something"), "legacy.doc", "application/msword"),
        (b"GIF89a broken", "broken.gif", "image/gif"),
    ],
)
def test_refused_types_are_explained_over_htmx_and_text_is_kept(
    editor_a_client, assessment_a, data, name, browser_type
):
    response = _add(editor_a_client, assessment_a, htmx=True, text="Keep me", file=_upload(data, name, browser_type))
    assert response.status_code == 400
    body = response.content.decode()
    assert "cannot be attached: its content is not a kind we accept" in body
    assert 'value="Keep me"' in body
    assert not Evidence.objects.exists()


def test_only_web_links_are_accepted(editor_a_client, assessment_a):
    for bad in ("javascript:alert(1)", "ftp://example.org/x", "data:text/html,<script>"):
        response = _add(editor_a_client, assessment_a, url=bad, text="described")
        assert response.status_code == 400
        assert "Enter a web address that starts with http:// or https://." in response.content.decode()
    assert not Evidence.objects.exists()
    assert _add(editor_a_client, assessment_a, url="example.org/page").status_code == 302
    assert Evidence.objects.get().url == "https://example.org/page"


def test_a_stored_link_that_is_not_a_web_address_is_never_a_link(viewer_a_client, assessment_a):
    """Rows that did not come through the form (an organisation backup) are shown as text."""
    Evidence.objects.create(assessment=assessment_a, item_id=ITEM, url="javascript:alert(1)")
    page = viewer_a_client.get(f"/en/assessments/{assessment_a.public_id}/areas/1/").content.decode()
    assert '<span class="evidence-text">javascript:alert(1)</span>' in page
    assert 'href="javascript:' not in page


def test_empty_form_is_explained(editor_a_client, assessment_a):
    response = _add(editor_a_client, assessment_a)
    assert response.status_code == 400
    assert "Give a link, a short description or a file." in response.content.decode()


def test_items_that_do_not_apply_to_the_organisation_take_no_evidence(editor_a_client, assessment_a, edition):
    from inclusion.assessments.answers import item_applies

    ngo_only = [item.id for area in edition.areas for item in area.checklist_items if not item_applies(item, "ngo")]
    assessment_a.organisation_kind = "ngo"
    assessment_a.save()
    assert ngo_only, "the handbook has items for authorities only"
    assert _add(editor_a_client, assessment_a, item=ngo_only[0], text="x").status_code == 404


# --- the type check -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "extension"),
    [
        (files.pdf(), "pdf"),
        (files.image("PNG"), "png"),
        (files.image("JPEG"), "jpg"),
        (files.image("WEBP"), "webp"),
        (files.image("GIF"), "gif"),
        (files.docx(), "docx"),
        (files.xlsx(), "xlsx"),
        (files.pptx(), "pptx"),
        (files.odt(), "odt"),
        (files.ods(), "ods"),
        (files.ole("WordDocument"), "doc"),
        (files.ole("Workbook"), "xls"),
    ],
)
def test_allowed_kinds_are_recognised_by_content(data, extension):
    found = detect(io.BytesIO(data))
    assert found is not None and found.extension == extension


@pytest.mark.parametrize(
    "data",
    [files.HTML, files.SVG, files.POLYGLOT_GIF, files.POLYGLOT_PDF, b"", b"%PDF-1.4 no end", "<svg>".encode("utf-16")],
)
def test_markup_and_broken_files_are_not_recognised(data):
    assert detect(io.BytesIO(data)) is None


def test_safe_filename():
    assert safe_filename("../../etc/passwd.html", PNG) == "passwd.png"
    assert safe_filename('C:\\Users\\x\\"evil";\r\n.png', PNG) == "evil.png"
    assert safe_filename("Pārskats 2026.png", PNG) == "Pārskats 2026.png"
    assert safe_filename("", PNG) == "evidence.png"


# --- downloads ----------------------------------------------------------------------------


def test_members_download_files_only_as_attachments(editor_a_client, viewer_a_client, assessment_a):
    _add(editor_a_client, assessment_a, file=_upload(files.image("PNG"), "Pārskats <b>.html", "text/html"))
    evidence = Evidence.objects.get()
    assert evidence.file_name == "Pārskats b.png"
    response = viewer_a_client.get(_url(assessment_a, f"{evidence.pk}/file/"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.image("PNG")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''P%C4%81rskats%20b.png" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def _with_file(assessment, data=None, name="proof.pdf", text=""):
    item = HandbookItem.objects.get(key=ITEM)
    data = data if data is not None else files.pdf()
    upload = _upload(data, name)
    return add_evidence(assessment, item, text=text, upload=upload, kind=detect(upload))


def test_outsiders_and_other_assessments_get_404(outsider_client, editor_b_client, assessment_a, assessment_b):
    evidence = _with_file(assessment_a)
    file_url = _url(assessment_a, f"{evidence.pk}/file/")
    assert outsider_client.get(file_url).status_code == 404
    assert Client().get(file_url).status_code == 404
    assert outsider_client.get(_url(assessment_a, f"{ITEM}/")).status_code == 404
    # B's editor may open B's assessment, but A's evidence is not reachable through it.
    assert editor_b_client.get(_url(assessment_b, f"{evidence.pk}/file/")).status_code == 404
    assert editor_b_client.post(_url(assessment_b, f"{evidence.pk}/delete/")).status_code == 404
    assert Evidence.objects.count() == 1


def test_evidence_page_without_javascript(viewer_a_client, editor_a_client, assessment_a):
    _with_file(assessment_a, text="On file")
    page = viewer_a_client.get(_url(assessment_a, f"{ITEM}/")).content.decode()
    assert "On file" in page and "Add evidence" not in page
    page = editor_a_client.get(_url(assessment_a, f"{ITEM}/")).content.decode()
    assert "Add evidence" in page and 'enctype="multipart/form-data"' in page


# --- exports and deletion -----------------------------------------------------------------


def test_json_and_xlsx_exports_list_the_evidence(editor_a_client, assessment_a):
    _add(editor_a_client, assessment_a, url="https://example.org/r", text="Report", file=_upload(files.pdf(), "r.pdf"))
    data = json.loads(editor_a_client.get(f"/en/assessments/{assessment_a.public_id}/export.json").content)
    assert data["evidence"] == [
        {
            "item": ITEM,
            "url": "https://example.org/r",
            "text": "Report",
            "file_name": "r.pdf",
            "content_type": "application/pdf",
            "size": len(files.pdf()),
            "added_at": data["evidence"][0]["added_at"],
        }
    ]
    xlsx = editor_a_client.get(f"/en/assessments/{assessment_a.public_id}/export.xlsx").content
    sheet = load_workbook(io.BytesIO(xlsx))["Evidence"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][4:] == ["Link", "Short description", "Attached file"]
    assert rows[1][2:] == [ITEM, rows[1][3], "https://example.org/r", "Report", "r.pdf"]


def test_pdf_report_lists_each_areas_evidence_under_that_area(editor_a_client, assessment_a):
    from pypdf import PdfReader

    _add(
        editor_a_client,
        assessment_a,
        url="https://example.org/r",
        text="Council <report>",
        file=_upload(files.pdf(), "r.pdf"),
    )
    _add(editor_a_client, assessment_a, item="a3.c1", text="Minutes of the March meeting")
    pdf = editor_a_client.get(f"/lv/assessments/{assessment_a.public_id}/export.pdf").content
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())

    # Key area 1's section holds its evidence (link, text, file name); key area 3's, its own.
    # (Each title is in the chart and the overview first; its section's heading comes last.)
    area_1, area_3 = text.rindex("1. Skaidrība par bēgļiem"), text.rindex("3. Pakalpojumu izveide")
    first = text.index("Pierādījumi", area_1)
    assert first < area_3
    assert "1. Council <report> https://example.org/r Pievienotais fails: r.pdf" in text[first:area_3]
    assert text.index("Minutes of the March meeting") > text.index("Pierādījumi", area_3)


def test_exported_json_with_evidence_imports_again(editor_a_client, assessment_a, org_a):
    _add(editor_a_client, assessment_a, url="https://example.org/r")
    exported = editor_a_client.get(f"/en/assessments/{assessment_a.public_id}/export.json").content
    response = editor_a_client.post(
        "/en/assessments/import/",
        {"file": _upload(exported, "export.json", "application/json"), "organisation": str(org_a.pk)},
    )
    assert response.status_code == 302


def test_deleting_a_round_or_organisation_removes_the_files(
    owner_a_client, assessment_a, org_a, django_capture_on_commit_callbacks
):
    storage = storages["evidence"]
    first = _with_file(assessment_a)
    second_round = start_next_round(assessment_a)
    second = _with_file(second_round, files.image("GIF"), "x.gif")
    assert storage.exists(first.stored_name) and storage.exists(second.stored_name)
    confirmation = owner_a_client.get(f"/en/assessments/{second_round.public_id}/round/delete/").content.decode()
    assert "1 piece of evidence (link, text or file; files are deleted)" in confirmation
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_a_client.post(f"/en/assessments/{second_round.public_id}/round/delete/")
    assert response.status_code == 302
    assert not storage.exists(second.stored_name)
    assert storage.exists(first.stored_name)
    with django_capture_on_commit_callbacks(execute=True):
        org_a.delete()
    assert not storage.exists(first.stored_name)
    assert not Evidence.objects.exists()


def test_a_failed_save_leaves_no_file_behind(assessment_a, owner_a):
    sign_off_round(assessment_a, "Anna", assessment_a.created_at.date(), owner_a)
    with pytest.raises(Exception, match="closed"):
        _with_file(assessment_a)
    assert _all_files() == []


def test_delete_round_service_keeps_other_rounds_files(assessment_a, django_capture_on_commit_callbacks):
    first = _with_file(assessment_a)
    later = start_next_round(assessment_a)
    with django_capture_on_commit_callbacks(execute=True):
        delete_round(later)
    assert storages["evidence"].exists(first.stored_name)


# --- keeping the previous round's evidence ---------------------------------------------------


def _area(client, assessment, number=1) -> str:
    return client.get(f"/en/assessments/{assessment.public_id}/areas/{number}/").content.decode()


def test_next_round_keeps_the_previous_rounds_evidence_once_sharing_its_file(
    editor_a_client, assessment_a, django_capture_on_commit_callbacks
):
    first = _with_file(assessment_a, text="Council report")
    later = start_next_round(assessment_a)
    assert not Evidence.objects.filter(assessment=later).exists()  # a new round starts without it
    page = _area(editor_a_client, later)
    assert "Evidence from round 1, not yet kept for this round:" in page
    assert "Keep for this round" in page and "Council report" in page

    keep = _url(later, f"{first.pk}/keep/")
    assert editor_a_client.post(keep).status_code == 302
    assert editor_a_client.post(keep).status_code == 302  # Back and send again: still one
    kept = Evidence.objects.get(assessment=later)
    assert (kept.kept_from, kept.text, kept.stored_name, kept.file_name) == (
        first,
        "Council report",
        first.stored_name,
        first.file_name,
    )
    download = editor_a_client.get(_url(later, f"{kept.pk}/file/"))
    assert b"".join(download.streaming_content) == files.pdf()
    assert "Keep for this round" not in _area(editor_a_client, later)
    history = editor_a_client.get(f"/en/assessments/{later.public_id}/history/").content.decode()
    assert "kept evidence from round 1 for item 1.1" in history

    # The file is shared: it stays while either round still has the evidence.
    with django_capture_on_commit_callbacks(execute=True):
        editor_a_client.post(_url(later, f"{kept.pk}/delete/"))
    assert storages["evidence"].exists(first.stored_name)
    assert "Keep for this round" in _area(editor_a_client, later)  # offered again


def test_keep_with_htmx_answers_the_items_block(editor_a_client, assessment_a):
    first = add_evidence(assessment_a, HandbookItem.objects.get(key=ITEM), url="https://example.org/plan")
    later = start_next_round(assessment_a)
    response = editor_a_client.post(_url(later, f"{first.pk}/keep/"), HTTP_HX_REQUEST="true")
    block = response.content.decode()
    assert response.status_code == 200
    assert block.lstrip().startswith('<section class="evidence" id="evidence-a1c1"')
    assert 'href="https://example.org/plan"' in block and "Keep for this round" not in block


def test_only_an_editor_of_the_open_next_round_may_keep(
    editor_a_client, viewer_a_client, owner_a, assessment_a, assessment_b
):
    first = add_evidence(assessment_a, HandbookItem.objects.get(key=ITEM), text="Minutes")
    other = add_evidence(assessment_b, HandbookItem.objects.get(key=ITEM), text="Another organisation's")
    # A first round has nothing to keep; a round cannot keep its own evidence.
    assert editor_a_client.post(_url(assessment_a, f"{first.pk}/keep/")).status_code == 404
    later = start_next_round(assessment_a)
    assert "Keep for this round" not in _area(viewer_a_client, later)
    assert viewer_a_client.post(_url(later, f"{first.pk}/keep/")).status_code == 403
    assert editor_a_client.post(_url(later, f"{other.pk}/keep/")).status_code == 404
    sign_off_round(later, "Anna Bērziņa", later.created_at.date(), owner_a)
    assert "Keep for this round" not in _area(editor_a_client, later)
    assert editor_a_client.post(_url(later, f"{first.pk}/keep/")).status_code == 403
    assert not Evidence.objects.filter(assessment=later).exists()


def test_a_later_round_offers_only_the_round_just_before(editor_a_client, assessment_a):
    add_evidence(assessment_a, HandbookItem.objects.get(key=ITEM), text="From round one")
    second = start_next_round(assessment_a)
    add_evidence(second, HandbookItem.objects.get(key=ITEM), text="From round two")
    third = start_next_round(second)
    page = _area(editor_a_client, third)
    assert "Evidence from round 2" in page and "From round two" in page
    assert "From round one" not in page


# --- queries ------------------------------------------------------------------------------


def test_area_page_queries_do_not_grow_with_evidence(editor_a_client, assessment_a, django_assert_num_queries):
    url = f"/en/assessments/{assessment_a.public_id}/areas/1/"
    _with_file(assessment_a, text="one")
    editor_a_client.get(url)
    with django_assert_num_queries(8) as few:
        editor_a_client.get(url)
    for key in ("a1.c1", "a1.c2", "a1.c3"):
        item = HandbookItem.objects.get(key=key)
        for number in range(5):
            add_evidence(assessment_a, item, url=f"https://example.org/{key}/{number}", text="more")
            _with_file(assessment_a, text=f"file {key} {number}")
    with django_assert_num_queries(len(few.captured_queries)):
        page = editor_a_client.get(url)
    assert page.content.decode().count('class="evidence-file"') == 16


def test_next_rounds_area_page_queries_do_not_grow_with_earlier_evidence(
    editor_a_client, assessment_a, django_assert_num_queries
):
    _with_file(assessment_a, text="one")
    later = start_next_round(assessment_a)
    url = f"/en/assessments/{later.public_id}/areas/1/"
    editor_a_client.get(url)
    with django_assert_num_queries(9) as few:  # the area page's 8 and the earlier evidence
        editor_a_client.get(url)
    for key in ("a1.c1", "a1.c2", "a1.c3"):  # round 1 is closed: rows as an earlier session left them
        for number in range(5):
            Evidence.objects.create(assessment=assessment_a, item_id=key, text=f"old {key} {number}")
    with django_assert_num_queries(len(few.captured_queries)):
        page = editor_a_client.get(url)
    assert page.content.decode().count("Keep for this round") == 16


def test_zip_check_does_not_unpack_documents():
    """A zip whose entries are huge when unpacked is judged by its names alone."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", b"<Types/>")
        package.writestr("word/document.xml", b"\0" * 50_000_000)
    assert detect(buffer).extension == "docx"
