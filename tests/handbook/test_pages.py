"""The reader: every page answers in both languages, links between languages, stays bounded."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from ..conftest import LANGUAGES

PAGES = [
    ("home", []),
    ("handbook:contents", []),
    ("handbook:foreword", []),
    ("handbook:introduction", []),
    *[("handbook:area", [n]) for n in range(1, 7)],
    ("handbook:summary", []),
    ("handbook:criteria", []),
    ("handbook:glossary", []),
    ("handbook:search", []),
]


def url(name, args, language):
    with translation.override(language):
        return reverse(name, args=args)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "args"), PAGES)
def test_every_page_answers_in_every_language(client, db, name, args, language, django_assert_num_queries):
    address = url(name, args, language)
    assert address.startswith(f"/{language}/")
    with django_assert_num_queries(0):  # the handbook is read from the content files, not the database
        response = client.get(address)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}" dir="ltr">' in body
    for other in LANGUAGES:
        assert f'hreflang="{other}" href="http://testserver{url(name, args, other)}"' in body


def test_language_switcher_keeps_the_page_and_query(client):
    body = client.get("/lv/handbook/search/?q=begli").content.decode()
    assert re.search(r'<a href="/en/handbook/search/\?q=begli" hreflang="en" lang="en"', body)
    body = client.get("/en/handbook/areas/4/").content.decode()
    assert '<a href="/lv/handbook/areas/4/" hreflang="lv" lang="lv"' in body


def test_root_redirects_to_latvian_by_default(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/lv/"


def test_root_follows_the_browsers_language(client):
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert response.headers["Location"] == "/en/"


def test_area_page_has_every_section_and_item_anchor(client, handbook):
    area = handbook.edition("en").area(4)
    body = client.get("/en/handbook/areas/4/").content.decode()
    for anchor in ["why", "benefits", "success-factors", "checklist", "practices", "resources"]:
        assert f'id="{anchor}"' in body
    for item in area.checklist_items:
        assert f'id="{item.id}"' in body
    for practice in area.practices:
        assert f'id="{practice.id}"' in body
    assert "Local and regional authorities" in body


def test_area_page_shows_practice_countries_in_the_readers_language(client, handbook):
    practice = next(p for p in handbook.edition("lv").area(1).practices if "FI" in p.countries)
    body = client.get("/lv/handbook/areas/1/").content.decode()
    assert "Somija" in body
    assert practice.title in body


def test_glossary_has_an_anchor_per_term(client, handbook):
    body = client.get("/lv/handbook/glossary/").content.decode()
    for term in handbook.edition("lv").glossary.terms:
        assert f'id="{term.id}"' in body


def test_unknown_area_is_404_in_the_users_language(client):
    response = client.get("/en/handbook/areas/7/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_healthz_checks_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_pages_are_plain_html_that_work_without_javascript(client):
    body = client.get("/lv/handbook/areas/2/").content.decode()
    assert "<script>" not in body  # no inline script; htmx only enhances
    assert 'style="' not in body
    assert '<a class="skip-link" href="#main">' in body
