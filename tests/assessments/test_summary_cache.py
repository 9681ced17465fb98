"""The summary page is served from the cache until something it shows changes: every change to
the round bumps its revision, and what other apps add (refugees' feedback, suggested practices)
is part of the key. Each reader still gets their own CSRF token."""

import datetime
import re

import pytest
from django.test import Client

from inclusion.assessments.actions import add_gap_to_plan, delete_action, save_action
from inclusion.assessments.answers import clear_answer, save_answer
from inclusion.assessments.models import Action, ActionStatus, Assessment
from inclusion.assessments.notes import save_note
from inclusion.assessments.rounds import (
    delete_round,
    move_to_organisation,
    reopen_round,
    sign_off_round,
    start_assessment,
    start_next_round,
)
from inclusion.organisations.models import Organisation, Role

from ..factories.organisations import member_of
from .conftest import answer_everything


def _url(assessment):
    return f"/en/assessments/{assessment.public_id}/summary/"


def _area(page, area):
    start = page.index(f'id="result-{area}"')
    return page[start : page.index("</section>", start)]


def revision(assessment):
    return Assessment.objects.values_list("revision", flat=True).get(pk=assessment.pk)


def test_every_change_to_a_round_bumps_its_revision(assessment_a, editor_a, owner_a, edition):
    steps = [
        lambda: save_answer(assessment_a, "a1.c1", "yes", "", editor_a),
        lambda: save_answer(assessment_a, "a1.c1", "no", "", editor_a),
        lambda: save_answer(assessment_a, "a1.c1", "no", "A comment", editor_a),
        lambda: clear_answer(assessment_a, "a1.c1", user=editor_a),
        lambda: save_note(assessment_a, "a1", "Notes", 0, editor_a),
        lambda: add_gap_to_plan(assessment_a, edition, "a1.c2", editor_a),
        lambda: save_action(assessment_a, Action(description="Free step"), editor_a),
        lambda: delete_action(assessment_a, Action.objects.get(description="Free step"), editor_a),
        lambda: sign_off_round(assessment_a, "Head", datetime.date(2026, 11, 20), owner_a),
        lambda: reopen_round(assessment_a, owner_a),
    ]
    for step in steps:
        before = revision(assessment_a)
        step()
        assert revision(assessment_a) > before, step


def test_rounds_starting_deleted_or_moved_bump_the_rounds_they_touch(org_a, editor_a, owner_a):
    first, _ = start_assessment(title="T", organisation_kind="ngo", organisation=org_a, user=editor_a)
    before = revision(first)
    second = start_next_round(first, editor_a)  # the first closes
    assert revision(first) > before
    third = start_next_round(second, editor_a)
    before = revision(first), revision(third)
    delete_round(second, owner_a)  # the rounds around it are relinked
    assert revision(first) > before[0] and revision(third) > before[1]

    private, _token = start_assessment(title="P", organisation_kind="ngo")
    before = revision(private)
    move_to_organisation(private, org_a)
    assert revision(private) > before


def test_a_change_shows_on_the_summary_at_once(client, assessment_a, editor_a, owner_a, edition):
    client.force_login(editor_a)
    assert "Score 100%" not in _area(client.get(_url(assessment_a)).content.decode(), "a2")

    for item in edition.area(2).checklist_items:
        save_answer(assessment_a, item.id, "yes", "", editor_a)
    assert "Score 100%" in _area(client.get(_url(assessment_a)).content.decode(), "a2")

    save_answer(assessment_a, edition.area(2).checklist_items[0].id, "no", "", editor_a)
    page = client.get(_url(assessment_a)).content.decode()
    assert "Score 100%" not in _area(page, "a2") and "Add to action plan" in _area(page, "a2")

    add_gap_to_plan(assessment_a, edition, edition.area(2).checklist_items[0].id, editor_a)
    assert "in the action plan" in _area(client.get(_url(assessment_a)).content.decode(), "a2")

    sign_off_round(assessment_a, "Head", datetime.date(2026, 11, 20), owner_a)
    assert "Add to action plan" not in client.get(_url(assessment_a)).content.decode()  # read-only now


def test_the_summary_is_served_from_the_cache_in_few_queries_whatever_the_members_and_rounds(
    client, django_assert_num_queries, editor_a, org_a, assessment_a, edition
):
    answer_everything(assessment_a, edition, "partly")
    client.force_login(editor_a)
    url = _url(assessment_a)
    client.get(url)
    # Session, user, the assessment with its organisation and the membership: the whole page
    # comes from the cache (what refugees said too, for up to a minute).
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200
    latest = assessment_a
    for index in range(5):
        latest = start_next_round(latest)
        member_of(org_a, Role.VIEWER, f"viewer{index}@a.example")
        Organisation.objects.create(name=f"Org {index}", slug=f"org-{index}", kind="ngo")
    client.get(url)  # round 1 closed when round 2 started: rendered once more
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200


