"""The network report, as XLSX and PDF in the reader's language (lv or en): the heatmaps
(key areas and success factors) of the organisations sharing their summary, progress per
half-year with its chart, and the items most often answered No or Partly. Built from the
same functions as the dashboard, so it shows nothing the dashboard would not; a bounded
number of queries."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inclusion.core.exporters import Table, to_xlsx
from inclusion.handbook.services import get_handbook
from inclusion.organisations.models import Organisation, OrganisationKind

from . import dashboard as board
from .models import Network, RoundAreaScore, RoundFactorScore, Sharing

# The PDF is read, not searched: it lists this many organisations (by name) and says where
# the rest are. The XLSX lists every one. (A 3,000-organisation table took WeasyPrint minutes.)
PDF_ORGANISATIONS = 100


def heatmaps(
    network: Network, areas: list[str], factors: list[str], limit: int | None = None
) -> tuple[int, list[board.HeatmapRow], list[board.HeatmapRow]]:
    """(how many organisations share their summary now, the first ``limit`` of them — all
    when None — with their latest round per area and per success factor): four queries."""
    sharing = board.sharing_members(network, Sharing.SUMMARY).values("organisation_id")
    listed = Organisation.objects.filter(pk__in=sharing).only("pk", "name", "kind", "region").order_by("name", "pk")
    total = listed.count()
    organisations = list(listed[:limit] if limit is not None else listed)
    ids = [organisation.pk for organisation in organisations] if limit is not None else sharing
    area_scores = board.latest_scores(RoundAreaScore, "area", ids, "period")
    factor_scores = board.latest_scores(RoundFactorScore, "factor", ids)
    return (
        total,
        board.heatmap_rows(organisations, area_scores, areas),
        board.heatmap_rows(organisations, factor_scores, factors),
    )


def _context(network: Network, language: str, limit: int | None = None) -> dict:
    edition = get_handbook().edition(language)
    areas = [area.id for area in edition.areas]
    periods, progress_rows, _latest = board.progress(network, edition)
    counted, gaps = board.common_gaps(network, edition)
    factor_groups = board.factor_columns(edition)
    total, rows, factor_rows = heatmaps(network, areas, board.factor_keys(factor_groups), limit)
    return {
        "network": network,
        "edition": edition,
        "language": language,
        "today": timezone.localdate(),
        "rows": rows,
        "organisations_total": total,
        "factor_groups": factor_groups,
        "factor_rows": factor_rows,
        "factor_tables": _per_area(factor_groups, factor_rows),
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
        factor_titles = [
            f"{column.label} {column.name}" for _area, columns in context["factor_groups"] for column in columns
        ]
        heatmap = Table(
            _("Organisations"),
            [_("Organisation"), _("Kind of organisation"), _("Region"), _("Latest round"), *area_titles],
            [[*_organisation_cells(row), row.period, *_reading_cells(row)] for row in context["rows"]],
        )
        factors = Table(
            _("Success factors"),
            [_("Organisation"), _("Kind of organisation"), _("Region"), *factor_titles],
            [[*_organisation_cells(row), *_reading_cells(row)] for row in context["factor_rows"]],
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
        return to_xlsx(heatmap, factors, progress, gaps)


def _per_area(groups: list[board.FactorGroup], rows: list[board.HeatmapRow]) -> list[tuple]:
    """The factor heatmap cut into one table per key area, for the PDF's page width:
    [(area, its columns, [(organisation, its cells)])]."""
    tables, start = [], 0
    for area, columns in groups:
        end = start + len(columns)
        tables.append((area, columns, [(row.organisation, row.cells[start:end]) for row in rows]))
        start = end
    return tables


def _organisation_cells(row: board.HeatmapRow) -> list[str]:
    organisation = row.organisation
    return [organisation.name, str(dict(OrganisationKind.choices).get(organisation.kind, "")), organisation.region]


def _reading_cells(row: board.HeatmapRow) -> list[str]:
    return [f"{cell['label']} {cell['score']}%" if cell["score"] is not None else cell["label"] for cell in row.cells]


def report_pdf(network: Network, language: str) -> bytes:
    from inclusion.core.pdf import render_pdf

    with translation.override(language):
        html = render_to_string("networks/report_pdf.html", _context(network, language, PDF_ORGANISATIONS))
    return render_pdf(html)
