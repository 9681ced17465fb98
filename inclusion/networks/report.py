"""The network report, as XLSX and PDF in the reader's language (lv or en): the heatmap of
the organisations sharing their summary, progress per half-year with its chart, and the
items most often answered No or Partly. Built from the same functions as the dashboard,
so it shows nothing the dashboard would not; a bounded number of queries."""

from __future__ import annotations

from collections import defaultdict

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inclusion.core.exporters import Table, to_xlsx
from inclusion.handbook.services import get_handbook
from inclusion.organisations.models import Organisation, OrganisationKind

from . import dashboard as board
from .models import Network, RoundAreaScore, Sharing


def heatmap_rows(network: Network, areas: list[str]) -> list[dict]:
    """Every organisation sharing its summary now, with its latest round per area: two queries."""
    organisations = list(
        Organisation.objects.filter(pk__in=board.sharing_members(network, Sharing.SUMMARY).values("organisation_id"))
        .only("pk", "name", "kind", "region")
        .order_by("name", "pk")
    )
    scores: dict[int, dict[str, tuple]] = defaultdict(dict)
    for organisation_id, area, score, reading, period in RoundAreaScore.objects.filter(
        latest=True, organisation_id__in=board.sharing_members(network, Sharing.SUMMARY).values("organisation_id")
    ).values_list("organisation_id", "area", "score", "reading", "period"):
        scores[organisation_id][area] = (score, reading, period)
    rows = []
    labels = board.reading_labels()
    for organisation in organisations:
        own = scores.get(organisation.pk, {})
        rows.append(
            {
                "organisation": organisation,
                "period": next(iter(own.values()))[2] if own else "",
                "cells": [board.reading_cell(area, own.get(area), labels) for area in areas],
            }
        )
    return rows


def _context(network: Network, language: str) -> dict:
    edition = get_handbook().edition(language)
    areas = [area.id for area in edition.areas]
    periods, progress_rows, _latest = board.progress(network, edition)
    counted, gaps = board.common_gaps(network, edition)
    return {
        "network": network,
        "edition": edition,
        "language": language,
        "today": timezone.localdate(),
        "rows": heatmap_rows(network, areas),
        "progress_periods": periods,
        "progress_rows": progress_rows,
        "chart": board.progress_chart(progress_rows, edition, chart_id="report-progress"),
        "gap_organisations": counted,
        "gaps": gaps,
    }


def report_xlsx(network: Network, language: str) -> bytes:
    with translation.override(language):
        context = _context(network, language)
        edition = context["edition"]
        area_titles = [f"{area.number}. {area.title}" for area in edition.areas]
        kinds = dict(OrganisationKind.choices)
        heatmap = Table(
            _("Organisations"),
            [_("Organisation"), _("Kind of organisation"), _("Region"), _("Latest round"), *area_titles],
            [
                [
                    row["organisation"].name,
                    str(kinds.get(row["organisation"].kind, "")),
                    row["organisation"].region,
                    row["period"],
                    *(
                        f"{cell['label']} {cell['score']}%" if cell["score"] is not None else cell["label"]
                        for cell in row["cells"]
                    ),
                ]
                for row in context["rows"]
            ],
        )
        progress = Table(
            _("Progress"),
            [_("Key area"), _("Half-year"), _("Organisations"), _("Median"), _("Lower quartile"), _("Upper quartile")],
            [
                [
                    row.title,
                    cell["period"],
                    cell["organisations"] if cell["organisations"] is not None else _("fewer than 5"),
                    cell.get("median"),
                    cell.get("q1"),
                    cell.get("q3"),
                ]
                for row in context["progress_rows"]
                for cell in row.periods
                if cell["organisations"] != 0
            ],
        )
        gaps = Table(
            _("Common gaps"),
            [_("Checklist item"), _("No"), _("Partly"), _("Organisations counted")],
            [
                [
                    gap.text,
                    gap.no if gap.no is not None else _("fewer than 5"),
                    gap.partly if gap.partly is not None else _("fewer than 5"),
                    gap.organisations,
                ]
                for gap in context["gaps"]
            ],
        )
        return to_xlsx(heatmap, progress, gaps)


def report_pdf(network: Network, language: str) -> bytes:
    from inclusion.core.pdf import render_pdf

    with translation.override(language):
        html = render_to_string("networks/report_pdf.html", _context(network, language))
    return render_pdf(html)
