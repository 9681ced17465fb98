"""A note saved on a version that never existed (a forged or stale form) must not crash."""


def test_note_saved_on_a_version_that_does_not_exist_is_not_a_server_error(client, editor_a, assessment_a):
    client.force_login(editor_a)
    client.raise_request_exception = False

    response = client.post(
        f"/en/assessments/{assessment_a.public_id}/areas/1/note/", {"note": "<p>x</p>", "note_version": 1}
    )

    assert response.status_code < 500
    assert not assessment_a.notes.exists()
