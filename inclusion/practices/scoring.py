"""The good-practice assessment table, scored (Migration Policy Group's scorecard).

Every indicator is scored Not in place (0), Partly (1), Fully (2) or Not applicable. A
criterion's score is its points as a share of the points possible on its applicable
indicators; the overall score is the mean of the assessed criteria; the band follows from
both. ``score_rating`` is the one place these rules live.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from .models import IndicatorScore

GOOD_PRACTICE = "good_practice"
PROMISING = "promising"
NEEDS_DEVELOPMENT = "needs_development"
NOT_ASSESSED = "not_assessed"
# Some indicators are scored, not all: the reading so far, never a band (issue 15).
PROVISIONAL = "provisional"

GOOD_PRACTICE_OVERALL = 70
PROMISING_OVERALL = 50
POINTS = {IndicatorScore.NOT_IN_PLACE: 0, IndicatorScore.PARTLY: 1, IndicatorScore.FULLY: 2}


def round_half_up(value: Decimal) -> int:
    """0.5 goes up (Python's round() would take 82.5 to 82)."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class CriterionScore:
    id: str
    title: str
    threshold: int
    points: int
    applicable: int  # indicators scored 0, 1 or 2
    not_applicable: int
    unscored: int
    score: int | None  # None: no applicable indicator, so the criterion is not assessed

    @property
    def possible(self) -> int:
        return 2 * self.applicable

    @property
    def is_assessed(self) -> bool:
        return self.score is not None

    @property
    def meets_threshold(self) -> bool | None:
        return None if self.score is None else self.score >= self.threshold


@dataclass(frozen=True)
class RatingResult:
    criteria: list[CriterionScore]
    overall: int | None
    band: str
    below_threshold: list[CriterionScore]

    @property
    def assessed(self) -> list[CriterionScore]:
        return [criterion for criterion in self.criteria if criterion.is_assessed]

    @property
    def unscored(self) -> int:
        return sum(criterion.unscored for criterion in self.criteria)

    @property
    def is_complete(self) -> bool:
        return self.unscored == 0

    @property
    def reading(self) -> str:
        """What to show: the band once every indicator is scored or marked not applicable,
        "provisional" before that (5 of 34 scored must not read as a verdict)."""
        if self.band == NOT_ASSESSED or self.is_complete:
            return self.band
        return PROVISIONAL


def score_rating(criteria: Sequence, scores: Mapping[str, str]) -> RatingResult:
    """Score a rating against the criteria of the content (``Criterion`` objects, each with
    ``id``, ``title``, ``threshold`` and ``indicators``).

    - criterion score = points / (2 × applicable indicators) × 100, rounded half up; a
      criterion without an applicable indicator is not assessed and left out;
    - overall = mean of the assessed criteria's (rounded) scores, rounded half up, so the
      figures a reader sees add up;
    - "good practice": overall ≥ 70 and every assessed criterion at or above its threshold;
      "promising": overall ≥ 50; otherwise "needs development"; nothing assessed: "not
      assessed". The criteria below their threshold are named whatever the band.
    Indicators missing from ``scores`` are not scored yet and count like not applicable.
    """
    results = []
    for criterion in criteria:
        points = applicable = not_applicable = unscored = 0
        for indicator in criterion.indicators:
            value = scores.get(indicator.id)
            if value in POINTS:
                points += POINTS[IndicatorScore(value)]
                applicable += 1
            elif value == IndicatorScore.NOT_APPLICABLE:
                not_applicable += 1
            else:
                unscored += 1
        score = round_half_up(Decimal(points * 100) / Decimal(2 * applicable)) if applicable else None
        results.append(
            CriterionScore(
                id=criterion.id,
                title=criterion.title,
                threshold=criterion.threshold,
                points=points,
                applicable=applicable,
                not_applicable=not_applicable,
                unscored=unscored,
                score=score,
            )
        )
    assessed = [result for result in results if result.is_assessed]
    below = [result for result in assessed if not result.meets_threshold]
    if not assessed:
        return RatingResult(results, None, NOT_ASSESSED, [])
    overall = round_half_up(Decimal(sum(result.score for result in assessed)) / Decimal(len(assessed)))
    if overall >= GOOD_PRACTICE_OVERALL and not below:
        band = GOOD_PRACTICE
    elif overall >= PROMISING_OVERALL:
        band = PROMISING
    else:
        band = NEEDS_DEVELOPMENT
    return RatingResult(results, overall, band, below)


BAND_LABELS = {
    GOOD_PRACTICE: _("Good practice"),
    PROMISING: _("Promising practice"),
    NEEDS_DEVELOPMENT: _("Needs development"),
    NOT_ASSESSED: _("Not assessed"),
    PROVISIONAL: _("Provisional reading"),
}


# The scoring rules page works through this example. k1: 9 applicable (2 not applicable),
# 13 of 18 points → 72; k2: 9 of 18 → 50 (below 66); k3: 12 of 12 → 100; k4: 5 of 8 = 62.5
# → 63 (half up; below 66); k5: all not applicable → not assessed. Overall
# (72 + 50 + 100 + 63) / 4 = 71.25 → 71: promising, not good practice.
WORKED_EXAMPLE = {
    **dict.fromkeys(["k1.q1.i1", "k1.q1.i2", "k1.q1.i3", "k1.q1.i4"], "2"),
    **dict.fromkeys(["k1.q1.i5", "k1.q2.i1", "k1.q2.i2", "k1.q2.i3", "k1.q3.i1"], "1"),
    **dict.fromkeys(["k1.q3.i2", "k1.q3.i3"], "na"),
}
WORKED_EXAMPLE_PLAN = {"k2": ["1"] * 9, "k3": ["2"] * 6, "k4": ["2", "1", "1", "1"], "k5": ["na"] * 4}


def worked_example_scores(criteria: Sequence) -> dict[str, str]:
    """The worked example's scores: k1 by indicator ID, the others in indicator order."""
    scores = dict(WORKED_EXAMPLE)
    for criterion in criteria:
        for indicator, value in zip(criterion.indicators, WORKED_EXAMPLE_PLAN.get(criterion.id, []), strict=False):
            scores[indicator.id] = value
    return scores
