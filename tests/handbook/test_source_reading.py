"""The defects found reading the content against the seed stay fixed (issue 15).

Also: project-written text is marked ``editorial`` in the data and on the page, and the
handbook's endorsements and the source of the assessment thresholds are there.
"""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from ..conftest import LANGUAGES

AREA_3_FOOTNOTE_ITEMS = {"a3.c2", "a3.c10", "a3.c11", "a3.c12", "a3.c13", "a3.c15"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_area_3_footnote_items_do_not_apply_to_ngos(handbook, language):
    items = {item.id: item.applies_to for item in handbook.edition(language).area(3).checklist_items}
    assert {item_id for item_id, applies_to in items.items() if applies_to == "not_ngo"} == AREA_3_FOOTNOTE_ITEMS
    assert "authority" not in items.values(), "area 3's footnote is about NGOs, not about authorities"


@pytest.mark.parametrize("language", LANGUAGES)
def test_equality_plans_apply_to_all(handbook, language):
    item = next(item for item in handbook.edition(language).area(2).checklist_items if item.id == "a2.c15")
    assert item.applies_to == "all"


def test_content_docs_give_area_3_as_the_not_ngo_example(settings):
    text = (settings.BASE_DIR / "docs" / "content.md").read_text(encoding="utf-8")
    assert "a3.c10 funding NGOs" in text
    assert "(area 4's local-authority checklist, funding NGOs" not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_project_written_text_is_marked_editorial(handbook, language):
    edition = handbook.edition(language)
    area_5 = edition.area(5)
    assert all(factor.editorial for factor in area_5.success_factors)
    assert not any(factor.editorial for area in edition.areas[:4] for factor in area.success_factors)
    groups = [group for area in edition.areas for group in area.checklist.groups]
    assert all(group.editorial for group in groups if group.id != "a4.g3")
    assert not next(group for group in groups if group.id == "a4.g3").editorial  # the handbook's own heading
    assert all(practice.editorial for area in edition.areas for practice in area.practices)
    assert edition.summary.editorial
    assert edition.criteria.thresholds.editorial


@pytest.mark.parametrize("language", LANGUAGES)
def test_thresholds_say_where_they_come_from(handbook, language):
    thresholds = handbook.edition(language).criteria.thresholds
    for figure in ("66", "70", "50", "66–75", "MPG"):
        assert figure in thresholds.note + thresholds.source


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_three_endorsements_are_there(handbook, language):
    quotes = handbook.edition(language).front.endorsements.quotes
    assert len(quotes) == 3
    assert "EUROCITIES" in quotes[0].role
    assert "Grotheer" in quotes[2].author
    assert all(quote.text and quote.author and quote.role for quote in quotes)


@pytest.mark.parametrize(
    ("language", "file_getter", "expected", "wrong"),
    [
        ("lv", lambda e: e.front.sections[2].body, "paraugprakses pasākumiem", "labās prakses pasākumiem"),
        ("lv", lambda e: e.area(3).success_factors[2].description, "Daudzveidības iekļaušana", "Iekļaujiet"),
        ("lv", lambda e: e.area(2).practices[7].text, "pamatprasmes un iegūt", "palīdzēt viņiem"),
        ("lv", lambda e: e.area(4).success_factors[1].description, "sniedziet regulāras", "rīkojiet"),
        ("lv", lambda e: e.area(4).resources[5].summary, "nosaka virkni", "apkopo"),
        ("lv", lambda e: e.area(6).success_factors[1].description, "valsts un vietējo politiku", None),
        ("lv", lambda e: e.area(6).resources[0].title, "(AMID)", None),
        ("lv", lambda e: e.area(6).resources[0].summary, "ziņojumā", "pārskatā"),
        ("en", lambda e: e.area(6).practices[3].text, "first and only", "first and few"),
        ("en", lambda e: e.area(6).success_factors[1].description, "national and local policy", None),
        ("en", lambda e: e.area(2).practices[2].text, "open twice a week", "available twice a week"),
        ("en", lambda e: e.area(2).practices[6].text, "before the age of 14", "up to the age of 14"),
        ("en", lambda e: e.area(3).success_factors[0].description, "national and local authorities", None),
        ("en", lambda e: e.area(3).practices[0].text, "monthly group meetings and one-to-one meetings", None),
        ("en", lambda e: e.area(4).practices[10].title, "For the Earth Association's Women's Meeting Club", None),
        ("en", lambda e: e.area(4).practices[11].text, '"Nothing about us without us"', "– locally"),
        ("en", lambda e: e.area(2).intro, "people living outside the main cities", "living in the regions"),
    ],
)
def test_wording_follows_the_seed(handbook, language, file_getter, expected, wrong):
    text = file_getter(handbook.edition(language))
    assert expected in text
    if wrong:
        assert wrong not in text


def test_glossary_integration_keeps_the_host_society(handbook):
    term = next(term for term in handbook.edition("lv").glossary.terms if term.id == "g.integration")
    assert "uzņēmējvalsts sabiedrības" in term.definition


def test_brussels_organisation_agrees_between_languages(handbook):
    lv = next(p for p in handbook.edition("lv").area(6).practices if p.id == "a6.p9")
    en = next(p for p in handbook.edition("en").area(6).practices if p.id == "a6.p9")
    assert (lv.organisation, en.organisation) == ("Briseles pašvaldība", "Brussels authorities")


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_show_editorial_marks_endorsements_and_thresholds(client, language):
    area = client.get(f"/{language}/handbook/areas/5/").content.decode()
    assert area.count("editorial-mark") >= 5 + 2 + 8  # success factors, group titles, practice titles
    assert "editorial-note" in area
    summary = client.get(f"/{language}/handbook/summary-checklist/").content.decode()
    assert "editorial-mark" in summary
    criteria = client.get(f"/{language}/handbook/assessment-table/").content.decode()
    assert "thresholds-note" in criteria and "66–75" in criteria
    contents = client.get(f"/{language}/handbook/").content.decode()
    assert contents.count('class="endorsement"') == 3
    assert "Grotheer" in contents


def test_scoring_rules_say_where_the_thresholds_come_from(client):
    body = client.get("/en/practices/scoring/").content.decode()
    assert "thresholds-note" in body and "66–75" in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdf_shows_editorial_marks_endorsements_and_thresholds(handbook, language):
    edition = handbook.edition(language)
    with translation.override(language):
        html = render_to_string(
            "handbook/pdf/document.html",
            {"edition": edition, "areas": edition.areas, "whole": True, "content_version": "x", "language": language},
        )
    assert "editorial-note" in html
    assert html.count("editorial-mark") >= 62 + 5 + 1 + 1  # practice titles, area 5 factors, summary, thresholds
    assert html.count('class="endorsement"') == 3
    assert "thresholds-note" in html
