"""Self-assessment rules, tested without HTTP."""

import pytest

from inclusion.assessments.answers import applicable_items, item_applies, save_answer
from inclusion.assessments.exceptions import AssessmentError
from inclusion.assessments.models import Answer, AreaNote, Assessment
from inclusion.assessments.notes import save_note
from inclusion.assessments.rounds import compare_rounds, latest_rounds, start_assessment, start_next_round
from inclusion.assessments.summary import COMPREHENSIVE, IMPROVE, NOT_STARTED, RETHINK, compile_summary
from inclusion.core.tokens import hash_token
from inclusion.handbook.content import ChecklistItem
from inclusion.handbook.models import HandbookItem

from .conftest import answer_everything


@pytest.mark.parametrize(
    ("applies_to", "kind", "shown"),
    [
        ("all", "ngo", True),
        ("authority", "authority", True),
        ("authority", "ngo", False),
        ("authority", "education", False),
        ("not_ngo", "ngo", False),
        ("not_ngo", "refugee_led", False),
        ("not_ngo", "faith", False),
        ("not_ngo", "business", True),
        ("not_ngo", "authority", True),
    ],
)
def test_item_applies_by_kind_of_organisation(applies_to, kind, shown):
    item = ChecklistItem(id="a3.c1", text="x", applies_to=applies_to)
    assert item_applies(item, kind) is shown


def test_area_4_local_authority_checklist_only_for_authorities(edition):
    authority = [item.id for item in applicable_items(edition.area(4), "authority")]
    ngo = [item.id for item in applicable_items(edition.area(4), "ngo")]
    assert authority == [f"a4.c{n}" for n in range(1, 20)]
    assert ngo == [f"a4.c{n}" for n in range(1, 15)]


def test_anonymous_assessment_stores_only_the_hash_of_its_link():
    assessment, token = start_assessment(title="Mine", organisation_kind="ngo")
    assert len(token) >= 40
    assert assessment.private_token_hash == hash_token(token)
    assert token not in str(Assessment.objects.filter(pk=assessment.pk).values().get())


@pytest.mark.parametrize(
    ("item", "value", "comment", "message"),
    [
        ("a1.c99", "yes", "", "is not a checklist item"),
        ("a1.b1", "yes", "", "is not a checklist item"),
        ("a1.c1", "maybe", "", "is not a valid answer"),
        ("a1.c1", "yes", "x" * 2001, "too long"),
        ("a4.c15", "yes", "", "does not apply"),
    ],
)
def test_bad_answers_are_refused_and_change_nothing(assessment_b, item, value, comment, message):
    before = list(Answer.objects.values_list("item_id", "value", "comment"))
    with pytest.raises(AssessmentError, match=message):
        save_answer(assessment_b, item, value, comment)
    assert list(Answer.objects.values_list("item_id", "value", "comment")) == before


def test_retired_items_cannot_be_answered(assessment_a):
    HandbookItem.objects.filter(key="a1.c2").update(retired_at="2026-01-01T00:00:00Z")
    with pytest.raises(AssessmentError, match="retired"):
        save_answer(assessment_a, "a1.c2", "yes")


def test_answers_are_stored_per_item_and_last_save_wins(assessment_a):
    save_answer(assessment_a, "a1.c1", "no")
    save_answer(assessment_a, "a1.c2", "partly", "half")
    save_answer(assessment_a, "a1.c1", "yes", "now done")
    assert dict(assessment_a.answers.values_list("item_id", "value")) == {"a1.c1": "yes", "a1.c2": "partly"}


def test_notes_are_sanitised(assessment_a):
    saved = save_note(
        assessment_a, "a2", '<p onclick="x()">Plan <strong>A</strong><script>alert(1)</script></p><img src=x>', 0
    )
    assert saved.note.text == "<p>Plan <strong>A</strong></p>"


def test_note_saved_on_an_old_version_is_a_conflict_not_an_overwrite(assessment_a):
    first = save_note(assessment_a, "a1", "mine", 0)
    assert (first.conflict, first.note.version) == (False, 1)
    theirs = save_note(assessment_a, "a1", "theirs", 1)
    assert (theirs.conflict, theirs.note.version) == (False, 2)
    stale = save_note(assessment_a, "a1", "mine again", 1)
    assert stale.conflict is True
    assert stale.note.text == "theirs"
    assert AreaNote.objects.get(assessment=assessment_a, area="a1").text == "theirs"
    # Two first saves of the same area: the second is told, nothing is lost.
    save_note(assessment_a, "a2", "first", 0)
    assert save_note(assessment_a, "a2", "second", 0).conflict is True


