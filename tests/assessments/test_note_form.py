"""Issue 11, "Notes keep their form": the same safe subset on the page, in the PDF and XLSX."""

from inclusion.assessments.exports import note_plain_text, summary_pdf_html
from inclusion.assessments.notes import save_note

NOTE = "We ask at intake.\nThen we call back.\n\n- **Families** first\n- interpreters\n\n<script>alert(1)</script>Done."


def test_summary_page_keeps_paragraphs_lists_and_bold(client, editor_a, assessment_a):
    save_note(assessment_a, "a1", NOTE, 0, editor_a)
    client.force_login(editor_a)
    page = client.get(f"/en/assessments/{assessment_a.public_id}/summary/").content.decode()
    note = page[page.index('<div class="note-text">') :]
    note = note[: note.index("</div>")]
    assert "<p>We ask at intake.<br>\nThen we call back.</p>" in note
    assert "<ul>\n<li><strong>Families</strong> first</li>\n<li>interpreters</li>\n</ul>" in note
    assert "**" not in note
    assert "<script" not in note and "alert" not in note


def test_pdf_renders_the_same_subset(assessment_a, editor_a):
    save_note(assessment_a, "a1", NOTE, 0, editor_a)
    html = summary_pdf_html(assessment_a, "en")
    assert "<li><strong>Families</strong> first</li>" in html
    assert "**Families**" not in html
    assert "<script" not in html


def test_spreadsheet_cell_is_plain_text_with_line_breaks():
    assert note_plain_text(NOTE) == "We ask at intake.\nThen we call back.\n- Families first\n- interpreters\nDone."
    # Notes saved as HTML by earlier versions read the same way.
    assert note_plain_text("<p>first</p><p>second &amp; third</p>") == "first\nsecond & third"
