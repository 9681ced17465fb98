"""The practice library: filtering, search, and the practices a self-assessment suggests.

Search is blind to case and diacritics in the same way on SQLite and PostgreSQL: the text
is folded once when a practice is published (``Practice.search_text``) and the query's
terms are folded the same way (``handbook.search.query_terms``), so a plain substring
match does the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.core.cache import cache
from django.db.models import Case, F, IntegerField, Value, When, Window
from django.db.models.functions import RowNumber

from inclusion.handbook.content import AREA_IDS
from inclusion.handbook.search import MAX_QUERY_LENGTH, fold, query_terms
from inclusion.handbook.services import get_handbook

from .models import OrganisationType, Practice, TargetGroup

PAGE_SIZE = 20
SUGGESTIONS_PER_AREA = 3
LIST_COLUMNS = (
    "pk",
    "handbook_key",
    "title",
    "organisation_name",
    "city",
    "excerpt",
    "area",
    "success_factor",
    "organisation_type",
    "countries",
    "target_groups",
    "scores",
    "published_at",
    "sort_order",
)


@dataclass
class LibraryScope:
    """A collection the library is narrowed to by an app above practices (a network's
    practices, ``?network=<slug>``): the query parameter and value that keep it, a label
    for the reader, and the practices' IDs (a queryset of ``practice_id`` values)."""

    param: str
    value: str
    label: str
    practice_ids: Any


@dataclass
class LibraryFilters:
    area: str = ""
    factor: str = ""
    country: str = ""
    organisation_type: str = ""
    target_group: str = ""
    query: str = ""
    terms: list[str] = field(default_factory=list)
    query_too_long: bool = False
    scopes: list[LibraryScope] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return any(
            [self.area, self.factor, self.country, self.organisation_type, self.target_group, self.terms, self.scopes]
        )


def parse_filters(params) -> LibraryFilters:
    """Filters from the query string; values that are not known are ignored, not errors."""
    edition = get_handbook().reference_edition
    factors = {factor.id for area in edition.areas for factor in area.success_factors}
    query = (params.get("q") or "").strip()
    too_long = len(query) > MAX_QUERY_LENGTH
    query = query[:MAX_QUERY_LENGTH]
    country = (params.get("country") or "").strip().upper()
    return LibraryFilters(
        area=params.get("area") if params.get("area") in AREA_IDS else "",
        factor=params.get("factor") if params.get("factor") in factors else "",
        country=country if re.fullmatch(r"[A-Z]{2}", country) else "",
        organisation_type=params.get("type") if params.get("type") in OrganisationType.values else "",
        target_group=params.get("group") if params.get("group") in TargetGroup.values else "",
        query=query,
        terms=query_terms(query),
        query_too_long=too_long,
    )


def library_queryset(filters: LibraryFilters):
    practices = Practice.objects.filter(is_published=True)
    if filters.area:
        practices = practices.filter(area=filters.area)
    if filters.factor:
        practices = practices.filter(success_factor=filters.factor)
    if filters.country:
        practices = practices.filter(country_index__contains=f"|{filters.country}|")
    if filters.organisation_type:
        practices = practices.filter(organisation_type=filters.organisation_type)
    if filters.target_group:
        practices = practices.filter(target_group_index__contains=f"|{filters.target_group}|")
    for term in filters.terms:
        practices = practices.filter(search_text__contains=term)
    for scope in filters.scopes:
        practices = practices.filter(pk__in=scope.practice_ids)
    return practices.only(*LIST_COLUMNS).order_by("area", "sort_order", "-published_at", "pk")


COUNTRY_CHOICES_SECONDS = 60


def country_choices() -> list[str]:
    """The countries of published practices, for the filter.

    Finding them reads every published row, the costliest query of the library page, and
    the answer changes only when a practice is published: it is kept for a minute.
    """

    def compute() -> list[str]:
        codes = set()
        for index in Practice.objects.filter(is_published=True).values_list("country_index", flat=True).distinct():
            codes.update(code for code in index.split("|") if code)
        return sorted(codes)

    return cache.get_or_set("practices:country-choices", compute, COUNTRY_CHOICES_SECONDS)


# --- Learning from each other: suggestions on a self-assessment summary ---------------------

_STEM = 6  # words are compared by their first six letters: "coordinate" ~ "coordination"
_STOPWORDS = {"refuge", "servic", "organi", "commun", "suppor", "inclus", "integr", "local", "people"}


def _stems(text: str) -> set[str]:
    return {word[:_STEM] for word in re.findall(r"\w{6,}", fold(text))} - _STOPWORDS


@lru_cache(maxsize=4)
def _gap_factors(version: str) -> dict[str, str]:
    """checklist item ID → the success factor of its area that it is about (see below)."""
    edition = get_handbook().reference_edition
    mapping = {}
    for area in edition.areas:
        factors = [
            (factor.id, _stems(f"{factor.name} {factor.name} {factor.description}")) for factor in area.success_factors
        ]
        for item in area.checklist_items:
            words = _stems(item.text)
            best_id, best_overlap = "", 0
            for factor_id, factor_words in factors:
                overlap = len(words & factor_words)
                if overlap > best_overlap:
                    best_id, best_overlap = factor_id, overlap
            if best_id:
                mapping[item.id] = best_id
    return mapping


def gap_factor(item_id: str) -> str:
    """The success factor behind a checklist gap.

    The handbook does not link checklist items to success factors, so the link is made
    from the words: an item belongs to the success factor of its own key area whose name
    and description share the most word stems (first six letters, folded, common words
    of the whole handbook left out) with the item's English text; ties go to the factor
    listed first, and an item sharing no stem has no factor. It is a pointer for
    suggestions, not a judgement, so a simple rule that anyone can check is enough.
    """
    return _gap_factors(get_handbook().version).get(item_id, "")


def suggested_practices(shortfalls: dict[str, list[str]], per_area: int = SUGGESTIONS_PER_AREA) -> dict[str, list]:
    """Published practices to learn from, for each key area that falls short.

    ``shortfalls`` is ``{area ID: [IDs of its gap checklist items]}`` for the areas that fall
    short (the self-assessment summary decides which: practices does not read assessments).
    Each such area suggests up to ``per_area`` practices of that area: first those
    illustrating the success factors behind its gaps (``gap_factor``), then the area's
    others, handbook examples in their order before members' practices. One query, whatever
    the number of areas or practices.
    """
    if not shortfalls:
        return {}
    factors = sorted({gap_factor(item_id) for item_ids in shortfalls.values() for item_id in item_ids} - {""})
    priority = Case(When(success_factor__in=factors, then=Value(0)), default=Value(1), output_field=IntegerField())
    practices = (
        Practice.objects.filter(is_published=True, area__in=list(shortfalls))
        .only(*LIST_COLUMNS)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("area")],
                order_by=[priority.asc(), F("sort_order").asc(), F("published_at").desc(), F("pk").asc()],
            )
        )
        .filter(rank__lte=per_area)
        .order_by("area", "rank")
    )
    suggestions: dict[str, list[Practice]] = {}
    for practice in practices:
        practice.is_for_gap = practice.success_factor in factors
        suggestions.setdefault(practice.area, []).append(practice)
    return suggestions
