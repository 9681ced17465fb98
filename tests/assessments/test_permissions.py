"""Self-assessment permissions beyond tests/test_permissions.py (which tries every URL with
every role, an outsider and an anonymous visitor): what a viewer may do, and CSRF."""

from django.test import Client


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
