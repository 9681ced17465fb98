"""A reader's journey: home page, switch language, key area 4, search; accessible throughout."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_switches_language_reads_area_4_and_searches(live_server, page, axe):
    page.goto(f"{live_server.url}/lv/")
    assert page.locator("html").get_attribute("lang") == "lv"
    assert page.get_by_role("heading", level=1).count() == 1
    assert axe(page) == []

    page.get_by_role("navigation", name="Valoda").get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/en/$"))
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_role("link", name=re.compile(r"^4 Working not only for refugees")).click()
    page.wait_for_url(re.compile(r"/en/handbook/areas/4/$"))
    assert "Working not only for refugees" in page.get_by_role("heading", level=1).inner_text()
    page.locator('[id="a4.c10"]').wait_for()
    assert axe(page) == []

    # Switching language keeps the reader on the same page.
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Latviešu").click()
    page.wait_for_url(re.compile(r"/lv/handbook/areas/4/$"))
    page.go_back()
    page.wait_for_url(re.compile(r"/en/handbook/areas/4/$"))

    search = page.get_by_role("search").first.get_by_role("searchbox")
    search.fill("twice a year")
    search.press("Enter")
    page.wait_for_url(re.compile(r"/en/handbook/search/\?q=twice"))
    results = page.locator(".search-results li")
    assert results.count() >= 1
    assert page.locator(".search-results mark").count() >= 1
    assert axe(page) == []

    results.first.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/en/handbook/areas/4/#a4\.c10$"))
    page.locator('[id="a4.c10"]').wait_for()


def test_search_ignores_diacritics_in_the_browser(live_server, page):
    page.goto(f"{live_server.url}/lv/handbook/search/?q=begli")
    assert page.locator(".search-results li").count() > 10
    assert "bēgļ" in page.locator(".search-results mark").first.inner_text().lower()


def test_keyboard_user_can_skip_to_content(live_server, page):
    page.goto(f"{live_server.url}/en/handbook/areas/1/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_pages_work_on_a_small_screen_without_javascript(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/lv/handbook/areas/2/")
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_text("Izvēlne").click()  # on a phone the search is in the folded menu (a <details>)
    page.get_by_role("searchbox").first.fill("brīvprātīgo")
    page.get_by_role("searchbox").first.press("Enter")
    page.wait_for_url(re.compile(r"/lv/handbook/search/"))
    assert page.locator(".search-results li").count() > 0
    context.close()
