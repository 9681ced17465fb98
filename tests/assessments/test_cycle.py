"""Issue 11: rounds carry the plan forward, round guards, answer conflicts."""

import pytest
from django.template.loader import render_to_string
from django.test import Client

from inclusion.assessments.actions import save_action
from inclusion.assessments.answers import AnswerConflict, save_answer
from inclusion.assessments.models import Action, ActionEvent, ActionStatus, Assessment
from inclusion.assessments.rounds import start_next_round
from inclusion.organisations.models import Membership, Organisation, Role
from tests.factories import member_of


def _action(assessment, description, status=ActionStatus.OPEN, area="a1", user=None):
    return save_action(assessment, Action(description=description, area=area, status=status), user)


def test_next_round_carries_unfinished_actions_forward_with_their_history(assessment_a, editor_a):
    todo = _action(assessment_a, "Translate the leaflet", user=editor_a)
    doing = _action(assessment_a, "Train the front desk", ActionStatus.IN_PROGRESS, user=editor_a)
    done = _action(assessment_a, "Hire an interpreter", ActionStatus.DONE, user=editor_a)
    dropped = _action(assessment_a, "Buy a kiosk", ActionStatus.DROPPED, user=editor_a)

    second = start_next_round(assessment_a, editor_a)

    assert set(second.actions.values_list("description", flat=True)) == {todo.description, doing.description}
    assert set(assessment_a.actions.values_list("description", flat=True)) == {done.description, dropped.description}
    doing.refresh_from_db()
    assert (doing.planned_in_round, list(doing.events.values_list("status", "round_number"))) == (
        1,
        [("in_progress", 1)],
    )


def test_status_change_records_who_and_when(assessment_a, editor_a, org_a):
    colleague = member_of(org_a, Role.EDITOR, "colleague@a.example")
    action = _action(assessment_a, "Translate the leaflet", user=editor_a)
    action.status = ActionStatus.DONE
    save_action(assessment_a, action, colleague)
    action.refresh_from_db()
    assert action.status_changed_by == colleague
    assert action.status_changed_at is not None
    assert list(ActionEvent.objects.values_list("status", "changed_by__email")) == [
        ("open", "editor@a.example"),
        ("done", "colleague@a.example"),
    ]
    # Saving without a new status adds no history.
    action.description = "Translate the leaflet into Ukrainian"
    save_action(assessment_a, action, editor_a)
    assert ActionEvent.objects.count() == 2


def test_action_owner_is_a_member_or_free_text(client, editor_a, org_a, org_b, owner_b, assessment_a):
    colleague = member_of(org_a, Role.VIEWER, "colleague@a.example")
    client.force_login(editor_a)
    url = f"/en/assessments/{assessment_a.public_id}/actions/new/"
    page = client.get(url).content.decode()
    assert "colleague@a.example" in page
    assert "owner@b.example" not in page
    response = client.post(url, {"description": "Leaflet", "owner_user": colleague.pk, "status": "open"})
    assert response.status_code == 302
    assert Action.objects.get().owner_user == colleague
    # Someone of another organisation cannot be chosen.
    response = client.post(url, {"description": "Other", "owner_user": owner_b.pk, "status": "open"})
    assert response.status_code == 200
    response = client.post(url, {"description": "Kiosk", "owner": "Anna from the library", "status": "dropped"})
    assert response.status_code == 302
    page = client.get(f"/en/assessments/{assessment_a.public_id}/actions/").content.decode()
    assert "colleague@a.example" in page
    assert "Anna from the library" in page
    assert "Dropped" in page


def test_action_plan_shows_no_item_ids(client, editor_a, assessment_a):
    client.force_login(editor_a)
    client.post(f"/en/assessments/{assessment_a.public_id}/actions/from-gap/", {"item": "a1.c1"})
    action = Action.objects.get()
    action.description = "Our own words"
    action.save()
    page = client.get(f"/en/assessments/{assessment_a.public_id}/actions/").content.decode()
    assert "a1.c1" not in page


def test_summary_and_comparison_show_done_and_open_actions_per_area(client, editor_a, assessment_a):
    _action(assessment_a, "Translate the leaflet", area="a2")
    _action(assessment_a, "Old finished step", ActionStatus.DONE, area="a2")
    second = start_next_round(assessment_a, editor_a)
    moved = second.actions.get()
    moved.status = ActionStatus.DONE
    save_action(second, moved, editor_a)
    _action(second, "Train the front desk", ActionStatus.IN_PROGRESS, area="a2")
    client.force_login(editor_a)
    for url in (f"/en/assessments/{second.public_id}/summary/", f"/en/assessments/{second.public_id}/compare/"):
        page = client.get(url).content.decode()
        section = page[page.index('id="result-a2"' if "summary" in url else 'id="change-a2"') :]
        section = section[: section.index("</section>")]
        done_list = section[section.index('class="plan-done"') :]
        assert "Translate the leaflet" in done_list[: done_list.index("</ul>")]
        open_list = section[section.index('class="plan-open"') :]
        assert "Train the front desk" in open_list[: open_list.index("</ul>")]
        assert "Old finished step" not in page


