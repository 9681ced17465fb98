"""score_rating: the assessment table's rules, with their edge cases. No database."""

from inclusion.handbook.content import Criterion
from inclusion.practices.scoring import (
    GOOD_PRACTICE,
    NEEDS_DEVELOPMENT,
    NOT_ASSESSED,
    PROMISING,
    CriterionScore,
    score_rating,
)
from tests.factories import indicator_scores as all_scores


def _criterion(criterion_id: str, indicators: int, threshold: int = 66) -> Criterion:
    return Criterion.model_validate(
        {
            "id": criterion_id,
            "title": f"Criterion {criterion_id}",
            "threshold": threshold,
            "questions": [
                {
                    "id": f"{criterion_id}.q1",
                    "text": "Question?",
                    "indicators": [
                        {"id": f"{criterion_id}.q1.i{n}", "text": f"Indicator {n}"} for n in range(1, indicators + 1)
                    ],
                }
            ],
        }
    )


def _scores(criterion_id: str, values: list[str]) -> dict[str, str]:
    return {f"{criterion_id}.q1.i{n}": value for n, value in enumerate(values, start=1)}


def test_all_fully_in_place_is_good_practice(criteria):
    result = score_rating(criteria, all_scores(criteria, "2"))
    assert [c.score for c in result.criteria] == [100, 100, 100, 100, 100]
    assert (result.overall, result.band, result.below_threshold) == (100, GOOD_PRACTICE, [])
    assert result.is_complete


def test_all_not_applicable_is_not_assessed(criteria):
    result = score_rating(criteria, all_scores(criteria, "na"))
    assert [c.score for c in result.criteria] == [None] * 5
    assert (result.overall, result.band, result.below_threshold) == (None, NOT_ASSESSED, [])
    assert result.is_complete  # everything was scored, as not applicable


def test_nothing_scored_is_not_assessed_and_incomplete(criteria):
    result = score_rating(criteria, {})
    assert (result.overall, result.band, result.unscored) == (None, NOT_ASSESSED, 34)


def test_criterion_without_applicable_indicator_is_left_out_of_the_mean():
    criteria = [_criterion("k1", 2), _criterion("k2", 2)]
    result = score_rating(criteria, {**_scores("k1", ["2", "1"]), **_scores("k2", ["na", "na"])})
    assert [c.score for c in result.criteria] == [75, None]
    assert (result.overall, result.band) == (75, GOOD_PRACTICE)


def test_rounding_is_half_up_for_criteria_and_overall():
    # 5 of 8 points = 62.5 → 63 (Python's round would give 62); 1 of 4 = 25.
    criteria = [_criterion("k1", 4), _criterion("k2", 2)]
    result = score_rating(criteria, {**_scores("k1", ["2", "1", "1", "1"]), **_scores("k2", ["1", "0"])})
    assert [c.score for c in result.criteria] == [63, 25]
    assert result.overall == 44  # (63 + 25) / 2 = 44
    criteria = [_criterion("k1", 2), _criterion("k2", 1)]
    result = score_rating(criteria, {**_scores("k1", ["1", "1"]), **_scores("k2", ["1"])})
    assert [c.score for c in result.criteria] == [50, 50]
    result = score_rating(
        [_criterion("k1", 2), _criterion("k2", 2)], {**_scores("k1", ["2", "1"]), **_scores("k2", ["1", "1"])}
    )
    assert result.overall == 63  # (75 + 50) / 2 = 62.5 → 63
    assert result.band == PROMISING


def test_criterion_at_65_with_overall_80_is_promising_and_named():
    # 13 of 20 points = 65; the others 100, 75 and 80: overall (65 + 100 + 75 + 80) / 4 = 80.
    criteria = [_criterion("k1", 10), _criterion("k2", 2), _criterion("k3", 2), _criterion("k4", 5)]
    scores = {
        **_scores("k1", ["2"] * 3 + ["1"] * 7),
        **_scores("k2", ["2", "2"]),
        **_scores("k3", ["2", "1"]),
        **_scores("k4", ["2", "2", "2", "1", "1"]),
    }
    result = score_rating(criteria, scores)
    assert [c.score for c in result.criteria] == [65, 100, 75, 80]
    assert result.overall == 80
    assert result.band == PROMISING
    assert [c.id for c in result.below_threshold] == ["k1"]


def test_overall_69_with_every_criterion_above_threshold_is_promising():
    # 67 (2 of 3 … 4 of 6 = 66.7 → 67), 67, 67 and 75: (67 + 67 + 67 + 75) / 4 = 69.
    criteria = [_criterion("k1", 3), _criterion("k2", 3), _criterion("k3", 3), _criterion("k4", 2)]
    two_thirds = ["2", "1", "1"]
    scores = {**_scores("k1", two_thirds), **_scores("k2", two_thirds), **_scores("k3", two_thirds)}
    scores.update(_scores("k4", ["2", "1"]))
    result = score_rating(criteria, scores)
    assert [c.score for c in result.criteria] == [67, 67, 67, 75]
    assert result.overall == 69
    assert result.below_threshold == []
    assert result.band == PROMISING


