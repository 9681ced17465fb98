"""Every change on record: who answered, changed, commented, planned, reopened, signed off,
started or deleted a round, and when; read in the reader's language; kept when people go."""

import datetime
import json

import pytest

from inclusion.assessments.actions import add_gap_to_plan, delete_action, save_action
from inclusion.assessments.answers import clear_answer, save_answer
from inclusion.assessments.history import events_for, record
from inclusion.assessments.models import Action, ActionStatus, HistoryEvent, HistoryKind
from inclusion.assessments.notes import save_note
from inclusion.assessments.rounds import delete_round, reopen_round, sign_off_round, start_next_round
from inclusion.organisations.models import Membership

from ..factories.organisations import member_of


def kinds(assessment):
    return [event.kind for event in events_for(assessment).order_by("at", "pk")]


def _url(assessment, language="en", query=""):
    return f"/{language}/assessments/{assessment.public_id}/history/{query}"


def test_starting_a_self_assessment_is_on_record(assessment_a, editor_a):
    (event,) = events_for(assessment_a)
    assert (event.kind, event.actor, event.actor_name, event.round_number) == (
        HistoryKind.ROUND_STARTED,
        editor_a,
        editor_a.email,
        1,
    )


def test_answering_changing_and_clearing_are_on_record(assessment_a, editor_a, owner_a):
    save_answer(assessment_a, "a1.c1", "no", "", editor_a)
    save_answer(assessment_a, "a1.c1", "no", "", owner_a)  # the same again: nothing changed
    save_answer(assessment_a, "a1.c1", "yes", "", owner_a)
    save_answer(assessment_a, "a1.c1", "yes", "Checked with the team", editor_a)
    clear_answer(assessment_a, "a1.c1", user=owner_a)

    events = list(events_for(assessment_a, item_id="a1.c1").order_by("at", "pk"))
    assert [(e.kind, e.actor, e.data.get("value"), e.data.get("previous")) for e in events] == [
        (HistoryKind.ANSWERED, editor_a, "no", None),
        (HistoryKind.ANSWER_CHANGED, owner_a, "yes", "no"),
        (HistoryKind.ANSWER_CHANGED, editor_a, "yes", "yes"),
        (HistoryKind.ANSWER_CLEARED, owner_a, None, "yes"),
    ]
    assert {event.area for event in events} == {"a1"}


def test_notes_are_on_record_only_when_they_change(assessment_a, editor_a):
    save_note(assessment_a, "a2", "First", 0, editor_a)
    save_note(assessment_a, "a2", "First", 1, editor_a)  # the area form saved again unchanged
    save_note(assessment_a, "a2", "Second", 2, editor_a)
    save_note(assessment_a, "a2", "Stale", 1, editor_a)  # a conflict: nothing written

    notes = events_for(assessment_a, area="a2")
    assert [(event.kind, event.area) for event in notes] == [(HistoryKind.NOTE_SAVED, "a2")] * 2


def test_rounds_are_on_record(assessment_a, owner_a, editor_a):
    second = start_next_round(assessment_a, editor_a)
    reopen_round(assessment_a, owner_a)
    sign_off_round(second, "Head of department", datetime.date(2026, 11, 20), owner_a)
    delete_round(assessment_a, owner_a)

    events = list(events_for(second).order_by("at", "pk"))
    assert [(e.kind, e.round_number, e.actor) for e in events] == [
        (HistoryKind.ROUND_STARTED, 1, editor_a),
        (HistoryKind.ROUND_STARTED, 2, editor_a),
        (HistoryKind.ROUND_REOPENED, 1, owner_a),
        (HistoryKind.ROUND_SIGNED_OFF, 2, owner_a),
        (HistoryKind.ROUND_DELETED, 1, owner_a),
    ]
    assert events[1].data == {"from_round": 1}
    assert events[3].data == {"name": "Head of department", "on": "2026-11-20"}
    # The deleted round's events stay in the series' history, no longer linked to the round.
    assert [e.assessment_id for e in events if e.round_number == 1] == [None, None, None]