def test_earlier_round_is_read_only_until_an_owner_reopens_it(owner_a, client, org_a, editor_a, assessment_a):
    second = start_next_round(assessment_a, editor_a)
    client.force_login(editor_a)
    base = f"/en/assessments/{assessment_a.public_id}"
    response = client.post(f"{base}/answers/", {"item": "a1.c1", "value": "yes"})
    assert response.status_code == 403
    assert not assessment_a.answers.exists()
    assert client.post(f"{base}/actions/new/", {"description": "x", "status": "open"}).status_code == 403
    assert "A newer round has started" in client.get(f"{base}/").content.decode()
    # An editor cannot reopen it; an owner can.
    assert client.post(f"{base}/round/reopen/").status_code == 403
    client.force_login(owner_a)
    assert client.post(f"{base}/round/reopen/").status_code == 302
    assert client.post(f"{base}/answers/", {"item": "a1.c1", "value": "yes"}).status_code == 200
    assert assessment_a.answers.get().value == "yes"
    assert not second.answers.filter(item_id="a1.c1", value="yes").exists()


def test_back_button_or_double_submit_never_creates_an_extra_round(client, editor_a, assessment_a):
    client.force_login(editor_a)
    url = f"/en/assessments/{assessment_a.public_id}/rounds/new/"
    first = client.post(url, {"based_on": 1})
    second_round = Assessment.objects.get(round_number=2)
    assert first.headers["Location"] == f"/en/assessments/{second_round.public_id}/"
    again = client.post(url, {"based_on": 1})
    assert again.headers["Location"] == f"/en/assessments/{second_round.public_id}/"
    # From round 2, the next is round 3; Back to round 2 and again gives round 3, not 4.
    client.post(f"/en/assessments/{second_round.public_id}/rounds/new/", {"based_on": 2})
    client.post(f"/en/assessments/{second_round.public_id}/rounds/new/", {"based_on": 2})
    client.post(url, {"based_on": 1})
    assert sorted(Assessment.objects.values_list("round_number", flat=True)) == [1, 2, 3]


def test_owner_deletes_a_round_after_a_confirmation_that_says_what_is_lost(
    owner_a, client, org_a, editor_a, assessment_a
):
    save_answer(assessment_a, "a1.c1", "no", "", editor_a)
    _action(assessment_a, "Carried step")
    second = start_next_round(assessment_a, editor_a)
    _action(second, "Own step")
    save_answer(second, "a1.c2", "yes", "", editor_a)
    base = f"/en/assessments/{second.public_id}/round/delete/"
    client.force_login(editor_a)
    assert client.get(base).status_code == 403
    client.force_login(owner_a)
    page = client.get(base).content.decode()
    assert "2 answers" in page
    assert "1 action planned in this round" in page
    assert Assessment.objects.count() == 2
    response = client.post(base)
    assert response.headers["Location"] == f"/en/assessments/{assessment_a.public_id}/"
    assert list(Assessment.objects.all()) == [assessment_a]
    assessment_a.refresh_from_db()
    assert not assessment_a.is_read_only
    assert list(assessment_a.actions.values_list("description", flat=True)) == ["Carried step"]


def test_owner_signs_off_a_round_and_it_becomes_read_only_with_the_pdf_showing_it(
    owner_a, client, org_a, editor_a, assessment_a
):
    base = f"/en/assessments/{assessment_a.public_id}"
    client.force_login(editor_a)
    assert client.post(f"{base}/round/sign-off/", {"name": "Ieva", "signed_off_on": "2026-11-20"}).status_code == 403
    client.force_login(owner_a)
    assert (
        client.post(f"{base}/round/sign-off/", {"name": "Ieva Ozola", "signed_off_on": "2026-11-20"}).status_code == 302
    )
    assessment_a.refresh_from_db()
    assert (str(assessment_a.signed_off_on), assessment_a.signed_off_name) == ("2026-11-20", "Ieva Ozola")
    client.force_login(editor_a)
    assert client.post(f"{base}/answers/", {"item": "a1.c1", "value": "yes"}).status_code == 403
    assert "Ieva Ozola" in client.get(f"{base}/").content.decode()
    html = render_to_string("assessments/pdf/summary.html", {"assessment": assessment_a, "summary": None, "plan": []})
    assert "Signed off as final" in html and "Ieva Ozola" in html
    # Starting the next round from a signed-off round is still possible.
    assert client.post(f"{base}/rounds/new/").status_code == 302
    assert Assessment.objects.count() == 2


