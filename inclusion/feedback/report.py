"""A survey's results as charts and as a PDF report: the same server-side SVG charts
(core.charts) on the results page and in the report, and the report itself in Latvian or
English, with everything already through the suppression rule (feedback.results)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from inclusion.core.charts import Bar, Column, columns, horizontal_bars
from inclusion.core.suppression import MIN_GROUP_SIZE

from .results import QuestionResult, Results, compile_results

REPORT_LANGUAGES = ("lv", "en")


def question_chart(result: QuestionResult, index: int) -> SafeString | None:
    """Bars of the share of each answer, where the counts may be shown."""
    if not (result.counts and result.answered and any(row.percent is not None for row in result.counts)):
        return None
    return horizontal_bars(
        [Bar(row.label, row.percent) for row in result.counts if row.percent is not None],
        title=result.presented.text,
        description=_("Share of the people who answered this question, in per cent."),
        empty_label=_("none"),
        chart_id=f"chart-{index}",
    )


def question_charts(results: Results) -> dict[int, SafeString]:
    """Question ID -> its chart."""
    charts = {}
    for index, result in enumerate(results.questions):
        chart = question_chart(result, index)
        if chart is not None:
            charts[result.presented.question.pk] = chart
    return charts


def trend_chart(results: Results) -> SafeString | None:
    """Responses per month as columns; a month hidden by the rule reads "not shown"."""
    if results.total is None or not results.months:
        return None
    return columns(
        [Column(date_format(row.month, "M Y"), row.count) for row in results.months],
        title=_("Responses per month"),
        description=_("Number of responses in each month; a month with too few responses is not shown."),
        empty_label=_("not shown"),
        chart_id="chart-months",
    )


def results_with_charts(survey, language: str) -> dict:
    """A survey's suppressed results in ``language`` with their charts: what the results page
    shows (and what a network's coordinators see of a survey shared with them)."""
    results = compile_results(survey, list(survey.questions.all()), language)
    return {
        "results": results,
        "charts": question_charts(results),
        "trend": trend_chart(results),
        "min_group_size": MIN_GROUP_SIZE,
    }


def report_pdf(*, survey, results_for, comments_for, breakdowns_for, language: str) -> bytes:
    """The results report as PDF in ``language`` (lv or en). ``results_for(language)``,
    ``breakdowns_for(results)`` and ``comments_for()`` give the data, so that labels are
    made in the report's language."""
    from inclusion.core.pdf import render_pdf  # WeasyPrint is heavy: only PDFs need it

    with translation.override(language):
        results = results_for(language)
        html = render_to_string(
            "feedback/pdf/report.html",
            {
                "survey": survey,
                "results": results,
                "charts": question_charts(results),
                "trend": trend_chart(results),
                "breakdowns": {item.question.question.pk: item for item in breakdowns_for(results)},
                "comments": comments_for(),
                "question_texts": results.question_texts,
                "language": language,
            },
        )
    return render_pdf(html)
