"""The self-assessment summary's reading and score of the checklist, and the comparison of
rounds: built from unsaved answers, without the database."""

import pytest

from inclusion.assessments.models import Answer
from inclusion.assessments.rounds import AreaChange, compare_rounds
from inclusion.assessments.summary import (
    COMPREHENSIVE,
    IMPROVE,
    NOT_STARTED,
    RETHINK,
    AreaResult,
    CompiledSummary,
    ItemResult,
    KeyActionResult,
)


@pytest.fixture
def areas(handbook):
    return handbook.edition("en").areas


def area_result(area, values):
    """An area's result with the given answers in item order (None: not answered)."""
    items = area.checklist_items
    assert len(values) <= len(items)
    padded = [*values, *[None] * (len(items) - len(values))]
    return AreaResult(
        area=area,
        items=[
            ItemResult(item, None if value is None else Answer(value=value))
            for item, value in zip(items, padded, strict=True)
        ],
        note=None,
    )


def summary(areas, values_by_area):
    return CompiledSummary(
        assessment=None, areas=[area_result(area, values_by_area.get(area.id, [])) for area in areas]
    )


def test_unanswered_lists_exactly_the_items_without_an_answer(areas):
    result = area_result(areas[0], ["yes", None, "na", None, "no"])
    ids = [item.id for item in areas[0].checklist_items]
    assert [r.item.id for r in result.unanswered] == [ids[1], ids[3], *ids[5:]]
    assert [r.item.id for r in result.answered] == [ids[0], ids[2], ids[4]]
    assert [r.item.id for r in result.counted] == [ids[0], ids[4]]
    assert [r.item.id for r in result.gaps] == [ids[4]]
    assert result.is_complete is False


def test_everything_answered_leaves_nothing_unanswered(areas):
    result = area_result(areas[0], ["na"] * len(areas[0].checklist_items))
    assert (result.unanswered, result.is_complete) == ([], True)


@pytest.mark.parametrize(
    ("values", "score", "reading"),
    [
        ([], None, NOT_STARTED),
        (["na", "na"], None, NOT_STARTED),
        (["yes", "na"], 100, COMPREHENSIVE),
        (["no", "na"], 0, RETHINK),
        (["yes", "no"], 50, IMPROVE),
        (["partly"], 50, IMPROVE),
        (["partly", "no"], 25, IMPROVE),
        (["yes", "partly", "no"], 50, IMPROVE),
        (["yes", "yes", "partly"], 83, IMPROVE),  # 2.5 of 3 = 83.3
        (["partly", "no", "no", "no", "no", "no", "no", "no"], 6, IMPROVE),  # 6.25 → 6
        (["yes", "partly", "no", "no"], 38, IMPROVE),  # 37.5 → 38: half up
    ],
)
def test_area_score_and_reading(areas, values, score, reading):
    result = area_result(areas[4], values)
    assert (result.score, result.reading) == (score, reading)


def test_key_action_is_in_place_only_when_every_area_is_comprehensive(areas):
    comprehensive, improve, not_started = (
        area_result(areas[0], ["yes"]),
        area_result(areas[1], ["yes", "no"]),
        area_result(areas[2], []),
    )
    assert KeyActionResult("s1", "", [comprehensive, comprehensive]).reading == COMPREHENSIVE
    assert KeyActionResult("s1", "", [comprehensive, improve]).reading == IMPROVE
    assert KeyActionResult("s1", "", [comprehensive, not_started]).reading == NOT_STARTED
    assert KeyActionResult("s1", "", [improve, not_started]).reading == NOT_STARTED


def test_progress_counts_answered_items_of_all_areas(areas):
    total = sum(len(area.checklist_items) for area in areas)
    result = summary(areas, {"a1": ["yes", "na", None, "no"]})
    assert (result.answered, result.total) == (3, total)
    assert result.progress == round(100 * 3 / total)
    assert summary([], {}).progress == 0


def test_compare_rounds_lists_changed_items_and_score_deltas(areas):
    earlier = summary(areas, {"a1": ["no", "yes"], "a2": ["yes"]})
    later = summary(areas, {"a1": ["yes", "yes"], "a2": ["yes"]})
    changes = compare_rounds(earlier, later)
    first_item = areas[0].checklist_items[0]
    assert [change.area.id for change in changes] == [area.id for area in areas]
    assert (changes[0].before, changes[0].after, changes[0].delta) == (50, 100, 50)
    assert [(c.item.id, c.before, c.after) for c in changes[0].changes] == [(first_item.id, "no", "yes")]
    assert (changes[1].delta, changes[1].changes) == (0, [])


def test_compare_rounds_with_one_side_unanswered(areas):
    earlier = summary(areas, {"a1": ["no"], "a3": ["yes"]})
    later = summary(areas, {"a2": ["yes"], "a3": ["yes"]})
    a1, a2, a3 = compare_rounds(earlier, later)[:3]
    # Answered before, not after: a change to "no answer", and no delta without a score.
    assert (a1.before, a1.after, a1.delta) == (0, None, None)
    assert [(c.item.id, c.before, c.after) for c in a1.changes] == [(areas[0].checklist_items[0].id, "no", None)]
    # Answered after only.
    assert (a2.before, a2.after, a2.delta) == (None, 100, None)
    assert [(c.item.id, c.before, c.after) for c in a2.changes] == [(areas[1].checklist_items[0].id, None, "yes")]
    assert (a3.delta, a3.changes) == (0, [])


@pytest.mark.parametrize(
    ("before", "after", "delta"), [(None, None, None), (None, 5, None), (5, None, None), (5, 7, 2)]
)
def test_delta_needs_both_scores(areas, before, after, delta):
    assert AreaChange(areas[0], before, after, []).delta == delta


def test_compare_rounds_refuses_summaries_of_different_areas(areas):
    with pytest.raises(ValueError, match="zip"):
        compare_rounds(summary(areas, {}), summary(areas[:-1], {}))
    with pytest.raises(ValueError, match="zip"):
        compare_rounds(summary(areas[:-1], {}), summary(areas, {}))
