"""Search: diacritics and case do not matter, snippets are highlighted, bad queries are handled."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from inclusion.handbook.search import fold, highlight, search, word_matches
from inclusion.handbook.stemming import english_stem, latvian_stem


def test_fold_removes_case_and_diacritics():
    assert fold("Bēgļi ŠĶĒRŠĻI") == "begli skersli"


@pytest.mark.parametrize("query", ["begli", "bēgļi", "BĒGĻI", "Begli"])
def test_latvian_search_ignores_diacritics_and_case(query):
    result = search("lv", query)
    assert not result.problem
    assert len(result.hits) > 20
    assert any("<mark>bēgļi</mark>" in hit.snippet.lower() for hit in result.hits)


def test_search_results_link_to_the_exact_section():
    with translation.override("en"):
        result = search("en", "twice a year")
        area_url = reverse("handbook:area", args=[4])
    urls = [hit.document.url for hit in result.hits]
    assert f"{area_url}#a4.c10" in urls


def test_all_terms_must_match():
    assert search("en", "feedback anonymous").hits
    assert not search("en", "feedback xylophone").hits


def test_snippet_escapes_and_marks():
    hit = next(hit for hit in search("en", "refugees").hits if hit.snippet)
    assert "<mark>" in hit.snippet
    assert "<script" not in hit.snippet


@pytest.mark.parametrize(
    ("query", "problem"),
    [("", "empty"), ("   ", "empty"), ("?!", "no_terms"), ("x", "no_terms"), ("a" * 500, "too_long")],
)
def test_unusable_queries_are_explained_not_errors(query, problem):
    assert search("lv", query).problem == problem


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("lv", "begli", "rezultāti"),
        ("en", "refugees", "results for"),
        ("lv", "", "Ierakstiet"),
        ("en", "", "Type one or more words"),
        ("en", "zzzqqq", "Nothing in the handbook matches"),
        ("en", "<script>alert(1)</script>", "Nothing in the handbook matches"),
        ("en", "a" * 5000, "too long"),
    ],
)
def test_search_page(client, language, query, expected):
    response = client.get(f"/{language}/handbook/search/", {"q": query})
    assert response.status_code == 200
    body = response.content.decode()
    assert expected in body
    assert "<script>alert(1)</script>" not in body


def test_search_page_points_to_the_other_language_when_nothing_matches(client):
    response = client.get("/lv/handbook/search/", {"q": "volunteering"})
    assert response.status_code == 200
    assert 'href="/en/handbook/search/?q=volunteering"' in response.content.decode()


# Latvian word forms: a query in the nominative finds the inflected form the handbook uses.
LATVIAN_FORMS = [
    ("tulks", "tulkus"),
    ("tulki", "tulkošanas"),
    ("bēglis", "bēgļiem"),
    ("pašvaldība", "pašvaldībām"),
    ("valoda", "valodās"),
    ("sieviete", "sievietēm"),
    ("bērns", "bērniem"),
    ("ģimene", "ģimenēm"),
    ("brīvprātīgais", "brīvprātīgajiem"),
    ("mājoklis", "mājokļa"),
    ("izglītība", "izglītībā"),
    ("pakalpojums", "pakalpojumiem"),
    ("organizācija", "organizācijām"),
    ("skola", "skolās"),
    ("iedzīvotājs", "iedzīvotājiem"),
    ("jaunietis", "jauniešu"),
    ("meklētājs", "meklētājiem"),
    ("vajadzība", "vajadzībām"),
    ("atbalsts", "atbalstu"),
    ("pilsēta", "pilsētās"),
    ("migrants", "migrantiem"),
    ("iestāde", "iestādēm"),
    ("kurss", "kursos"),
    ("nauda", "naudas"),
    ("dzīvoklis", "dzīvokļus"),
    ("pārstāvis", "pārstāvjiem"),
    ("zeme", "zemē"),
    ("mentors", "mentorus"),
    ("darbinieks", "darbiniekiem"),
]

ENGLISH_FORMS = [
    ("policy", "policies"),
    ("family", "families"),
    ("child", "children"),
    ("woman", "women"),
    ("approach", "approaches"),
    ("community", "communities"),
    ("volunteer", "volunteers"),
    ("city", "cities"),
    ("opportunities", "opportunity"),
    ("authorities", "authority"),
    ("activities", "activity"),
    ("services", "service"),
]


def _found_words(hit) -> set[str]:
    return set(re.findall(r"\w+", fold(hit.document.title + " " + hit.document.text)))


@pytest.mark.parametrize(("query", "form"), [*LATVIAN_FORMS, ("tulk", "tulkus"), ("TULKS", "tulkošanas")])
def test_latvian_query_finds_other_word_forms(query, form):
    result = search("lv", query)
    assert any(fold(form) in _found_words(hit) for hit in result.hits), f"{query} should find {form}"


@pytest.mark.parametrize(("query", "form"), ENGLISH_FORMS)
def test_english_query_finds_singular_and_plural(query, form):
    result = search("en", query)
    assert any(form in _found_words(hit) for hit in result.hits), f"{query} should find {form}"


def test_at_least_twenty_latvian_pairs():
    assert len(LATVIAN_FORMS) >= 20


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("tulks", "tulk"),
        ("tulki", "tulk"),
        ("tulkus", "tulk"),
        ("begliem", "begl"),
        ("zemju", "zem"),
        ("brivpratigajiem", "brivpratig"),
        ("ar", "ar"),
    ],
)
def test_latvian_stemmer(word, stem):
    assert latvian_stem(word) == stem


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("policies", "policy"),
        ("services", "service"),
        ("approaches", "approach"),
        ("refugees", "refugee"),
        ("children", "child"),
        ("focus", "focus"),
        ("access", "access"),
        ("basis", "basis"),
    ],
)
def test_english_stemmer(word, stem):
    assert english_stem(word) == stem


def test_exact_forms_rank_first():
    hits = search("lv", "bēgļi").hits
    assert hits[0].exact
    exact = [hit.exact for hit in hits]
    assert exact == sorted(exact, reverse=True), "every hit with the exact form comes before the others"
    assert "begli" in _found_words(hits[0])
    assert any(not hit.exact for hit in hits), "other forms are found too"


def test_stem_matches_are_marked_in_snippets():
    hits = search("lv", "tulks").hits
    assert any("<mark>tulkus</mark>" in hit.snippet for hit in hits)
    with translation.override("lv"):
        assert "<mark>Tulkošanas</mark>" in highlight("Tulkošanas pakalpojumi", ["tulks"])


def test_short_stems_do_not_match_every_word_they_start():
    # "dati" has the stem "dat": it must not find "datora" or "datums" by their start.
    assert word_matches("datu", "dat", "dati", "dat", "lv")
    assert not word_matches("datora", "dator", "dati", "dat", "lv")


def test_no_results_suggests_related_words_that_find_something():
    result = search("lv", "integrācijas politka")
    assert not result.hits
    assert result.suggestions
    assert any("politika" in suggestion for suggestion in result.suggestions)
    for suggestion in result.suggestions:
        assert search("lv", suggestion).hits


def test_no_results_suggests_a_shorter_form():
    result = search("lv", "tulkotājiem")
    assert not result.hits
    assert any(len(suggestion) < len("tulkotājiem") for suggestion in result.suggestions)
    assert all(search("lv", suggestion).hits for suggestion in result.suggestions)


def test_no_suggestions_for_nonsense():
    assert search("en", "zzzqqq").suggestions == []


def test_search_page_offers_the_suggestions(client):
    body = client.get("/lv/handbook/search/", {"q": "integrācijas politka"}).content.decode()
    assert "search-suggestions" in body
    assert "/lv/handbook/search/?q=integr%C4%81cijas%20politika" in body


def test_endorsements_are_searchable():
    assert any(hit.document.url.endswith("#endorsements") for hit in search("en", "Grotheer").hits)
