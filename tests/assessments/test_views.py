"""Self-assessment pages: the journeys people take, with and without an account."""

import re

from django.core.cache import cache
from django.test import Client

from inclusion.assessments.answers import save_answer
from inclusion.assessments.models import Action, Answer, AreaNote, Assessment, ShareLink
from inclusion.assessments.notes import save_note
from inclusion.assessments.rounds import start_next_round
from inclusion.core import fragments

from .conftest import answer_everything


def _start_anonymously(client, **data):
    response = client.post("/en/assessments/", {"title": "Our services", "organisation_kind": "ngo", **data})
    assert response.status_code == 200
    assert "This link is shown only once." in response.content.decode()
    url = re.search(r'value="(http://testserver/en/assessments/private/[^"]+)"', response.content.decode()).group(1)
    return Assessment.objects.order_by("-pk").first(), url.removeprefix("http://testserver")


def test_start_without_account_gives_a_private_link_once(client):
    assessment, private_url = _start_anonymously(client)
    assert assessment.organisation is None
    # The creator's browser may continue; another browser may not, until it opens the link.
    assert client.get(f"/en/assessments/{assessment.public_id}/").status_code == 200
    stranger = Client()
    assert stranger.get(f"/en/assessments/{assessment.public_id}/").status_code == 404
    response = stranger.get(private_url)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/en/assessments/{assessment.public_id}/"
    assert stranger.get(f"/en/assessments/{assessment.public_id}/").status_code == 200
    assert Client().get("/en/assessments/private/not-the-token/").status_code == 404


