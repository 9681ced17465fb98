"""The coordinator's dashboard, read from the aggregate tables and the members' current
sharing choices: a bounded number of queries whatever the size of the network.

- the heatmaps (organisations × key areas, and organisations × success factors: the
  handbook's reading per cell) list only the organisations that share their named summary
  *now*: leaving or withdrawing takes effect on the next view;
- the progress per half-year and the common gaps are anonymous aggregates, kept by the
  refresh command, shown only for groups of at least MIN_GROUP_SIZE organisations.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Sum
from django.utils.html import format_html
from django.utils.translation import gettext as _

from inclusion.core.charts import Bar, horizontal_bars
from inclusion.core.suppression import is_publishable, suppress
from inclusion.handbook.content import AREA_IDS, Area, Edition
from inclusion.organisations.models import Organisation, OrganisationKind
from inclusion.practices.library import gap_factor

from .aggregates import LATEST, LEASE, scored_factors
from .models import (
    MemberStatus,
    Network,
    NetworkAreaStat,
    NetworkItemGap,
    NetworkMember,
    RefreshState,
    RoundAreaScore,
    RoundFactorScore,
    RoundScore,
    Sharing,
    sharing_at_least,
)

HEATMAP_PAGE_SIZE = 100
# What the cache key cannot carry (an organisation renamed) shows within this many seconds.
DASHBOARD_CACHE_SECONDS = 60
FILTER_PARAMETERS = ("kind", "region", "period", "page")
NOT_APPLICABLE = "not_applicable"  # a success factor none of whose items applies to the kind
TOP_GAPS = 15


def reading_labels() -> dict[str, tuple[str, str]]:
    """{reading: (CSS class, short label)} in the current language: made once per page."""
    return {
        "comprehensive": ("reading-ok", _("Comprehensive")),
        "improve": ("reading-improve", _("Improve")),
        "rethink": ("reading-rethink", _("Rethink")),
        "not_started": ("reading-none", _("Not started")),
        NOT_APPLICABLE: ("reading-none", _("Not applicable")),
        "": ("reading-none", _("no round")),
    }


def reading_cell(key: str, score_reading: tuple | None, labels: dict[str, tuple[str, str]]) -> dict:
    """One heatmap cell: the handbook's reading as a short label with its CSS class, and the
    score. Labelled here rather than by an include per cell: a page has 600 cells."""
    if score_reading is None:
        css, label = labels[""]
        score, reading = None, ""
    else:
        score, reading = score_reading[0], score_reading[1]
        css, label = labels.get(reading, labels["not_started"])
    # The cell's content as HTML, made here: a page of the two heatmaps has 3,000 cells, and
    # formatting them in Python takes a fraction of the template's time.
    html = format_html('<span class="reading {}">{}</span>{}', css, label, "" if score is None else f" {score}%")
    return {"key": key, "css": css, "label": label, "score": score, "reading": reading, "html": html}


def sharing_members(network: Network, level: str):
    """The network's organisations that share at least ``level`` now."""
    return NetworkMember.objects.filter(
        network=network, status=MemberStatus.ACTIVE, sharing__in=sharing_at_least(level)
    )


@dataclass
class HeatmapFilters:
    kind: str = ""
    region: str = ""
    period: str = ""


@dataclass
class HeatmapRow:
    organisation: Organisation
    period: str = ""
    cells: list[dict] = field(default_factory=list)


def parse_filters(params, regions: list[str], periods: list[str]) -> HeatmapFilters:
    """Filters from the query string; unknown values are ignored."""
    kind = params.get("kind", "")
    region = params.get("region", "")
    period = params.get("period", "")
    return HeatmapFilters(
        kind=kind if kind in OrganisationKind.values else "",
        region=region if region in regions else "",
        period=period if period in periods else "",
    )


def filter_choices(network: Network) -> tuple[list[str], list[str]]:
    """(regions, half-years) present among the organisations that share their summary."""
    organisations = sharing_members(network, Sharing.SUMMARY).values("organisation_id")
    regions = sorted(
        set(Organisation.objects.filter(pk__in=organisations).exclude(region="").values_list("region", flat=True))
    )
    # Every scored round has a row per key area: one area's rows name every half-year.
    periods = sorted(
        RoundAreaScore.objects.filter(organisation_id__in=organisations, latest=True, area=AREA_IDS[0])
        .values_list("period", flat=True)
        .distinct(),
        reverse=True,
    )
    return regions, periods