@pytest.mark.parametrize(("area", "text"), [("a7", "x"), ("a1", "x" * 20_001)])
def test_bad_notes_are_refused(assessment_a, area, text):
    with pytest.raises(AssessmentError):
        save_note(assessment_a, area, text, 0)
    assert not AreaNote.objects.exists()


def _area_result(assessment, edition, number):
    return compile_summary(assessment, edition).areas[number - 1]


def test_reading_and_score_follow_the_handbook(assessment_a, edition):
    assert _area_result(assessment_a, edition, 1).reading == NOT_STARTED
    assert _area_result(assessment_a, edition, 1).score is None
    # 10 items: 6 yes, 2 partly, 1 no, 1 not applicable -> 7 points of 9 counted = 78 %.
    for n, value in enumerate(["yes"] * 6 + ["partly"] * 2 + ["no", "na"], start=1):
        save_answer(assessment_a, f"a1.c{n}", value)
    result = _area_result(assessment_a, edition, 1)
    assert (result.score, result.reading, result.is_complete) == (78, IMPROVE, True)
    assert [gap.item.id for gap in result.gaps] == ["a1.c7", "a1.c8", "a1.c9"]


def test_all_met_is_comprehensive_and_none_met_is_rethink(assessment_a, edition):
    answer_everything(assessment_a, edition, "yes")
    summary = compile_summary(assessment_a, edition)
    assert {area.reading for area in summary.areas} == {COMPREHENSIVE}
    assert {area.score for area in summary.areas} == {100}
    assert {action.reading for action in summary.key_actions} == {COMPREHENSIVE}
    assert summary.progress == 100
    answer_everything(assessment_a, edition, "no")
    summary = compile_summary(assessment_a, edition)
    assert {area.reading for area in summary.areas} == {RETHINK}
    assert {area.score for area in summary.areas} == {0}


def test_partly_everywhere_is_improve_not_rethink(assessment_a, edition):
    answer_everything(assessment_a, edition, "partly")
    assert _area_result(assessment_a, edition, 2).reading == IMPROVE
    assert _area_result(assessment_a, edition, 2).score == 50


def test_not_applicable_everywhere_is_not_scored(assessment_a, edition):
    answer_everything(assessment_a, edition, "na")
    result = _area_result(assessment_a, edition, 3)
    assert (result.score, result.reading, result.is_complete) == (None, NOT_STARTED, True)


def test_rounding_half_up(assessment_a, edition):
    # 1 partly of 2 counted items = 25 %; 1 yes + 1 partly + 1 no of 3 = 50 %; 1 partly of 8 = 6.25 -> 6.
    save_answer(assessment_a, "a5.c1", "partly")
    save_answer(assessment_a, "a5.c2", "no")
    assert _area_result(assessment_a, edition, 5).score == 25
    for n in range(3, 9):
        save_answer(assessment_a, f"a5.c{n}", "no")
    assert _area_result(assessment_a, edition, 5).score == 6


def test_new_round_copies_answers_and_notes_and_comparison_shows_changes(assessment_a, edition):
    save_answer(assessment_a, "a1.c1", "no", "not yet")
    save_answer(assessment_a, "a1.c2", "yes")
    save_note(assessment_a, "a1", "<p>first round</p>", 0)

    second = start_next_round(assessment_a)

    assert (second.round_number, second.previous, second.series) == (2, assessment_a, assessment_a.series)
    assert dict(second.answers.values_list("item_id", "comment")) == {"a1.c1": "not yet", "a1.c2": ""}
    assert second.notes.get(area="a1").text == "<p>first round</p>"
    save_answer(second, "a1.c1", "yes")
    changes = compare_rounds(compile_summary(assessment_a, edition), compile_summary(second, edition))
    area_1 = changes[0]
    assert (area_1.before, area_1.after, area_1.delta) == (50, 100, 50)
    assert [(c.item.id, c.before, c.after) for c in area_1.changes] == [("a1.c1", "no", "yes")]
    assert all(change.changes == [] for change in changes[1:])
    # A third round always continues from the latest one.
    third = start_next_round(assessment_a)
    assert (third.round_number, third.previous) == (3, second)
    assert third.answers.get(item_id="a1.c1").value == "yes"


def test_latest_rounds_lists_each_series_once(org_a, assessment_a):
    start_next_round(assessment_a)
    start_assessment(title="Other", organisation_kind="authority", organisation=org_a)
    latest = latest_rounds(org_a)
    assert sorted((a.title, a.round_number) for a in latest) == [("Other", 1), ("Reception", 2)]
