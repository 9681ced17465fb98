"""Ratings: members score a practice against the assessment table, compare their scores and
record the agreed scoring; ``profile`` shows a rating's result wherever one is shown."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from inclusion.core.charts import Bar, horizontal_bars
from inclusion.handbook.services import get_handbook

from .exceptions import PracticeError
from .models import EVIDENCE_MAX_LENGTH, IndicatorScore, Practice, Rating
from .scoring import score_rating


def profile(scores: dict, chart_id: str = "profile"):
    """A rating's result and its chart in the active language, for any page, PDF or export
    that shows a profile."""
    result = score_rating(get_handbook().edition(get_language()).criteria.criteria, scores)
    chart = horizontal_bars(
        [Bar(criterion.title, criterion.score) for criterion in result.criteria],
        title=_("Score per criterion"),
        description=_(
            "Fully counts 2 points, Partly 1, Not in place 0, as a share of the points possible on the "
            "applicable indicators; not applicable indicators are left out."
        ),
        empty_label=_("not assessed"),
        chart_id=chart_id,
    )
    return result, chart


def clean_scores(scores: dict, indicator_ids: set[str]) -> dict[str, str]:
    return {key: value for key, value in scores.items() if key in indicator_ids and value in IndicatorScore.values}


def clean_evidence(evidence: dict, question_ids: set[str]) -> dict[str, str]:
    cleaned = {}
    for key, text in evidence.items():
        text = (text or "").strip()
        if key in question_ids and text:
            if len(text) > EVIDENCE_MAX_LENGTH:
                raise PracticeError(
                    _("An evidence note is too long (%(length)s characters; at most %(limit)s).")
                    % {"length": len(text), "limit": EVIDENCE_MAX_LENGTH}
                )
            cleaned[key] = text
    return cleaned


def criteria_ids(criteria) -> tuple[set[str], set[str]]:
    indicators = {indicator.id for criterion in criteria for indicator in criterion.indicators}
    questions = {question.id for criterion in criteria for question in criterion.questions}
    return indicators, questions


def save_rating(practice: Practice, user, criteria, scores: dict, evidence: dict, consensus: bool = False) -> Rating:
    """A member's own scoring, or (``consensus``) the agreed scoring that an editor records."""
    indicators, questions = criteria_ids(criteria)
    values = {
        "scores": clean_scores(scores, indicators),
        "evidence": clean_evidence(evidence, questions),
        "updated_by": user,
    }
    rating, _created = Rating.objects.update_or_create(
        practice=practice, is_consensus=bool(consensus), rater=None if consensus else user, defaults=values
    )
    return rating


@dataclass(frozen=True)
class PracticeRatings:
    individual: list[Rating]  # every member's own
    own: Rating | None  # the current user's
    consensus: Rating | None


def ratings_of(practice: Practice, user) -> PracticeRatings:
    """A practice's ratings as its overview lists them (one query)."""
    ratings = list(Rating.objects.filter(practice=practice).select_related("rater"))
    individual = [rating for rating in ratings if not rating.is_consensus]
    return PracticeRatings(
        individual=individual,
        own=next((rating for rating in individual if rating.rater_id == user.pk), None),
        consensus=next((rating for rating in ratings if rating.is_consensus), None),
    )


@dataclass(frozen=True)
class IndicatorComparison:
    indicator: object
    values: list[str | None]  # per member, in the order of ``ConsensusTable.raters``
    agreed: str | None

    @property
    def differs(self) -> bool:
        given = {value for value in self.values if value is not None}
        return len(given) > 1


@dataclass(frozen=True)
class ConsensusTable:
    raters: list
    questions: list[tuple[object, object, list[IndicatorComparison]]]  # (criterion, question, rows)
    consensus: Rating | None

    @property
    def differences(self) -> int:
        return sum(row.differs for _criterion, _question, rows in self.questions for row in rows)


def consensus_table(practice: Practice, criteria) -> ConsensusTable:
    """Every member's score per indicator side by side, and the agreed score (two queries)."""
    ratings = list(Rating.objects.filter(practice=practice).select_related("rater").order_by("is_consensus", "pk"))
    individual = [rating for rating in ratings if not rating.is_consensus]
    consensus = next((rating for rating in ratings if rating.is_consensus), None)
    agreed = consensus.scores if consensus else {}
    questions = [
        (
            criterion,
            question,
            [
                IndicatorComparison(
                    indicator, [rating.scores.get(indicator.id) for rating in individual], agreed.get(indicator.id)
                )
                for indicator in question.indicators
            ],
        )
        for criterion in criteria
        for question in criterion.questions
    ]
    return ConsensusTable([rating.rater for rating in individual], questions, consensus)