def test_start_form_keeps_what_was_typed_and_explains(client):
    response = client.post("/en/assessments/", {"title": "Kept title", "organisation_kind": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert 'value="Kept title"' in body
    assert not Assessment.objects.exists()


def test_signed_in_editor_starts_for_the_organisation(client, editor_a, org_a):
    client.force_login(editor_a)
    response = client.post(
        "/en/assessments/", {"title": "Team", "organisation_kind": "authority", "organisation": str(org_a.pk)}
    )
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert assessment.organisation == org_a
    assert assessment.private_token_hash == ""


def test_area_page_lists_only_applicable_items(client, editor_a, assessment_a):
    client.force_login(editor_a)
    body = client.get(f"/en/assessments/{assessment_a.public_id}/areas/4/").content.decode()
    assert 'id="a4.c19"' in body  # authorities see the local-authority checklist
    _assessment, _url = _start_anonymously(anonymous := Client())
    body = anonymous.get(f"/en/assessments/{_assessment.public_id}/areas/4/").content.decode()
    assert 'id="a4.c14"' in body and 'id="a4.c15"' not in body


def _full_form(client, assessment, number):
    """The area form as the page renders it (what a browser without JavaScript submits)."""
    response = client.get(f"/en/assessments/{assessment.public_id}/areas/{number}/")
    form = response.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    return data


def test_save_button_saves_answers_and_notes_without_javascript(client, editor_a, assessment_a):
    client.force_login(editor_a)
    data = _full_form(client, assessment_a, 1)
    data.update({"answer-a1.c1": "yes", "comment-a1.c1": "Done in 2025", "answer-a1.c2": "no", "note": "<p>Notes</p>"})
    response = client.post(f"/en/assessments/{assessment_a.public_id}/areas/1/", data)
    assert response.status_code == 302
    assert dict(assessment_a.answers.values_list("item_id", "value")) == {"a1.c1": "yes", "a1.c2": "no"}
    assert assessment_a.answers.get(item_id="a1.c1").comment == "Done in 2025"
    assert assessment_a.notes.get(area="a1").text == "<p>Notes</p>"


def test_full_form_submit_does_not_overwrite_a_colleagues_answers(client, editor_a, org_a, assessment_a):
    client.force_login(editor_a)
    data = _full_form(client, assessment_a, 1)  # page opened before the colleague answered
    save_answer(assessment_a, "a1.c3", "partly", "colleague's comment")
    data.update({"answer-a1.c1": "yes"})
    client.post(f"/en/assessments/{assessment_a.public_id}/areas/1/", data)
    assert dict(assessment_a.answers.values_list("item_id", "value")) == {"a1.c1": "yes", "a1.c3": "partly"}


def test_full_form_note_conflict_is_shown_and_typed_text_kept(client, editor_a, assessment_a):
    client.force_login(editor_a)
    data = _full_form(client, assessment_a, 2)
    save_note(assessment_a, "a2", "<p>Colleague wrote this</p>", 0)
    data.update({"note": "My own text"})
    response = client.post(f"/en/assessments/{assessment_a.public_id}/areas/2/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Your notes were not saved" in body
    assert "Colleague wrote this" in body
    assert "My own text</textarea>" in body
    assert AreaNote.objects.get(assessment=assessment_a, area="a2").text == "<p>Colleague wrote this</p>"
    # Saving again, having seen the other version, replaces it deliberately.
    data = {**data, "note_version": response.context["form"].data["note_version"]}
    client.post(f"/en/assessments/{assessment_a.public_id}/areas/2/", data)
    assert AreaNote.objects.get(assessment=assessment_a, area="a2").text == "My own text"


def test_over_long_comment_is_explained_and_kept(client, editor_a, assessment_a):
    client.force_login(editor_a)
    data = _full_form(client, assessment_a, 1)
    data.update({"answer-a1.c1": "yes", "comment-a1.c1": "long " * 500})
    response = client.post(f"/en/assessments/{assessment_a.public_id}/areas/1/", data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert ("long " * 500).strip() in response.content.decode()
    assert not Answer.objects.exists()


def test_autosave_answer_and_errors(client, editor_a, assessment_a):
    client.force_login(editor_a)
    url = f"/en/assessments/{assessment_a.public_id}/answers/"
    response = client.post(url, {"item": "a2.c3", "answer-a2.c3": "partly", "comment-a2.c3": "half way"})
    assert response.status_code == 200
    assert "Saved at" in response.content.decode()
    assert assessment_a.answers.get(item_id="a2.c3").comment == "half way"
    response = client.post(url, {"item": "a2.c3", "value": "sometimes"})
    assert response.status_code == 400
    assert "This answer could not be saved" in response.content.decode()
    response = client.post(url, {"item": "zz.c1", "value": "yes"})
    assert response.status_code == 400
    assert "is not a checklist item" in response.content.decode()
    assert client.post(url, {"item": "a2.c3", "value": ""}).status_code == 200
    assert not assessment_a.answers.filter(item_id="a2.c3").exists()


def test_autosave_note_conflict_is_409_and_keeps_theirs(client, editor_a, assessment_a):
    client.force_login(editor_a)
    url = f"/en/assessments/{assessment_a.public_id}/areas/3/note/"
    response = client.post(url, {"note": "one", "note_version": 0})
    assert response.status_code == 200
    assert 'name="note_version" id="note-version" value="1" hx-swap-oob="true"' in response.content.decode()
    response = client.post(url, {"note": "stale", "note_version": 0})
    assert response.status_code == 409
    assert "yours were not saved" in response.content.decode()
    assert assessment_a.notes.get(area="a3").text == "one"


def test_messages_are_in_the_users_language(client, editor_a, assessment_a):
    client.force_login(editor_a)
    response = client.post(f"/lv/assessments/{assessment_a.public_id}/answers/", {"item": "a1.c99", "value": "yes"})
    assert response.status_code == 400
    assert "nav kontrolsaraksta punkts" in response.content.decode()


def test_script_in_notes_and_comments_is_inert_on_the_page(client, editor_a, assessment_a):
    client.force_login(editor_a)
    save_answer(assessment_a, "a1.c1", "no", '<script>alert("c")</script>')
    save_note(assessment_a, "a1", '<p>ok</p><script>alert("n")</script><a href="javascript:x()">x</a>', 0)
    for path in ["summary/", "areas/1/"]:
        body = client.get(f"/en/assessments/{assessment_a.public_id}/{path}").content.decode()
        assert '<script>alert("c")</script>' not in body
        assert '<script>alert("n")</script>' not in body
        assert "javascript:x()" not in body


def test_summary_page_shows_readings_scores_gaps_and_chart(client, editor_a, assessment_a, edition):
    client.force_login(editor_a)
    answer_everything(assessment_a, edition, "yes")
    save_answer(assessment_a, "a2.c1", "no", "no budget")
    body = client.get(f"/en/assessments/{assessment_a.public_id}/summary/").content.decode()
    assert body.count("Comprehensive approach") >= 5
    assert "Improve the service or how it is delivered" in body
    assert "Score 93%" in body  # area 2: 14 of 15
    assert "no budget" in body
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in body
    assert "Summary checklist: 13 key actions" in body


def test_gap_becomes_an_action_and_the_plan_is_sorted_by_due_date(client, editor_a, assessment_a):
    client.force_login(editor_a)
    save_answer(assessment_a, "a1.c1", "no")
    response = client.post(f"/en/assessments/{assessment_a.public_id}/actions/from-gap/", {"item": "a1.c1"})
    action = Action.objects.get()
    assert response.headers["Location"] == f"/en/assessments/{assessment_a.public_id}/actions/{action.pk}/"
    client.post(
        response.headers["Location"],
        {"description": "Survey needs", "owner": "Anna", "due_date": "2027-03-01", "status": "in_progress"},
    )
    client.post(
        f"/en/assessments/{assessment_a.public_id}/actions/new/",
        {"description": "Earlier task", "owner": "", "due_date": "2027-01-15", "status": "open"},
    )
    response = client.post(
        f"/en/assessments/{assessment_a.public_id}/actions/new/",
        {"description": "", "due_date": "not a date", "status": "open"},
    )
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    body = client.get(f"/en/assessments/{assessment_a.public_id}/actions/").content.decode()
    assert body.index("Earlier task") < body.index("Survey needs")
    assert Action.objects.count() == 2


def test_rounds_and_comparison_pages(client, editor_a, assessment_a):
    client.force_login(editor_a)
    save_answer(assessment_a, "a1.c1", "no")
    response = client.post(f"/en/assessments/{assessment_a.public_id}/rounds/new/")
    second = Assessment.objects.get(round_number=2)
    assert response.headers["Location"] == f"/en/assessments/{second.public_id}/"
    save_answer(second, "a1.c1", "yes")
    body = client.get(f"/en/assessments/{second.public_id}/compare/").content.decode()
    assert "Round 2 compared with round 1" in body
    assert "Score 0% → 100%" in body
    assert client.get(f"/en/assessments/{assessment_a.public_id}/compare/").status_code == 404


def test_share_link_is_read_only_and_revocable(client, editor_a, assessment_a):
    client.force_login(editor_a)
    save_answer(assessment_a, "a1.c1", "no", "shared comment")
    response = client.post(f"/en/assessments/{assessment_a.public_id}/share/", {"label": "Partner NGO"})
    url = re.search(r'value="http://testserver(/en/assessments/shared/[^"]+)"', response.content.decode()).group(1)
    partner = Client()
    page = partner.get(url)
    assert page.status_code == 200
    assert "shared comment" in page.content.decode()
    assert "Add to action plan" not in page.content.decode()
    # The link opens nothing else of the organisation.
    assert partner.get(f"/en/assessments/{assessment_a.public_id}/").status_code == 404
    link = ShareLink.objects.get()
    client.post(f"/en/assessments/{assessment_a.public_id}/share/{link.pk}/revoke/")
    assert partner.get(url).status_code == 404


def test_signing_up_later_claims_the_private_assessment(client, editor_a, org_a):
    assessment, private_url = _start_anonymously(client)
    start_next_round(assessment)
    client.force_login(editor_a)
    response = client.post(f"/en/assessments/{assessment.public_id}/claim/", {"organisation": str(org_a.pk)})
    assert response.status_code == 302
    assert set(Assessment.objects.values_list("organisation", "private_token_hash")) == {(org_a.pk, "")}
    assert Client().get(private_url).status_code == 404


def test_summary_query_count_does_not_grow_with_rounds_members_or_organisations(
    client, django_assert_num_queries, editor_a, org_a, assessment_a, edition
):
    from inclusion.organisations.models import Organisation, Role
    from tests.factories import member_of

    client.force_login(editor_a)
    answer_everything(assessment_a, edition, "partly")
    url = f"/en/assessments/{assessment_a.public_id}/summary/"
    client.get(url)
    cache.clear()  # as rendered, not from the summary cache (tests/assessments/test_summary_cache.py)
    fragments.clear()
    # 9: the summary's own, practice suggestions, refugees' feedback and the networks' benchmarks.
    with django_assert_num_queries(9) as small:
        client.get(url)
    latest = assessment_a
    for index in range(5):
        latest = start_next_round(latest)
        member_of(org_a, Role.VIEWER, f"viewer{index}@a.example")
        Organisation.objects.create(name=f"Org {index}", slug=f"org-{index}", kind="ngo")
    cache.clear()
    fragments.clear()
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_start_from_a_key_area_opens_that_area(client, editor_a, org_a):
    page = client.get("/en/handbook/areas/3/").content.decode()
    assert 'href="/en/assessments/?area=3"' in page
    client.force_login(editor_a)
    response = client.post(
        "/en/assessments/?area=3", {"title": "T", "organisation_kind": "authority", "organisation": str(org_a.pk)}
    )
    assessment = Assessment.objects.get()
    assert response.headers["Location"] == f"/en/assessments/{assessment.public_id}/areas/3/"
