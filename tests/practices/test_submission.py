"""Submitting a practice, moderating it, and what the submitter sees."""

import pytest
from django.core.exceptions import PermissionDenied

from inclusion.handbook.services import get_handbook
from inclusion.practices import moderation, ratings, submissions
from inclusion.practices.exceptions import PracticeError
from inclusion.practices.models import Practice, PracticeVersion, ReviewMessage, VersionStatus

from .conftest import all_scores, practice_content


def _form_data(**changes):
    data = {
        "organisation": "",
        "title_en": "Language café",
        "organisation_name_en": "Riga Welcome",
        "city_en": "Riga",
        "text_en": "Weekly conversation evenings.",
        "title_lv": "",
        "organisation_name_lv": "",
        "city_lv": "",
        "text_lv": "",
        "success_factor": "a5.sf3",
        "organisation_type": "authority",
        "target_groups": ["refugees"],
        "countries": "lv, EE",
        "links": "https://example.org/cafe\nhttp://example.org/more",
    }
    data.update(changes)
    return data


def test_editor_submits_a_new_practice_as_a_draft(client, editor_a, org_a):
    client.force_login(editor_a)
    response = client.post("/en/practices/new/", _form_data(organisation=str(org_a.pk)))
    practice = Practice.objects.get(organisation=org_a)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/en/practices/manage/{practice.pk}/"
    version = practice.current_version
    assert version.status == VersionStatus.DRAFT
    assert version.content["title"] == {"en": "Language café"}
    assert version.content["countries"] == ["LV", "EE"]
    assert version.content["links"] == ["https://example.org/cafe", "http://example.org/more"]
    assert not practice.is_published
    page = client.get(response.headers["Location"]).content.decode()
    assert "Version 1 is a draft" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title_en": "", "text_en": ""}, "Give a title and a description in English too."),
        ({"text_en": ""}, "Describe the practice in English too."),
        ({"title_en": "x" * 201}, "Ensure this value has at most 200 characters (it has 201)."),
        ({"text_en": "x" * 10_001}, "Ensure this value has at most 10000 characters (it has 10001)."),
        (
            {"links": "javascript:alert(1)"},
            "“javascript:alert(1)” is not a web address starting with http:// or https://.",
        ),
        ({"links": "ftp://example.org/file"}, "is not a web address starting with http:// or https://."),
        ({"countries": "Latvia"}, "Not a two-letter country code: LATVIA."),
        ({"success_factor": ""}, "This field is required."),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(client, editor_a, org_a, changes, message):
    client.force_login(editor_a)
    data = _form_data(organisation=str(org_a.pk), city_en="Kept city", **changes)
    response = client.post("/en/practices/new/", data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body
    assert message in body
    assert 'value="Kept city"' in body
    assert not Practice.objects.filter(organisation=org_a).exists()


def test_a_practice_needs_one_language_at_least(client, editor_a, org_a):
    client.force_login(editor_a)
    data = _form_data(organisation=str(org_a.pk), title_en="", text_en="", organisation_name_en="", city_en="")
    body = client.post("/en/practices/new/", data).content.decode()
    assert "Give the practice a title and a description in at least one language." in body
    assert 'value="lv, EE"' in body


def test_a_duplicate_of_a_pending_or_published_practice_is_refused(client, editor_a, org_a, submitted_a):
    client.force_login(editor_a)
    response = client.post(
        "/en/practices/new/", _form_data(organisation=str(org_a.pk), title_en="LANGUAGE CAFE", city_en="Kept")
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "already has a practice with this title" in body
    assert 'value="Kept"' in body
    assert Practice.objects.filter(organisation=org_a).count() == 1


def test_drafts_with_the_same_title_are_not_duplicates(org_a, editor_a, draft_a):
    other = submissions.create_practice(org_a, practice_content(), editor_a)
    assert other.pk != draft_a.pk


def test_the_same_title_in_another_organisation_is_fine(org_b, owner_b, submitted_a):
    assert submissions.create_practice(org_b, practice_content(), owner_b).organisation == org_b


def test_submitting_needs_a_scoring(draft_a, editor_a):
    with pytest.raises(PracticeError, match="Score the practice"):
        submissions.submit_for_review(draft_a, editor_a)


def test_submission_carries_the_agreed_scores_over_the_submitters(draft_a, editor_a, criteria):
    ratings.save_rating(draft_a, editor_a, criteria, all_scores(criteria, "1"), {})
    ratings.save_rating(draft_a, editor_a, criteria, all_scores(criteria, "2"), {}, consensus=True)
    version = submissions.submit_for_review(draft_a, editor_a, "Please have a look")
    assert version.status == VersionStatus.IN_REVIEW
    assert set(version.content["scores"].values()) == {"2"}
    assert ReviewMessage.objects.get(version=version).text == "Please have a look"


def test_nothing_changes_while_in_review(submitted_a, editor_a):
    with pytest.raises(PracticeError, match="waiting for review"):
        submissions.save_draft(submitted_a, practice_content("Changed"), editor_a)


def test_moderation_round_trip_keeps_every_version(submitted_a, editor_a, moderator):
    version = submitted_a.current_version
    moderation.request_changes(version, moderator, "Add the city in Latvian.")
    version.refresh_from_db()
    assert version.status == VersionStatus.CHANGES_REQUESTED
    submissions.save_draft(submitted_a, practice_content(city={"en": "Riga", "lv": "Rīga"}), editor_a)
    submissions.submit_for_review(submitted_a, editor_a)
    moderation.publish(version, moderator, "Thank you")
    submitted_a.refresh_from_db()
    assert submitted_a.is_published
    assert submitted_a.city == {"en": "Riga", "lv": "Rīga"}
    assert "riga" in submitted_a.search_text and "latvija" in submitted_a.search_text
    # An edit after publication is a new version; the published one stays until approved.
    submissions.save_draft(submitted_a, practice_content("Language café and games"), editor_a)
    submitted_a.refresh_from_db()
    assert submitted_a.current_version.number == 2
    assert submitted_a.title == {"en": "Language café"}
    submissions.submit_for_review(submitted_a, editor_a)
    moderation.reject(submitted_a.current_version, moderator, "Games are another practice.")
    submitted_a.refresh_from_db()
    assert submitted_a.is_published and submitted_a.title == {"en": "Language café"}
    submissions.save_draft(submitted_a, practice_content("Language café, evenings"), editor_a)
    submissions.submit_for_review(submitted_a, editor_a)
    submitted_a.refresh_from_db()
    moderation.publish(submitted_a.current_version, moderator)
    submitted_a.refresh_from_db()
    assert submitted_a.title == {"en": "Language café, evenings"}
    assert list(submitted_a.versions.values_list("number", "status")) == [
        (1, "published"),
        (2, "rejected"),
        (3, "published"),
    ]
    assert PracticeVersion.objects.get(practice=submitted_a, number=1).content["title"] == {"en": "Language café"}
    assert list(submitted_a.messages.values_list("action", flat=True)) == [
        "submitted",
        "changes_requested",
        "submitted",
        "published",
        "submitted",
        "rejected",
        "submitted",
        "published",
    ]


def test_a_non_moderator_cannot_publish(submitted_a, editor_a, owner_b):
    for user in (editor_a, owner_b):
        with pytest.raises(PermissionDenied):
            moderation.publish(submitted_a.current_version, user)
    submitted_a.refresh_from_db()
    assert not submitted_a.is_published


def test_request_changes_and_reject_need_a_message(submitted_a, moderator):
    with pytest.raises(PracticeError, match="Write a message"):
        moderation.request_changes(submitted_a.current_version, moderator, " ")
    with pytest.raises(PracticeError, match="Write a message"):
        moderation.reject(submitted_a.current_version, moderator, "")


def test_moderator_pages_publish_and_submitter_sees_the_messages(client, submitted_a, moderator, editor_a):
    client.force_login(moderator)
    queue = client.get("/en/practices/moderation/").content.decode()
    version = submitted_a.current_version
    assert f'href="/en/practices/moderation/{version.pk}/"' in queue
    response = client.post(f"/en/practices/moderation/{version.pk}/", {"decision": "request_changes", "message": ""})
    assert response.status_code == 400
    assert "Write a message to the submitter" in response.content.decode()
    response = client.post(
        f"/en/practices/moderation/{version.pk}/", {"decision": "request_changes", "message": "Name the <b>city</b>."}
    )
    assert response.status_code == 302
    client.force_login(editor_a)
    page = client.get(f"/en/practices/manage/{submitted_a.pk}/").content.decode()
    assert "A moderator asked for changes" in page
    assert "Name the &lt;b&gt;city&lt;/b&gt;." in page


def test_a_non_moderator_gets_404_from_moderation(client, submitted_a, editor_a):
    client.force_login(editor_a)
    version = submitted_a.current_version
    assert client.get("/en/practices/moderation/").status_code == 404
    response = client.post(f"/en/practices/moderation/{version.pk}/", {"decision": "publish", "message": ""})
    assert response.status_code == 404
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_REVIEW


def test_moderator_sees_what_a_new_version_changes(client, submitted_a, moderator, editor_a):
    moderation.publish(submitted_a.current_version, moderator)
    submissions.save_draft(submitted_a, practice_content(links=["https://example.org/new"]), editor_a)
    submissions.submit_for_review(submitted_a, editor_a)
    client.force_login(moderator)
    submitted_a.refresh_from_db()
    body = client.get(f"/en/practices/moderation/{submitted_a.current_version.pk}/").content.decode()
    assert "This is a change to a published practice." in body
    assert "Changed: Links." in body


def test_moderation_queue_query_count_does_not_grow(client, django_assert_num_queries, moderator, org_a, editor_a):
    criteria = get_handbook().edition("en").criteria.criteria

    def submit(title):
        practice = submissions.create_practice(org_a, practice_content(title), editor_a)
        ratings.save_rating(practice, editor_a, criteria, all_scores(criteria, "1"), {})
        submissions.submit_for_review(practice, editor_a)

    submit("First")
    client.force_login(moderator)
    client.get("/en/practices/moderation/")
    # One of them: StaffRequireMFAMiddleware checking the moderator's authenticator app.
    with django_assert_num_queries(6) as small:
        client.get("/en/practices/moderation/")
    for number in range(6):
        submit(f"Practice {number}")
    with django_assert_num_queries(len(small.captured_queries)):
        body = client.get("/en/practices/moderation/").content.decode()
    assert "Practice 5" in body


def test_your_practices_query_count_does_not_grow(client, django_assert_num_queries, org_a, editor_a):
    submissions.create_practice(org_a, practice_content("First"), editor_a)
    client.force_login(editor_a)
    client.get("/en/practices/yours/")
    with django_assert_num_queries(4) as small:
        client.get("/en/practices/yours/")
    for number in range(6):
        submissions.create_practice(org_a, practice_content(f"Practice {number}"), editor_a)
    with django_assert_num_queries(len(small.captured_queries)):
        body = client.get("/en/practices/yours/").content.decode()
    assert "Practice 5" in body