def test_actions_are_on_record(assessment_a, edition, editor_a, owner_a):
    action = add_gap_to_plan(assessment_a, edition, "a1.c2", editor_a)
    action.status = ActionStatus.IN_PROGRESS
    action.owner_user = owner_a
    save_action(assessment_a, action, editor_a)
    free = save_action(assessment_a, Action(description="Ask the school", owner="Riga school"), owner_a)
    delete_action(assessment_a, free, owner_a)

    events = list(events_for(assessment_a).exclude(kind=HistoryKind.ROUND_STARTED).order_by("at", "pk"))
    assert [(e.kind, e.actor, e.item_id) for e in events] == [
        (HistoryKind.ACTION_ADDED, editor_a, "a1.c2"),
        (HistoryKind.ACTION_CHANGED, editor_a, "a1.c2"),
        (HistoryKind.ACTION_ADDED, owner_a, ""),
        (HistoryKind.ACTION_DELETED, owner_a, ""),
    ]
    assert events[1].data["status"] == "in_progress" and events[1].data["previous_status"] == "open"
    assert events[1].data["owner"] == owner_a.email


def test_the_history_page_words_each_change_for_the_reader(client, assessment_a, editor_a):
    save_answer(assessment_a, "a1.c3", "partly", "", editor_a)
    save_answer(assessment_a, "a1.c3", "yes", "", editor_a)
    client.force_login(editor_a)

    page = client.get(_url(assessment_a)).content.decode()

    assert "changed the answer to item 1.3 from “Partly” to “Yes”" in page
    assert "answered item 1.3: “Partly”" in page
    assert "started round 1" in page
    assert editor_a.email in page
    assert "a1.c3" not in page.replace("?item=a1.c3", "")  # no internal IDs in the text


def test_the_history_page_shows_dates_and_item_texts_in_the_readers_language(client, assessment_a, editor_a, handbook):
    save_answer(assessment_a, "a1.c1", "yes", "", editor_a)
    event = events_for(assessment_a, item_id="a1.c1").get()
    HistoryEvent.objects.filter(pk=event.pk).update(at=datetime.datetime(2026, 3, 4, 5, 6, tzinfo=datetime.UTC))
    client.force_login(editor_a)

    english = client.get(_url(assessment_a, "en")).content.decode()
    latvian = client.get(_url(assessment_a, "lv")).content.decode()

    assert "04/03/2026" in english and "04.03.2026." in latvian
    lv_text = handbook.edition("lv").entries["a1.c1"].node.text[:40]
    en_text = handbook.edition("en").entries["a1.c1"].node.text[:40]
    assert lv_text != en_text
    assert lv_text in latvian and en_text in english


def test_the_history_of_one_item_and_of_one_key_area(client, assessment_a, editor_a):
    save_answer(assessment_a, "a1.c1", "yes", "", editor_a)
    save_answer(assessment_a, "a2.c1", "no", "", editor_a)
    save_note(assessment_a, "a2", "Notes", 0, editor_a)
    client.force_login(editor_a)

    item = client.get(_url(assessment_a, query="?item=a2.c1")).content.decode()
    area = client.get(_url(assessment_a, query="?area=a2")).content.decode()

    assert "answered item 2.1" in item and "item 1.1" not in item and "notes" not in item
    assert "answered item 2.1" in area and "changed the notes on key area 2" in area and "item 1.1" not in area


def test_the_area_page_links_each_item_to_its_history(client, assessment_a, editor_a):
    client.force_login(editor_a)
    page = client.get(f"/en/assessments/{assessment_a.public_id}/areas/1/").content.decode()
    assert f"/en/assessments/{assessment_a.public_id}/history/?item=a1.c1" in page


def test_a_member_who_left_or_was_deleted_is_shown_as_a_former_member(client, org_a, assessment_a, owner_a):
    leaver = member_of(org_a, "editor", "leaver@a.example")
    deleted = member_of(org_a, "editor", "deleted@a.example")
    deleted.first_name, deleted.last_name = "Dace", "Ozola"
    deleted.save()
    save_answer(assessment_a, "a1.c1", "yes", "", leaver)
    save_answer(assessment_a, "a1.c2", "no", "", deleted)
    Membership.objects.filter(user=leaver).delete()
    deleted.delete()
    client.force_login(owner_a)

    page = client.get(_url(assessment_a)).content.decode()

    assert HistoryEvent.objects.filter(item_id="a1.c2", actor__isnull=True, actor_name="Dace Ozola").exists()
    rows = page.split("<li>")
    leaver_row = next(row for row in rows if "leaver@a.example" in row)
    deleted_row = next(row for row in rows if "Dace Ozola" in row)
    starter_row = next(row for row in rows if "started round 1" in row)
    assert "former member" in leaver_row and "former member" in deleted_row
    assert "former member" not in starter_row  # the editor who started it is still a member