def test_each_reader_gets_their_own_csrf_token_and_it_works(assessment_a, editor_a, org_a, edition):
    save_answer(assessment_a, "a1.c1", "no", "", editor_a)
    other_editor = member_of(org_a, Role.EDITOR, "other@a.example")
    tokens = []
    for user in (editor_a, other_editor):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        page = client.get(_url(assessment_a)).content.decode()
        assert "__summary_csrf_token__" not in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        tokens.append(token)
        response = client.post(
            f"/en/assessments/{assessment_a.public_id}/actions/from-gap/",
            {"item": "a1.c1", "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302
        Action.objects.filter(assessment=assessment_a).delete()
    assert tokens[0] != tokens[1]


def test_a_viewer_never_gets_the_editors_cached_page(client, assessment_a, editor_a, viewer_a):
    save_answer(assessment_a, "a1.c1", "no", "", editor_a)
    client.force_login(editor_a)
    assert "Add to action plan" in client.get(_url(assessment_a)).content.decode()
    client.force_login(viewer_a)
    assert "Add to action plan" not in client.get(_url(assessment_a)).content.decode()


@pytest.mark.parametrize("language", ["en", "lv"])
def test_each_language_has_its_own_cached_page(client, assessment_a, editor_a, language, handbook):
    client.force_login(editor_a)
    client.get(_url(assessment_a).replace("/en/", "/lv/" if language == "en" else "/en/"))
    page = client.get(_url(assessment_a).replace("/en/", f"/{language}/")).content.decode()
    assert handbook.edition(language).area(1).title in page


def test_a_done_action_moves_between_areas_of_the_plan_at_once(client, assessment_a, editor_a, edition):
    action = add_gap_to_plan(assessment_a, edition, "a3.c1", editor_a)
    client.force_login(editor_a)
    area = _area(client.get(_url(assessment_a)).content.decode(), "a3")
    assert 'class="plan-open"' in area and 'class="plan-done"' not in area
    action.status = ActionStatus.DONE
    save_action(assessment_a, action, editor_a)
    area = _area(client.get(_url(assessment_a)).content.decode(), "a3")
    assert 'class="plan-done"' in area and 'class="plan-open"' not in area


# --- the whole page is cached (core.fragments.cached_page): what must still be each reader's own


def test_a_message_waiting_for_the_reader_shows_on_the_cached_page_once(client, assessment_a, editor_a):
    start_next_round(assessment_a, editor_a)
    client.force_login(editor_a)
    client.get(_url(assessment_a))  # the page is cached now
    # Back + "new round" on round 1 again: no new round, a message instead, then the summary.
    client.post(f"/en/assessments/{assessment_a.public_id}/rounds/new/")
    assert "had already been started from this round" in client.get(_url(assessment_a)).content.decode()
    assert "had already been started from this round" not in client.get(_url(assessment_a)).content.decode()


def test_a_member_who_leaves_gets_404_at_once_although_the_page_is_cached(client, assessment_a, editor_a):
    from inclusion.organisations.models import Membership

    client.force_login(editor_a)
    assert client.get(_url(assessment_a)).status_code == 200
    Membership.objects.filter(user=editor_a).delete()
    assert client.get(_url(assessment_a)).status_code == 404


def test_a_renamed_organisation_shows_on_the_cached_page_at_once(client, assessment_a, editor_a, org_a):
    client.force_login(editor_a)
    assert "Riga Welcome" in client.get(_url(assessment_a)).content.decode()
    Organisation.objects.filter(pk=org_a.pk).update(name="Riga Welcome Centre")
    assert "Riga Welcome Centre" in client.get(_url(assessment_a)).content.decode()


def test_staff_see_their_own_menu_on_the_cached_page(client, assessment_a, editor_a, org_a, staff):
    from inclusion.organisations.models import Membership

    Membership.objects.create(user=staff, organisation=org_a, role=Role.EDITOR)
    client.force_login(editor_a)
    assert "Practices waiting for review" not in client.get(_url(assessment_a)).content.decode()
    client.force_login(staff)
    assert "Practices waiting for review" in client.get(_url(assessment_a)).content.decode()
    client.force_login(editor_a)
    assert "Practices waiting for review" not in client.get(_url(assessment_a)).content.decode()
