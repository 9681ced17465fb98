"""A line of the staff usage page. Each app counts its own records in its usage.py
(``usage_rows(since)``) with ``count_row``; the staff app puts the lines together."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet


@dataclass(frozen=True)
class UsageRow:
    label: str
    total: int
    recent: int | None = None  # created since the page's start date; None where not tracked


def count_row(label: str, queryset: QuerySet, recent: Q | None = None) -> UsageRow:
    """How many rows there are and, with ``recent``, how many of them match it: one query."""
    aggregates = {"total": Count("pk")}
    if recent is not None:
        aggregates["recent"] = Count("pk", filter=recent)
    counts = queryset.aggregate(**aggregates)
    return UsageRow(label, counts["total"], counts.get("recent"))