def heatmap(network: Network, areas: list[str], filters: HeatmapFilters, page_number) -> tuple[Page, list[HeatmapRow]]:
    """One page of the heatmap: three queries (count, organisations, their latest scores)."""
    organisations = Organisation.objects.filter(
        pk__in=sharing_members(network, Sharing.SUMMARY).values("organisation_id")
    )
    if filters.kind:
        organisations = organisations.filter(kind=filters.kind)
    if filters.region:
        organisations = organisations.filter(region=filters.region)
    if filters.period:
        organisations = organisations.filter(
            pk__in=RoundAreaScore.objects.filter(latest=True, period=filters.period).values("organisation_id")
        )
    page = Paginator(organisations.only("pk", "name", "kind", "region").order_by("name", "pk"), HEATMAP_PAGE_SIZE)
    page = page.get_page(page_number)
    scores = latest_scores(RoundAreaScore, "area", [organisation.pk for organisation in page], "period")
    return page, heatmap_rows(page, scores, areas)


def factor_heatmap(page: Page, edition: Edition) -> tuple[list[FactorGroup], list[HeatmapRow]]:
    """The success factors of the area heatmap's page of organisations (the same filters and
    page, no second count): the columns and the rows. One query."""
    groups = factor_columns(edition)
    scores = latest_scores(RoundFactorScore, "factor", [organisation.pk for organisation in page])
    return groups, heatmap_rows(page, scores, factor_keys(groups))


def latest_scores(model: type[RoundScore], key: str, organisations, *extra: str) -> dict[int, dict[str, tuple]]:
    """{organisation ID: {area or factor: (score, reading, *extra)}} from the organisations'
    latest rounds; ``organisations`` is a list of IDs or a subquery. One query."""
    scores: dict[int, dict[str, tuple]] = defaultdict(dict)
    for organisation_id, name, *values in model.objects.filter(
        latest=True, organisation_id__in=organisations
    ).values_list("organisation_id", key, "score", "reading", *extra):
        scores[organisation_id][name] = tuple(values)
    return scores


def heatmap_rows(organisations, scores: dict[int, dict[str, tuple]], keys: list[str]) -> list[HeatmapRow]:
    """A row of cells per organisation, one per area or factor in ``keys``; the round's
    half-year when the scores carry it (``latest_scores(..., "period")``). A key missing from
    a scored round is a factor that does not apply to the organisation's kind."""
    labels = reading_labels()
    rows = []
    for organisation in organisations:
        own = scores.get(organisation.pk, {})
        first = next(iter(own.values()), ())
        period = first[2] if len(first) > 2 else ""
        missing = (None, NOT_APPLICABLE) if own else None
        rows.append(
            HeatmapRow(organisation, period, [reading_cell(key, own.get(key, missing), labels) for key in keys])
        )
    return rows


@dataclass
class FactorColumn:
    id: str
    label: str  # "1.2": the key area's number and the factor's own
    name: str


FactorGroup = tuple[Area, list[FactorColumn]]


def factor_keys(groups: list[FactorGroup]) -> list[str]:
    return [column.id for _area, columns in groups for column in columns]


def factor_columns(edition: Edition) -> list[FactorGroup]:
    """The success-factor heatmap's columns in the reader's language, grouped under their key
    area: the factors the refresh scores."""
    wanted = set(scored_factors(edition))
    groups = []
    for area in edition.areas:
        columns = [
            FactorColumn(factor.id, f"{area.number}.{factor.id.rsplit('.sf', 1)[1]}", factor.name)
            for factor in area.success_factors
            if factor.id in wanted
        ]
        if columns:
            groups.append((area, columns))
    return groups


@dataclass
class AreaProgress:
    area: str
    title: str
    periods: list[dict]  # {"period", "organisations" (None: fewer than 5), "q1", "median", "q3"}


