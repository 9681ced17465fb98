"""Nobody outside an organisation reaches its self-assessments: every URL, every method."""

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from django.utils import translation

from inclusion.assessments.models import Action, ShareLink
from inclusion.assessments.rounds import start_next_round
from inclusion.core.tokens import hash_token

# URL names that take no assessment (or take a secret token instead): covered elsewhere.
NOT_ASSESSMENT_URLS = {"start", "how_it_works", "private_link", "shared", "import"}


def _assessment_url_names():
    resolver = get_resolver().url_patterns
    names = []
    for pattern in resolver:
        for sub in getattr(pattern, "url_patterns", []):
            if getattr(sub, "namespace", None) == "assessments":
                names += [p.name for p in sub.url_patterns if isinstance(p, URLPattern)]
    return sorted(set(names) - NOT_ASSESSMENT_URLS)


def _urls_of(assessment):
    action = Action.objects.create(assessment=assessment, area="a1", description="B's action")
    link = ShareLink.objects.create(assessment=assessment, token_hash=hash_token("b-share"))
    kwargs_for = {
        "public_id": assessment.public_id,
        "number": 1,
        "action_id": action.pk,
        "link_id": link.pk,
        "fmt": "csv",
    }
    urls = []
    with translation.override("en"):
        for name in _assessment_url_names():
            pattern = get_resolver().reverse_dict  # noqa: F841 - ensure URLconf is loaded
            for candidate in (
                {"public_id"},
                {"public_id", "number"},
                {"public_id", "action_id"},
                {"public_id", "link_id"},
                {"public_id", "fmt"},
            ):
                try:
                    urls.append(reverse(f"assessments:{name}", kwargs={k: kwargs_for[k] for k in candidate}))
                    break
                except Exception:  # noqa: BLE001, S112 - try the next argument shape
                    continue
    return urls


def test_every_assessment_url_is_covered():
    names = _assessment_url_names()
    assert {
        "overview",
        "area",
        "save_answer",
        "save_note",
        "summary",
        "actions",
        "action_edit",
        "share",
        "revoke_share_link",
        "claim",
        "export",
        "compare",
        "new_round",
    } <= set(names)


@pytest.mark.parametrize("method", ["get", "post"])
def test_member_of_another_organisation_gets_404_everywhere(client, editor_a, assessment_b, method):
    start_next_round(assessment_b)  # so that "compare" exists for B
    client.force_login(editor_a)
    urls = _urls_of(assessment_b)
    assert len(urls) == len(_assessment_url_names())
    for url in urls:
        response = getattr(client, method)(url, {"item": "a1.c1", "value": "yes", "note": "x", "note_version": 1})
        assert response.status_code == 404, url
    assert assessment_b.answers.get(item_id="a1.c1").value == "no"
    assert assessment_b.notes.get(area="a1").text == "<p>B's private note</p>"


def test_anonymous_visitor_reaches_nothing(assessment_b):
    anonymous = Client()
    for url in _urls_of(assessment_b):
        response = anonymous.get(url)
        assert response.status_code in (404, 302), url
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/en/accounts/login/"), url
        assert "B&#x27;s private" not in response.content.decode()


def test_viewer_reads_but_cannot_change(client, viewer_a, assessment_a):
    client.force_login(viewer_a)
    base = f"/en/assessments/{assessment_a.public_id}"
    for path in ["/", "/areas/1/", "/summary/", "/actions/"]:
        assert client.get(base + path).status_code == 200
    assert client.post(f"{base}/answers/", {"item": "a1.c1", "value": "yes"}).status_code == 403
    assert client.post(f"{base}/areas/1/note/", {"note": "x", "note_version": 0}).status_code == 403
    assert client.post(f"{base}/areas/1/", {"note_version": 0}).status_code == 403
    assert client.post(f"{base}/rounds/new/").status_code == 403
    assert client.get(f"{base}/share/").status_code == 403
    assert not assessment_a.answers.exists()


def test_csrf_is_enforced(editor_a, assessment_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor_a)
    response = client.post(f"/en/assessments/{assessment_a.public_id}/answers/", {"item": "a1.c1", "value": "yes"})
    assert response.status_code == 403
    assert not assessment_a.answers.exists()
