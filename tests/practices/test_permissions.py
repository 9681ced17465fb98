"""Practice permissions beyond tests/test_permissions.py (which tries every URL with every
role, an outsider and an anonymous visitor): drafts stay out of lists, viewers, CSRF."""

from django.test import Client

from inclusion.practices.models import Rating


def test_anonymous_visitor_is_sent_to_sign_in_and_finds_no_moderation(db):
    anonymous = Client()
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