def test_start_from_an_organisation_page_preselects_it(client, editor_a, org_a):
    other = Organisation.objects.create(name="Aaa First", slug="aaa-first", kind="ngo")
    Membership.objects.create(user=editor_a, organisation=other, role=Role.EDITOR)
    client.force_login(editor_a)
    detail = client.get(f"/en/organisations/{org_a.slug}/").content.decode()
    assert f"/en/assessments/?organisation={org_a.pk}" in detail
    assert client.get("/en/assessments/").context["form"]["organisation"].value() == str(other.pk)
    response = client.get(f"/en/assessments/?organisation={org_a.pk}")
    assert response.context["form"]["organisation"].value() == str(org_a.pk)


def test_stale_answer_save_is_refused_with_the_newer_answer(assessment_a, editor_a, org_a):
    colleague = member_of(org_a, Role.EDITOR, "colleague@a.example")
    save_answer(assessment_a, "a1.c1", "yes", "", colleague, base_version=0)
    with pytest.raises(AnswerConflict) as raised:
        save_answer(assessment_a, "a1.c1", "no", "", editor_a, base_version=0)
    assert (raised.value.answer.value, raised.value.answer.updated_by) == ("yes", colleague)
    # Saying the same as the newer answer is no conflict; a save on the newer version wins.
    save_answer(assessment_a, "a1.c1", "yes", "", editor_a, base_version=0)
    answer = save_answer(assessment_a, "a1.c1", "no", "", editor_a, base_version=2)
    assert (answer.value, answer.version) == ("no", 3)


def test_autosave_conflict_offers_keep_or_replace_and_updates_the_counter(client, assessment_a, editor_a, org_a):
    colleague = member_of(org_a, Role.EDITOR, "colleague@a.example")
    url = f"/en/assessments/{assessment_a.public_id}/answers/"
    other = Client()
    other.force_login(colleague)
    response = other.post(url, {"item": "a1.c1", "answer-a1.c1": "yes", "version-a1.c1": "0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="version-a1-c1" value="1" hx-swap-oob="true"' in body
    assert 'id="area-progress-bar" hx-swap-oob="true"' in body
    assert "1 of " in body

    client.force_login(editor_a)
    stale = client.post(url, {"item": "a1.c1", "answer-a1.c1": "no", "version-a1.c1": "0"}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "colleague@a.example" in body and "Yes" in body
    assert "Replace theirs with mine" in body and "Keep theirs" in body
    assert assessment_a.answers.get().value == "yes"
    replaced = client.post(url, {"item": "a1.c1", "answer-a1.c1": "no", "version-a1.c1": "1"}, HTTP_HX_REQUEST="true")
    assert replaced.status_code == 200
    assert assessment_a.answers.get().value == "no"


def _area_post(item_value, version, **extra):
    data = {"note": "", "note_version": 0, "answer-a1.c1": item_value, "original-a1.c1": "", "version-a1.c1": version}
    return {**data, **extra}


def test_without_javascript_a_stale_area_save_shows_the_conflict_and_one_click_resolves_it(
    client, assessment_a, editor_a, org_a
):
    colleague = member_of(org_a, Role.EDITOR, "colleague@a.example")
    save_answer(assessment_a, "a1.c1", "yes", "", colleague)
    client.force_login(editor_a)
    url = f"/en/assessments/{assessment_a.public_id}/areas/1/"
    response = client.post(url, _area_post("no", 0))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Some answers were not saved" in page and "colleague@a.example" in page
    assert 'name="resolve-a1.c1" value="keep"' in page
    assert 'name="version-a1.c1" value="1"' in page
    assert assessment_a.answers.get().value == "yes"
    # Keep theirs: nothing of theirs changes.
    assert client.post(url, _area_post("no", 1, **{"resolve-a1.c1": "keep"})).status_code == 302
    assert assessment_a.answers.get().value == "yes"
    # Replace: the version shown with the conflict is now the base, so it saves.
    assert client.post(url, _area_post("no", 1, **{"resolve-a1.c1": "replace"})).status_code == 302
    assert assessment_a.answers.get().value == "no"