def test_exactly_70_overall_and_66_criterion_is_good_practice():
    # 33 of 50 = 66 exactly; 74 of 100 = 74: (66 + 74) / 2 = 70.
    criteria = [_criterion("k1", 25), _criterion("k2", 50)]
    scores = {**_scores("k1", ["2"] * 8 + ["1"] * 17), **_scores("k2", ["2"] * 24 + ["1"] * 26)}
    result = score_rating(criteria, scores)
    assert [c.score for c in result.criteria] == [66, 74]
    assert result.overall == 70
    assert result.band == GOOD_PRACTICE
    assert result.below_threshold == []


def test_threshold_comes_from_the_content():
    criteria = [_criterion("k1", 2, threshold=80), _criterion("k2", 2)]
    result = score_rating(criteria, {**_scores("k1", ["2", "1"]), **_scores("k2", ["2", "2"])})
    assert [c.score for c in result.criteria] == [75, 100]
    assert result.overall == 88
    assert result.band == PROMISING
    assert [c.id for c in result.below_threshold] == ["k1"]


def test_low_overall_needs_development_and_names_every_low_criterion():
    criteria = [_criterion("k1", 2), _criterion("k2", 2)]
    result = score_rating(criteria, {**_scores("k1", ["0", "1"]), **_scores("k2", ["1", "1"])})
    assert (result.overall, result.band) == (38, NEEDS_DEVELOPMENT)
    assert [c.id for c in result.below_threshold] == ["k1", "k2"]


def test_content_thresholds_are_66(criteria):
    assert [c.threshold for c in criteria] == [66, 66, 66, 66, 66]
    assert sum(len(c.indicators) for c in criteria) == 34


def test_exactly_50_overall_is_promising():
    # 2 of 4 points = 50 exactly: the "promising" boundary is included.
    result = score_rating([_criterion("k1", 2)], _scores("k1", ["1", "1"]))
    assert (result.overall, result.band) == (50, PROMISING)
    assert [c.id for c in result.below_threshold] == ["k1"]


def test_49_overall_needs_development():
    # 49 of 100 points (24 fully, 1 partly, 25 not in place) = 49: just below "promising".
    result = score_rating([_criterion("k1", 50)], _scores("k1", ["2"] * 24 + ["1"] + ["0"] * 25))
    assert (result.overall, result.band) == (49, NEEDS_DEVELOPMENT)


def test_overall_just_under_50_rounds_half_up_into_promising():
    # (49 + 50) / 2 = 49.5 → 50: the band follows the rounded figure the reader sees.
    criteria = [_criterion("k1", 50), _criterion("k2", 2)]
    scores = {**_scores("k1", ["2"] * 24 + ["1"] + ["0"] * 25), **_scores("k2", ["1", "1"])}
    result = score_rating(criteria, scores)
    assert [c.score for c in result.criteria] == [49, 50]
    assert (result.overall, result.band) == (50, PROMISING)


def test_criterion_counts_points_applicable_not_applicable_and_unscored_exactly():
    # Five indicators: fully, not applicable twice, not in place, and one not scored yet.
    result = score_rating([_criterion("k1", 5)], _scores("k1", ["2", "na", "na", "0"]))
    assert result.criteria == [
        CriterionScore(
            id="k1",
            title="Criterion k1",
            threshold=66,
            points=2,
            applicable=2,
            not_applicable=2,
            unscored=1,
            score=50,
        )
    ]
    assert result.criteria[0].possible == 4
    assert (result.unscored, result.is_complete) == (1, False)


def test_not_applicable_indicators_are_counted_per_criterion():
    criteria = [_criterion("k1", 3), _criterion("k2", 3)]
    result = score_rating(criteria, {**_scores("k1", ["na", "2", "na"]), **_scores("k2", ["na", "na", "na"])})
    assert [(c.applicable, c.not_applicable, c.unscored) for c in result.criteria] == [(1, 2, 0), (0, 3, 0)]
    assert [c.score for c in result.criteria] == [100, None]
    assert [c.id for c in result.assessed] == ["k1"]


def test_meets_threshold_is_inclusive_and_none_when_not_assessed():
    criteria = [_criterion("k1", 2, threshold=50), _criterion("k2", 2, threshold=51), _criterion("k3", 1)]
    result = score_rating(criteria, {**_scores("k1", ["1", "1"]), **_scores("k2", ["1", "1"]), **_scores("k3", ["na"])})
    assert [c.meets_threshold for c in result.criteria] == [True, False, None]
