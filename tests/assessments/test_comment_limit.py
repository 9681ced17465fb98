"""A comment over the limit says what the limit is, in the person's language."""

import pytest

from inclusion.assessments.models import COMMENT_MAX_LENGTH


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            f"A comment can be at most {COMMENT_MAX_LENGTH} characters long; this one has {COMMENT_MAX_LENGTH + 1}.",
        ),
        (
            "lv",
            f"Komentārā var būt ne vairāk kā {COMMENT_MAX_LENGTH} rakstzīmju, bet šajā ir {COMMENT_MAX_LENGTH + 1}.",
        ),
    ],
)
def test_autosave_of_a_too_long_comment_says_the_limit(client, editor_a, assessment_a, language, message):
    client.force_login(editor_a)

    response = client.post(
        f"/{language}/assessments/{assessment_a.public_id}/answers/",
        {"item": "a1.c1", "answer-a1.c1": "yes", "comment-a1.c1": "x" * (COMMENT_MAX_LENGTH + 1)},
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not assessment_a.answers.exists()


def test_line_breaks_count_once_as_the_browser_counts_them(client, editor_a, assessment_a):
    """The textarea's maxlength counts a line break as one character, but the browser sends CR LF."""
    client.force_login(editor_a)
    comment = "\r\n".join(["x" * 99] * 20)  # 1,999 characters on the page, 2,018 as sent

    response = client.post(
        f"/en/assessments/{assessment_a.public_id}/answers/",
        {"item": "a1.c1", "answer-a1.c1": "yes", "comment-a1.c1": comment},
    )

    assert response.status_code == 200
    assert assessment_a.answers.get(item_id="a1.c1").comment == comment.replace("\r\n", "\n")


def test_checklist_without_javascript_shows_the_limit_beside_the_comment(client, editor_a, assessment_a):
    client.force_login(editor_a)

    response = client.post(
        f"/en/assessments/{assessment_a.public_id}/areas/1/",
        {
            "note": "",
            "note_version": 0,
            "answer-a1.c1": "yes",
            "comment-a1.c1": "x" * (COMMENT_MAX_LENGTH + 5),
        },
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert f"at most {COMMENT_MAX_LENGTH} characters long; this one has {COMMENT_MAX_LENGTH + 5}." in body
    assert f'maxlength="{COMMENT_MAX_LENGTH}"' in body
