"""The networks' benchmarks for the organisation of the token: how organisations of its kind
read in their latest round (the same figures, and the same suppression, as on the summary
page)."""

from ninja import Router, Schema

from inclusion.handbook.content import AREA_IDS
from inclusion.networks.benchmarks import area_benchmarks

from .schemas import PRIVATE_ERRORS

router = Router(tags=["organisation"])


class AreaBenchmarkOut(Schema):
    area: str
    scope: str | None  # "country", "all_countries" or null: fewer than 5 organisations to compare with
    organisations: int | None
    q1: float | None
    median: float | None
    q3: float | None


class BenchmarksOut(Schema):
    kind: str
    country: str
    areas: list[AreaBenchmarkOut]


@router.get(
    "benchmarks",
    response={200: BenchmarksOut, **PRIVATE_ERRORS},
    summary="How organisations of the same kind read, per key area (groups of at least 5)",
)
def benchmarks(request):
    organisation = request.organisation
    return {
        "kind": organisation.kind,
        "country": organisation.country,
        "areas": [
            {
                "area": row.area,
                "scope": row.scope,
                "organisations": row.organisations,
                "q1": row.q1,
                "median": row.median,
                "q3": row.q3,
            }
            for row in area_benchmarks(organisation.kind, organisation.country, list(AREA_IDS))
        ],
    }
