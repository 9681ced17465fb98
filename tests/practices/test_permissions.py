"""Nobody outside an organisation reaches its practices' drafts, ratings or history."""

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from django.utils import translation

from inclusion.practices import ratings
from inclusion.practices.models import Rating, VersionStatus

from .conftest import all_scores

# Public pages, and pages that take no practice: covered in the other tests.
PUBLIC_URLS = {"library", "detail", "scoring", "yours", "new", "moderation", "review"}


def _url_names():
    names = []
    for pattern in get_resolver().url_patterns:
        for sub in getattr(pattern, "url_patterns", []):
            if getattr(sub, "namespace", None) == "practices":
                names += [p.name for p in sub.url_patterns if isinstance(p, URLPattern)]
    return sorted(set(names))


def _member_urls(practice, rating):
    kwargs_for = {"practice_id": practice.pk, "number": 1, "rating_id": rating.pk, "fmt": "pdf"}
    shapes = [
        {"practice_id"},
        {"practice_id", "number"},
        {"practice_id", "rating_id"},
        {"practice_id", "rating_id", "fmt"},
    ]
    urls = []
    with translation.override("en"):
        for name in sorted(set(_url_names()) - PUBLIC_URLS):
            for shape in shapes:
                try:
                    urls.append(reverse(f"practices:{name}", kwargs={k: kwargs_for[k] for k in shape}))
                    break
                except Exception:  # noqa: BLE001, S112 - try the next argument shape
                    continue
    return urls


@pytest.fixture
def rated_b(draft_b, owner_b, criteria):
    return ratings.save_rating(draft_b, owner_b, criteria, all_scores(criteria, "1"), {"k1.q1": "B's evidence"})


def test_every_url_is_covered():
    assert set(_url_names()) == PUBLIC_URLS | {
        "manage",
        "edit",
        "submit",
        "rate",
        "consensus",
        "version",
        "rating",
        "rating_export",
    }


@pytest.mark.parametrize("method", ["get", "post"])
def test_member_of_another_organisation_gets_404_everywhere(client, editor_a, draft_b, rated_b, method, criteria):
    client.force_login(editor_a)
    urls = _member_urls(draft_b, rated_b)
    assert len(urls) == len(set(_url_names()) - PUBLIC_URLS)
    data = {"title_en": "Hijacked", "text_en": "x", "success_factor": "a1.sf1", "organisation_type": "ngo"}
    data.update({f"indicator-{key}": "0" for key in all_scores(criteria, "0")})
    for url in urls:
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, url
        assert "B&#x27;s" not in response.content.decode()
    draft_b.refresh_from_db()
    assert draft_b.current_version.content["title"] == {"en": "Secret of B"}
    assert draft_b.current_version.status == VersionStatus.DRAFT
    assert set(Rating.objects.get(pk=rated_b.pk).scores.values()) == {"1"}
    assert not Rating.objects.filter(practice=draft_b, is_consensus=True).exists()


def test_anonymous_visitor_reaches_nothing(draft_b, rated_b):
    anonymous = Client()
    for url in _member_urls(draft_b, rated_b):
        response = anonymous.get(url)
        assert response.status_code == 404, url
    for url in ["/en/practices/yours/", "/en/practices/new/"]:
        assert anonymous.get(url).headers["Location"].startswith("/en/accounts/login/")
    assert anonymous.get("/en/practices/moderation/").status_code == 404


def test_drafts_stay_out_of_the_library_and_other_members_lists(client, editor_a, draft_b):
    assert client.get(f"/en/practices/{draft_b.pk}/").status_code == 404
    client.force_login(editor_a)
    assert "Secret of B" not in client.get("/en/practices/yours/").content.decode()
    assert "Secret of B" not in client.get("/en/practices/?q=secret").content.decode()


def test_viewer_reads_but_cannot_change(client, viewer_a, draft_a, criteria):
    client.force_login(viewer_a)
    base = f"/en/practices/manage/{draft_a.pk}"
    assert client.get(f"{base}/").status_code == 200
    assert client.get(f"{base}/consensus/").status_code == 200
    assert client.get(f"{base}/edit/").status_code == 403
    assert client.get(f"{base}/rate/").status_code == 403
    assert client.post(f"{base}/submit/").status_code == 403
    assert client.post(f"{base}/consensus/", {"indicator-k1.q1.i1": "2"}).status_code == 403
    assert not Rating.objects.filter(practice=draft_a).exists()


def test_viewer_cannot_submit_a_new_practice(client, viewer_a):
    client.force_login(viewer_a)
    body = client.get("/en/practices/new/").content.decode()
    assert "Practices are shared by an organisation." in body


def test_csrf_is_enforced(editor_a, draft_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor_a)
    assert client.post(f"/en/practices/manage/{draft_a.pk}/submit/").status_code == 403