def test_the_history_of_a_private_link_self_assessment(client):
    from inclusion.assessments.rounds import start_assessment

    assessment, token = start_assessment(title="Our NGO", organisation_kind="ngo")
    client.get(f"/en/assessments/private/{token}/")
    save_answer(assessment, "a1.c1", "yes")

    page = client.get(_url(assessment)).content.decode()

    assert "the holder of the private link" in page and "former member" not in page


def test_history_page_queries_do_not_grow_with_the_events(
    client, assessment_a, editor_a, owner_a, django_assert_num_queries
):
    client.force_login(owner_a)
    save_answer(assessment_a, "a1.c1", "yes", "", editor_a)
    # Session, user, the assessment with its organisation and the membership; count, page of
    # events with their people, the organisation's members.
    with django_assert_num_queries(6):
        assert client.get(_url(assessment_a)).status_code == 200
    people = [member_of(assessment_a.organisation, "editor") for _ in range(5)]
    for number in range(80):
        record(assessment_a, HistoryKind.ANSWERED, people[number % 5], item_id="a1.c2", data={"value": "no"})
    with django_assert_num_queries(6):
        response = client.get(_url(assessment_a))
    assert response.status_code == 200
    assert response.content.decode().count('<time datetime="') == 50  # one page
    with django_assert_num_queries(6):
        assert client.get(_url(assessment_a, query="?page=2")).status_code == 200


def test_an_outsider_sees_no_history(client, assessment_b, outsider):
    client.force_login(outsider)
    assert client.get(_url(assessment_b)).status_code == 404


def test_the_json_export_carries_the_history_the_sign_off_and_action_owners(
    client, assessment_a, edition, editor_a, owner_a
):
    save_answer(assessment_a, "a1.c1", "yes", "", editor_a)
    action = add_gap_to_plan(assessment_a, edition, "a1.c1", editor_a)
    action.owner_user, action.status = editor_a, ActionStatus.DONE
    save_action(assessment_a, action, owner_a)
    sign_off_round(assessment_a, "Head of department", datetime.date(2026, 11, 20), owner_a)
    Membership.objects.filter(user=editor_a).delete()  # the editor leaves
    client.force_login(owner_a)

    data = json.loads(client.get(f"/en/assessments/{assessment_a.public_id}/export.json").content)

    assert data["signed_off"] == {"on": "2026-11-20", "name": "Head of department", "by": owner_a.email}
    (exported,) = data["actions"]
    assert exported["owner"] == editor_a.email and exported["owner_is_member"] is False
    assert exported["status_changed_by"] == owner_a.email
    history = data["history"]
    assert [(e["kind"], e["by"], e["former_member"]) for e in history] == [
        ("round_started", editor_a.email, True),
        ("answered", editor_a.email, True),
        ("action_added", editor_a.email, True),
        ("action_changed", owner_a.email, False),
        ("round_signed_off", owner_a.email, False),
    ]
    assert history[1]["item"] == "a1.c1" and history[1]["data"] == {"value": "yes", "comment": ""}


def test_record_is_simple_to_call_from_other_modules(assessment_a, editor_a):
    event = record(assessment_a, HistoryKind.NOTE_SAVED, editor_a, data={"area": "a3"})
    assert (event.series, event.area, event.round_number) == (assessment_a.series, "a3", 1)
    anonymous = record(assessment_a, HistoryKind.ANSWERED, None, round=1, item_id="a4.c1", data={"value": "no"})
    assert (anonymous.actor, anonymous.actor_name, anonymous.area) == (None, "", "a4")


@pytest.mark.parametrize("language", ["en", "lv"])
def test_every_kind_is_worded(client, assessment_a, edition, editor_a, language):
    for kind in HistoryKind.values:
        record(assessment_a, kind, editor_a, item_id="a1.c1", data={"value": "yes", "area": "a1"})
    client.force_login(editor_a)
    response = client.get(_url(assessment_a, language))
    assert response.status_code == 200
    assert response.content.decode().count('<time datetime="') == len(HistoryKind.values) + 1