def progress(network: Network, edition: Edition) -> tuple[list[str], list[AreaProgress], list[dict]]:
    """Per key area and half-year: median and quartiles over the network's organisations
    sharing at least aggregates (suppressed under MIN_GROUP_SIZE). One query."""
    stats: dict[tuple[str, str], NetworkAreaStat] = {
        (stat.period, stat.area): stat for stat in NetworkAreaStat.objects.filter(network=network)
    }
    periods = sorted({period for period, _area in stats if period != LATEST})
    result = []
    latest = []
    for area in edition.areas:
        cells = []
        for period in [*periods, LATEST]:
            stat = stats.get((period, area.id))
            if stat is None:
                cell = {"period": period, "organisations": 0, "median": None}
            elif not is_publishable(stat.organisations):
                cell = {"period": period, "organisations": None, "median": None}
            else:
                cell = {
                    "period": period,
                    "organisations": stat.organisations,
                    "q1": stat.q1,
                    "median": stat.median,
                    "q3": stat.q3,
                }
            cells.append(cell)
        result.append(AreaProgress(area.id, area.title, cells[:-1]))
        latest.append({"area": area, **cells[-1]})
    return periods, result, latest


def progress_chart(progress_rows: list[AreaProgress], edition: Edition, chart_id: str = "network-progress"):
    """The last half-year's medians, with the half-year before beneath them (server-side SVG)."""
    bars = []
    last, before = None, None
    for row, area in zip(progress_rows, edition.areas, strict=True):
        cells = [cell for cell in row.periods if cell.get("median") is not None]
        last = cells[-1] if cells else None
        before = cells[-2] if len(cells) > 1 else None
        bars.append(
            Bar(
                f"{area.number}. {area.title}",
                round(last["median"]) if last else None,
                round(before["median"]) if before else None,
            )
        )
    return horizontal_bars(
        bars,
        title=_("Median score per key area"),
        description=_(
            "The median score of the network's organisations in their last round of each half-year; "
            "groups of fewer than five organisations are not shown."
        ),
        empty_label=_("fewer than 5"),  # the longer "… organisations" ran past the chart
        legend=(_("latest half-year"), _("the half-year before")),
        chart_id=chart_id,
    )


@dataclass
class ItemGap:
    item_key: str
    text: str
    area_number: int
    no: int | None
    partly: int | None
    organisations: int
    factor: str

    @property
    def area(self) -> str:
        return self.item_key.split(".")[0]


def common_gaps(network: Network, edition: Edition, limit: int = TOP_GAPS) -> tuple[int, list[ItemGap]]:
    """(organisations counted, the items most often answered No or Partly), each item's
    counts suppressed as a breakdown (No, Partly, the rest). Nothing under MIN_GROUP_SIZE."""
    rows = list(NetworkItemGap.objects.filter(network=network))
    counted = rows[0].organisations if rows else 0
    if not is_publishable(counted):
        return counted, []
    texts = {item.id: (item.text, area.number) for area in edition.areas for item in area.checklist_items}
    rows.sort(key=lambda row: (-(row.no + row.partly), row.item_key))
    gaps = []
    for row in rows:
        if row.item_key not in texts:
            continue
        shown = suppress({"no": row.no, "partly": row.partly, "rest": row.organisations - row.no - row.partly})
        if shown["no"] is None and shown["partly"] is None:
            continue
        text, number = texts[row.item_key]
        gaps.append(
            ItemGap(row.item_key, text, number, shown["no"], shown["partly"], counted, gap_factor(row.item_key))
        )
        if len(gaps) == limit:
            break
    return counted, gaps


def dashboard_version(network: Network) -> str:
    """Changes whenever what the dashboard shows may have changed: the aggregates were
    refreshed, or the set of organisations sharing their summary changed (one joined, left,
    was deleted or changed its choice, by whatever path). Two small queries."""
    shown = sharing_members(network, Sharing.SUMMARY).aggregate(
        count=Count("pk"), total=Sum("organisation_id"), squares=Sum(F("organisation_id") * F("organisation_id"))
    )
    refreshed = RefreshState.objects.filter(name=LEASE).values_list("refreshed_at", flat=True).first()
    stamp = refreshed.timestamp() if refreshed else 0
    return f"{shown['count']}.{shown['total'] or 0}.{shown['squares'] or 0}.{stamp}"


def dashboard_cache_key(network: Network, language: str, content_version: str, params) -> str:
    """The dashboard body's cache key: the network's state, the language, the content and the
    filters (only the known parameters, each cut short, so odd query strings add no keys)."""
    query = "&".join(f"{name}={params.get(name, '')[:40]}" for name in FILTER_PARAMETERS)
    digest = hashlib.sha256(query.encode()).hexdigest()[:16]
    return f"networks:dashboard:{network.pk}:{dashboard_version(network)}:{language}:{content_version}:{digest}"
