"""What networks add to other apps' pages, through their signals (apps.py connects them):
the organisation page lists its networks; an organisation's summary shows benchmarks; the
practice library can be narrowed to a network's own collection."""

from inclusion.practices.library import LibraryScope

from .access import network_for_reader
from .benchmarks import area_benchmarks, scope_label
from .collection import practice_ids
from .models import NetworkMember


def organisation_panel(sender, organisation, membership, request=None, **kwargs) -> dict:
    members = list(NetworkMember.objects.filter(organisation=organisation).select_related("network"))
    return {
        "template": "networks/_organisation_panel.html",
        "context": {"network_members": members},
        "order": 40,
    }


def benchmarks_panel(sender, assessment, summary, request=None, **kwargs) -> dict:
    organisation = assessment.organisation
    benchmarks = area_benchmarks(organisation.kind, organisation.country, [result.area.id for result in summary.areas])
    rows = [
        {"result": result, "benchmark": benchmark, "scope": scope_label(benchmark.scope, organisation.country)}
        for result, benchmark in zip(summary.areas, benchmarks, strict=True)
    ]
    return {"template": "networks/_benchmarks.html", "context": {"benchmark_rows": rows}, "order": 10}


def library_scope(sender, request, **kwargs) -> LibraryScope | None:
    """``?network=<slug>``: only the practices submitted to that network. A network the
    reader may not see (private, not theirs) is answered as an unknown one: 404."""
    slug = request.GET.get("network")
    if not slug:
        return None
    network, _coordinator = network_for_reader(request.user, slug[:80])
    return LibraryScope(param="network", value=network.slug, label=network.name, practice_ids=practice_ids(network))
