"""The one suppression rule, at its boundaries: no group under 5 can be read or derived."""

import itertools

import pytest

from inclusion.core.suppression import (
    MIN_GROUP_SIZE,
    is_publishable,
    shown_total,
    suppress,
    suppress_cross,
)


def test_min_group_size_is_five():
    assert MIN_GROUP_SIZE == 5


@pytest.mark.parametrize(("total", "publishable"), [(0, False), (1, False), (4, False), (5, True), (6, True)])
def test_totals_under_five_are_not_publishable(total, publishable):
    assert is_publishable(total) is publishable
    assert shown_total(total) == (total if publishable else None)


def test_breakdown_without_small_cells_is_shown_whole():
    assert suppress({"lv": 5, "en": 9, "ar": 0}) == {"lv": 5, "en": 9, "ar": 0}


def test_breakdown_of_a_small_total_hides_every_cell():
    assert suppress({"yes": 3, "no": 1}) == {"yes": None, "no": None}
    assert suppress({"yes": 4, "no": 0}) == {"yes": None, "no": None}


def test_one_small_cell_takes_the_smallest_other_cell_with_it():
    # 8 answers, 6 in English: the Arabic and Farsi respondents must not be readable.
    assert suppress({"en": 6, "ar": 1, "fa": 1}) == {"en": None, "ar": None, "fa": None}
    # 20 answers: the single small cell hides the next smallest (7), not the largest.
    assert suppress({"en": 9, "lv": 7, "ar": 4}) == {"en": 9, "lv": None, "ar": None}


def test_hidden_cells_adding_up_to_under_five_take_another_cell():
    assert suppress({"a": 10, "b": 6, "c": 1, "d": 1}) == {"a": 10, "b": None, "c": None, "d": None}


def test_zero_cells_stay_visible_and_are_used_as_complement_only_as_a_last_resort():
    assert suppress({"a": 9, "b": 3, "c": 0, "d": 8}) == {"a": 9, "b": None, "c": 0, "d": None}


def test_a_lone_small_cell_with_nothing_to_hide_beside_it_hides_the_whole_breakdown():
    assert suppress({"a": 1, "b": 0, "c": 0}) == {"a": None, "b": None, "c": None}


def test_order_of_cells_is_kept():
    assert list(suppress({"z": 5, "a": 1, "m": 7})) == ["z", "a", "m"]


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        suppress({"a": -1, "b": 9})


def _derivable_cells(counts, shown):
    """Cells whose exact value a reader can work out from the shown cells and the total."""
    total = sum(counts.values())
    hidden = [key for key, value in shown.items() if value is None]
    if not hidden:
        return []
    rest = total - sum(value for value in shown.values() if value is not None)
    # Every assignment of the hidden cells that a reader cannot rule out: non-negative and
    # adding up to what is missing (a reader does not know which cells were hidden as
    # complements, so any value is possible for any hidden cell).
    possible = [values for values in itertools.product(range(rest + 1), repeat=len(hidden)) if sum(values) == rest]
    return [key for index, key in enumerate(hidden) if len({values[index] for values in possible}) == 1]


@pytest.mark.parametrize("counts", list(itertools.product(range(0, 9), repeat=3)))
def test_no_hidden_cell_of_any_small_breakdown_can_be_derived(counts):
    cells = dict(zip("abc", counts, strict=True))
    shown = suppress(cells)
    if shown_total(sum(counts)) is None:
        # Neither the total nor any cell is shown: there is nothing to subtract from.
        assert set(shown.values()) == {None}
        return
    assert _derivable_cells(cells, shown) == []
    assert all(value is None or value == 0 or value >= MIN_GROUP_SIZE for value in shown.values())


def test_cross_breakdown_is_shown_only_when_every_cell_has_five():
    assert suppress_cross({"q1": {"lv": 5, "en": 6}, "q2": {"lv": 7, "en": 5}}) == {
        "q1": {"lv": 5, "en": 6},
        "q2": {"lv": 7, "en": 5},
    }
    assert suppress_cross({"q1": {"lv": 5, "en": 4}}) is None
