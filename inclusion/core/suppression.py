"""The one suppression rule: no group of fewer than five people can be read or derived.

Every count about people that the toolkit shows — survey responses and their answers, a
breakdown by language or month, a network's organisations — goes through this module, in
pages, exports, the API, notifications and benchmarks alike.

The rule, in plain words (the results pages say the same):

1. A total under five shows no breakdown at all, only "fewer than 5".
2. In a breakdown (the cells of one total: the options of a question, the languages of a
   survey, the months of a year), a cell of 1 to 4 is hidden (primary suppression).
3. If hiding stopped there, a hidden cell could be worked out by subtraction — the total
   minus the cells shown. So while only one cell is hidden, or the hidden cells add up to
   fewer than five, the smallest cell still shown is hidden too (complementary
   suppression). A cell of 0 reveals no one and stays visible, unless it has to be
   hidden as a complement.
4. A breakdown of a breakdown (a question's answers per language) is shown only when
   every one of its cells has at least five.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

MIN_GROUP_SIZE = 5

K = TypeVar("K", bound=Hashable)


def is_publishable(total: int) -> bool:
    """Whether a total about people may be shown with any breakdown at all."""
    return total >= MIN_GROUP_SIZE


def shown_total(total: int) -> int | None:
    """The total itself, or None ("fewer than 5") when it is too small to show."""
    return total if is_publishable(total) else None


def suppress(counts: Mapping[K, int]) -> dict[K, int | None]:
    """The cells of one breakdown, with every cell that must stay hidden as None.

    The order of ``counts`` is kept. The total of the breakdown (the sum of the cells) is
    assumed to be known to the reader; when it is below MIN_GROUP_SIZE every cell is hidden.
    """
    if any(count < 0 for count in counts.values()):
        raise ValueError("counts cannot be negative")
    total = sum(counts.values())
    if not is_publishable(total):
        return dict.fromkeys(counts)
    hidden = {key for key, count in counts.items() if 0 < count < MIN_GROUP_SIZE}

    def hidden_sum() -> int:
        return sum(counts[key] for key in hidden)

    # Complementary suppression: hide the smallest visible cells until no hidden cell can
    # be derived (at least two hidden, adding up to at least MIN_GROUP_SIZE).
    while hidden and (len(hidden) == 1 or hidden_sum() < MIN_GROUP_SIZE):
        visible = sorted((count, index, key) for index, (key, count) in enumerate(counts.items()) if key not in hidden)
        nonzero = [entry for entry in visible if entry[0] > 0]
        candidates = nonzero or visible
        if not candidates:
            break
        hidden.add(candidates[0][2])
    if hidden and (len(hidden) == 1 or hidden_sum() < MIN_GROUP_SIZE):
        # Nothing left to hide beside them: the breakdown as a whole cannot be shown.
        return dict.fromkeys(counts)
    return {key: (None if key in hidden else count) for key, count in counts.items()}


def suppress_cross(table: Mapping[K, Mapping[Hashable, int]]) -> dict[K, dict[Hashable, int]] | None:
    """A breakdown of a breakdown, shown only when every cell has at least MIN_GROUP_SIZE."""
    if all(count >= MIN_GROUP_SIZE for row in table.values() for count in row.values()):
        return {key: dict(row) for key, row in table.items()}
    return None
