"""Search: diacritics and case do not matter, snippets are highlighted, bad queries are handled."""

import pytest
from django.urls import reverse
from django.utils import translation

from inclusion.handbook.search import fold, search


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
