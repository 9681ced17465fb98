"""Benchmarks for one organisation: how organisations of its kind (in its country, where
there are enough) read in their latest round, from the ``Benchmark`` table (one query)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from inclusion.core.suppression import MIN_GROUP_SIZE

from .models import Benchmark

COUNTRY, ALL_COUNTRIES = "country", "all_countries"


@dataclass
class AreaBenchmark:
    area: str
    organisations: int | None  # None: the group is too small to say
    q1: float | None
    median: float | None
    q3: float | None
    scope: str | None  # COUNTRY, ALL_COUNTRIES or None (no benchmark)

    @property
    def available(self) -> bool:
        return self.scope is not None


def area_benchmarks(kind: str, country: str, areas: list[str]) -> list[AreaBenchmark]:
    """Per key area: the group of the same kind in the same country when it has at least
    MIN_GROUP_SIZE organisations, else the same kind in all countries, else nothing."""
    rows = {
        (row.country, row.area): row
        for row in Benchmark.objects.filter(kind=kind, country__in={country, ""}, publishable=True)
    }
    result = []
    for area in areas:
        row, scope = (rows.get((country, area)), COUNTRY) if country else (None, None)
        if row is None:
            row, scope = rows.get(("", area)), ALL_COUNTRIES
        if row is None:
            result.append(AreaBenchmark(area, None, None, None, None, None))
        else:
            result.append(AreaBenchmark(area, row.organisations, row.q1, row.median, row.q3, scope))
    return result


def scope_label(scope: str | None, country: str) -> str:
    if scope == COUNTRY:
        return _("organisations of your kind in %(country)s") % {"country": country}
    if scope == ALL_COUNTRIES:
        return _("organisations of your kind in all countries")
    return _("fewer than %(count)s organisations of your kind allow comparison") % {"count": MIN_GROUP_SIZE}
