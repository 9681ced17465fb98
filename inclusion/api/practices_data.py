"""Good practices: the published library for everyone; an organisation's own practices and
their ratings for its token holders."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema

from inclusion.core.i18n import localised
from inclusion.handbook.services import get_handbook
from inclusion.practices.library import LibraryFilters, library_queryset, parse_filters
from inclusion.practices.models import Practice, Rating
from inclusion.practices.scoring import score_rating

from .content import Language
from .schemas import PRIVATE_ERRORS, PUBLIC_ERRORS, page_of

public = Router(tags=["practices"])
private = Router(tags=["organisation"])


class PracticeOut(Schema):
    id: int
    handbook_id: str | None
    title: str
    organisation: str
    city: str
    area: str
    success_factor: str
    organisation_type: str
    countries: list[str]
    target_groups: list[str]
    text: str
    links: list[str]
    published_at: datetime.datetime | None


class PracticePage(Schema):
    items: list[PracticeOut]
    count: int
    page: int
    pages: int


class LibraryQuery(Schema):
    q: str | None = Field(None, max_length=200)
    area: str | None = Field(None, max_length=4)
    factor: str | None = Field(None, max_length=12)
    country: str | None = Field(None, max_length=2)
    type: str | None = Field(None, max_length=20)
    group: str | None = Field(None, max_length=30)
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)


def practice_data(practice: Practice, language: str) -> dict:
    return {
        "id": practice.pk,
        "handbook_id": practice.handbook_key,
        "title": localised(practice.title, language),
        "organisation": localised(practice.organisation_name, language),
        "city": localised(practice.city, language),
        "area": practice.area,
        "success_factor": practice.success_factor,
        "organisation_type": practice.organisation_type,
        "countries": practice.countries,
        "target_groups": practice.target_groups,
        "text": localised(practice.text, language),
        "links": practice.links,
        "published_at": practice.published_at,
    }


@public.get("{language}/practices", response={200: PracticePage, **PUBLIC_ERRORS}, summary="The practice library")
def practices(request, language: Language, query: Query[LibraryQuery]):
    filters: LibraryFilters = parse_filters({key: value for key, value in query.dict().items() if value is not None})
    page = page_of(library_queryset(filters).defer(None), query.page, query.page_size)
    return {**page, "items": [practice_data(practice, language) for practice in page["items"]]}


@public.get("{language}/practices/{practice_id}", response={200: PracticeOut, **PUBLIC_ERRORS}, summary="A practice")
def practice(request, language: Language, practice_id: int = Path(..., ge=1, le=2**31 - 1)):
    return practice_data(get_object_or_404(Practice, pk=practice_id, is_published=True), language)


class CriterionScoreOut(Schema):
    id: str
    score: int | None
    threshold: int
    points: int
    applicable: int


class RatingOut(Schema):
    id: int
    consensus: bool
    rater: str | None
    overall: int | None
    band: str = Field(
        description=(
            "good_practice, promising or needs_development once every indicator is scored or not applicable;"
            " provisional before that; not_assessed when nothing is scored"
        )
    )
    complete: bool
    below_threshold: list[str]
    criteria: list[CriterionScoreOut]
    scores: dict[str, str]
    updated_at: datetime.datetime


class OwnPracticeOut(Schema):
    id: int
    title: dict[str, str]
    is_published: bool
    status: str | None
    ratings: list[RatingOut]


@private.get("practices", response={200: list[OwnPracticeOut], **PRIVATE_ERRORS}, summary="Our practices and ratings")
def own_practices(request):
    criteria = get_handbook().reference_edition.criteria.criteria
    practices = Practice.objects.filter(organisation=request.organisation).select_related("current_version")
    ratings: dict[int, list[Rating]] = {}
    for rating in Rating.objects.filter(practice__organisation=request.organisation).select_related("rater"):
        ratings.setdefault(rating.practice_id, []).append(rating)
    result = []
    for own in practices.order_by("pk"):
        rows = []
        for rating in sorted(ratings.get(own.pk, []), key=lambda r: (not r.is_consensus, r.pk)):
            scored = score_rating(criteria, rating.scores)
            rows.append(
                {
                    "id": rating.pk,
                    "consensus": rating.is_consensus,
                    "rater": rating.rater.email if rating.rater else None,
                    "overall": scored.overall,
                    "band": scored.reading,
                    "complete": scored.is_complete,
                    "below_threshold": [criterion.id for criterion in scored.below_threshold],
                    "criteria": [
                        {
                            "id": c.id, "score": c.score, "threshold": c.threshold,
                            "points": c.points, "applicable": c.applicable,
                        }
                        for c in scored.criteria
                    ],
                    "scores": rating.scores,
                    "updated_at": rating.updated_at,
                }
            )  # fmt: skip
        version = own.current_version
        status = version.status if version else None
        # A practice not yet published has its title only in its current version.
        title = own.title or (version.content.get("title", {}) if version else {})
        result.append(
            {
                "id": own.pk,
                "title": title,
                "is_published": own.is_published,
                "status": status,
                "ratings": rows,
            }
        )
    return result
