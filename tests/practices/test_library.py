"""The practice library: the handbook's examples imported, browsing, filters, search, pages."""

from django.core.cache import cache
from django.utils import timezone

from inclusion.handbook.services import get_handbook
from inclusion.practices import handbook_examples, moderation
from inclusion.practices.models import Practice, PracticeVersion


def test_import_brings_all_62_examples_in_both_languages_once():
    practices = Practice.objects.filter(handbook_key__isnull=False)
    assert practices.count() == 62
    assert practices.filter(is_published=True).count() == 62
    first = practices.get(handbook_key="a1.p1")
    assert set(first.title) == {"lv", "en"}
    assert first.title["en"] == '"Transition" meetings from special to mainstream services'
    assert (first.area, first.success_factor, first.organisation_type) == ("a1", "a1.sf5", "authority")
    assert first.country_index == "|FI|"
    report = handbook_examples.import_handbook_practices(get_handbook())
    assert (report.created, report.updated, report.unchanged) == (0, 0, 62)
    assert PracticeVersion.objects.count() == 62


def test_import_keeps_a_version_when_the_content_changes(content_copy, load_copy):
    path = content_copy / "en" / "a1.yaml"
    path.write_text(path.read_text().replace('Transition" meetings', 'Handover" meetings', 1))
    report = handbook_examples.import_handbook_practices(load_copy(content_copy))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 61)
    practice = Practice.objects.get(handbook_key="a1.p1")
    assert practice.title["en"].startswith('"Handover" meetings')
    assert list(practice.versions.values_list("number", flat=True)) == [1, 2]


def test_library_lists_and_pages(client):
    body = client.get("/en/practices/").content.decode()
    assert "62 practices" in body
    assert body.count('<li>\n    <h2><a href="/en/practices/') == 20
    assert "Page 1 of 4" in body
    last = client.get("/en/practices/?page=4").content.decode()
    assert last.count('<li>\n    <h2><a href="/en/practices/') == 2
    assert client.get("/en/practices/?page=abc").status_code == 200


def test_library_filters_by_area_factor_country_type_and_group(client):
    def count(query):
        return client.get(f"/en/practices/?{query}").context["page"].paginator.count

    assert count("area=a1") == 9
    assert count("factor=a1.sf1") == 3
    assert count("country=FI") == Practice.objects.filter(country_index__contains="|FI|").count() > 0
    assert count("type=authority") == Practice.objects.filter(organisation_type="authority").count() > 0
    assert count("group=women") == Practice.objects.filter(target_group_index__contains="|women|").count() > 0
    assert count("area=nonsense&type=<script>") == 62  # unknown values are ignored


def test_search_ignores_case_and_diacritics_in_both_languages(client):
    practice = Practice.objects.get(handbook_key="a1.p2")
    assert "Lublin" in practice.title["en"]
    for query in ["lublin", "LUBLIN", "Lublinā", "ģimenes lublin"]:
        response = client.get("/lv/practices/", {"q": query})
        assert practice in response.context["page"].object_list, query
    nothing = client.get("/en/practices/", {"q": "zzzqqq"}).content.decode()
    assert "No practice matches." in nothing


def test_search_and_filters_combine(client):
    response = client.get("/en/practices/", {"q": "lublin", "area": "a2"})
    assert response.context["page"].paginator.count == 0


def test_practice_page_shows_links_and_fallback_language(client, org_a):
    practice = Practice.objects.filter(handbook_key__isnull=False).exclude(links=[]).first()
    body = client.get(f"/en/practices/{practice.pk}/").content.decode()
    assert practice.links[0] in body
    assert "Criteria profile" not in body  # not rated
    # A member's practice written only in English shows in English to a Latvian reader.
    only_english = Practice.objects.create(
        organisation=org_a,
        is_published=True,
        published_at=timezone.now(),
        title={"en": "English only"},
        text={"en": "Text"},
        area="a1",
        success_factor="a1.sf1",
    )
    body = client.get(f"/lv/practices/{only_english.pk}/").content.decode()
    assert '<h1 lang="en">English only</h1>' in body


def test_unpublished_practice_has_no_public_page(client, draft_a):
    assert client.get(f"/en/practices/{draft_a.pk}/").status_code == 404
    assert client.get("/en/practices/999999/").status_code == 404


def test_published_practice_page_shows_its_profile(client, submitted_a, moderator):
    moderation.publish(submitted_a.current_version, moderator)
    body = client.get(f"/en/practices/{submitted_a.pk}/").content.decode()
    assert "Criteria profile" in body
    assert "Good practice" in body
    assert "<svg" in body and "<title" in body


def _bulk_published(count, start=0):
    now = timezone.now()
    Practice.objects.bulk_create(
        Practice(
            is_published=True,
            published_at=now,
            title={"en": f"Bulk practice {start + n}"},
            excerpt={"en": "Excerpt"},
            text={"en": "Text"},
            area="a2",
            success_factor="a2.sf1",
            organisation_type="ngo",
            countries=["LV"],
            country_index="|LV|",
            target_groups=["women"],
            target_group_index="|women|",
            search_text=f"bulk practice {start + n} begli",
        )
        for n in range(count)
    )


def test_library_query_count_does_not_grow_with_practices(client, django_assert_num_queries):
    _bulk_published(5)
    urls = ["/en/practices/", "/en/practices/?area=a2&country=LV&group=women&q=begli", "/en/practices/?page=2"]
    for url in urls:
        client.get(url)
    counts = {}
    for url in urls:
        with django_assert_num_queries(2) as captured:  # the count and the page
            client.get(url)
        counts[url] = len(captured.captured_queries)
    _bulk_published(300, start=5)
    for url in urls:
        with django_assert_num_queries(counts[url]):
            response = client.get(url)
        assert response.status_code == 200
    cache.clear()
    with django_assert_num_queries(3):  # and the list of countries, once a minute
        client.get(urls[0])
