"""A rating out of the toolkit: the assessment table as a spreadsheet, the profile as a PDF."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inclusion.core import i18n
from inclusion.core.exporters import Table
from inclusion.handbook.services import get_handbook

from .models import IndicatorScore, Rating
from .ratings import profile
from .scoring import BAND_LABELS, score_rating


def rating_tables(rating: Rating, language: str) -> list[Table]:
    """Two sheets: the profile per criterion, and every indicator with its score and evidence."""
    criteria = get_handbook().edition(language).criteria.criteria
    with translation.override(language):
        result = score_rating(criteria, rating.scores)
        labels = dict(IndicatorScore.choices)
        profile_rows = [
            (
                criterion.title,
                criterion.score,
                criterion.threshold,
                "" if criterion.meets_threshold is None else (_("yes") if criterion.meets_threshold else _("no")),
                criterion.points,
                criterion.possible,
            )
            for criterion in result.criteria
        ]
        profile_rows.append((_("Overall"), result.overall, None, str(BAND_LABELS[result.reading]), None, None))
        profile_table = Table(
            _("Profile"),
            [_("Criterion"), _("Score %"), _("Threshold %"), _("Reaches threshold"), _("Points"), _("Points possible")],
            profile_rows,
        )
        indicator_rows = [
            (
                criterion.title,
                question.text,
                indicator.id,
                indicator.text,
                str(labels.get(rating.scores.get(indicator.id), _("not scored"))),
                rating.evidence.get(question.id, ""),
            )
            for criterion in criteria
            for question in criterion.questions
            for indicator in question.indicators
        ]
        indicators = Table(
            _("Indicators"),
            [_("Criterion"), _("Key question"), _("ID"), _("Indicator"), _("Score"), _("Evidence")],
            indicator_rows,
        )
    return [profile_table, indicators]


def rating_pdf(rating: Rating, language: str) -> bytes:
    from inclusion.core.pdf import render_pdf

    practice = rating.practice
    content = practice.current_version.content if practice.current_version else {}
    with translation.override(language):
        result, chart = profile(rating.scores)
        html = render_to_string(
            "practices/pdf/rating.html",
            {
                "language": language,
                "rating": rating,
                "practice": practice,
                "title": i18n.localised(content.get("title"), language),
                "result": result,
                "chart": chart,
                "criteria": get_handbook().edition(language).criteria.criteria,
                "labels": dict(IndicatorScore.choices),
                "today": timezone.localdate(),
                "content_version": get_handbook().version,
            },
        )
    return render_pdf(html)
