"""PDFs of the handbook and of each key area, per language."""

import io

import pytest
from pypdf import PdfReader

from ..conftest import LANGUAGES


def _pdf_text(response) -> tuple[PdfReader, str]:
    # Reading the stream to its end closes the file (the test client closes it then).
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("language", LANGUAGES)
def test_whole_handbook_pdf_has_every_part(client, handbook, language):
    response = client.get(f"/{language}/handbook/pdf/")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    reader, text = _pdf_text(response)
    edition = handbook.edition(language)
    flat = " ".join(text.split())
    for area in edition.areas:
        assert " ".join(area.title.split()) in flat
    assert edition.glossary.terms[0].term in flat
    assert edition.criteria.criteria[4].title in flat
    assert handbook.version in flat  # the edition a printout came from
    assert len(reader.pages) > 40
    assert reader.outline, "the PDF has bookmarks for its chapters"


def test_area_pdf_holds_that_area_only(client, handbook):
    response = client.get("/en/handbook/areas/4/pdf/")
    assert response.status_code == 200
    _reader, text = _pdf_text(response)
    flat = " ".join(text.split())
    edition = handbook.edition("en")
    assert edition.area(4).checklist_items[-1].text[:40] in flat
    assert edition.area(5).title not in flat


def test_pdf_table_of_contents_has_page_numbers_and_links(client):
    response = client.get("/en/handbook/areas/2/pdf/")
    reader, _text = _pdf_text(response)
    toc_page = reader.pages[1]
    links = [annotation.get_object() for annotation in toc_page.get("/Annots", [])]
    assert any(link.get("/Subtype") == "/Link" for link in links)
    assert any(char.isdigit() for char in toc_page.extract_text())


def test_pdf_is_built_once_per_version(client, settings):
    b"".join(client.get("/lv/handbook/areas/3/pdf/").streaming_content)
    cached = list(settings.PDF_CACHE_DIR.glob("handbook-lv-area-3-*.pdf"))
    assert len(cached) == 1
    modified = cached[0].stat().st_mtime_ns
    b"".join(client.get("/lv/handbook/areas/3/pdf/").streaming_content)
    assert cached[0].stat().st_mtime_ns == modified


def test_unknown_area_pdf_is_404(client):
    assert client.get("/lv/handbook/areas/9/pdf/").status_code == 404
