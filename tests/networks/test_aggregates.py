"""The refresh: rounds scored as the summary scores them, benchmarks only for groups of at
least five organisations that allow aggregates, complementary suppression between a
country and all countries, the lease, and the benchmarks on the summary page and the API."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from inclusion.api.models import AccessToken
from inclusion.assessments.answers import save_answer
from inclusion.assessments.models import Assessment
from inclusion.assessments.summary import compile_summary
from inclusion.core import fragments
from inclusion.handbook.services import get_handbook
from inclusion.networks.aggregates import acquire_lease, refresh, release_lease
from inclusion.networks.benchmarks import ALL_COUNTRIES, COUNTRY, area_benchmarks
from inclusion.networks.models import Benchmark, NetworkMember, RoundAreaScore, Sharing
from inclusion.organisations.models import OrganisationKind, Role
from tests.factories import NetworkFactory, member_of

from .conftest import answer_round

AREAS = ["a1", "a2", "a3", "a4", "a5", "a6"]


def test_rounds_are_scored_as_the_summary_scores_them(add_member):
    organisation = add_member(values={"a1": "partly", "a2": "no", "a3": "na"})
    assessment = organisation.assessments.get()
    save_answer(assessment, get_handbook().reference_edition.areas[0].checklist_items[0].id, "yes")
    refresh()
    summary = compile_summary(assessment, get_handbook().reference_edition)
    stored = {row.area: (row.score, row.reading) for row in RoundAreaScore.objects.filter(assessment=assessment)}
    assert stored == {result.area.id: (result.score, result.reading) for result in summary.areas}
    assert RoundAreaScore.objects.filter(assessment=assessment, latest=True).count() == 6


def test_a_changed_answer_is_picked_up_by_the_next_refresh_only(add_member):
    organisation = add_member(values="no")
    refresh()
    assessment = organisation.assessments.get()
    item = get_handbook().reference_edition.areas[0].checklist_items[0].id
    save_answer(assessment, item, "yes")
    assert RoundAreaScore.objects.get(assessment=assessment, area="a1").reading == "rethink"
    result = refresh()
    assert result.rounds == 1
    assert RoundAreaScore.objects.get(assessment=assessment, area="a1").reading == "improve"


def test_the_latest_round_moves_back_when_it_is_deleted(add_member):
    organisation = add_member(values="no")
    newer = answer_round(organisation, "yes")
    refresh()
    assert RoundAreaScore.objects.get(organisation=organisation, latest=True, area="a1").assessment_id == newer.pk
    newer.delete()
    refresh()
    assert RoundAreaScore.objects.get(organisation=organisation, latest=True, area="a1").reading == "rethink"


@pytest.mark.parametrize(("organisations", "shown"), [(4, False), (5, True)])
def test_a_benchmark_needs_five_organisations(add_member, organisations, shown):
    for number in range(organisations):
        add_member(values={"a1": ["yes", "no", "partly", "yes", "no"][number]})
    refresh()
    [a1] = area_benchmarks(OrganisationKind.NGO, "LV", ["a1"])
    assert a1.available is shown
    if shown:
        assert (a1.scope, a1.organisations, a1.median) == (COUNTRY, 5, 50)
        assert (a1.q1, a1.q3) == (0, 100)
    else:
        assert a1.median is None
        assert Benchmark.objects.get(kind="ngo", country="LV", area="a1").median is None


def test_a_small_country_is_compared_with_all_countries(add_member):
    for _number in range(3):
        add_member(country="LV")
    for _number in range(2):
        add_member(country="EE")
    refresh()
    [a1] = area_benchmarks(OrganisationKind.NGO, "EE", ["a1"])
    assert (a1.scope, a1.organisations) == (ALL_COUNTRIES, 5)


def test_all_countries_is_hidden_when_subtracting_a_country_would_reveal_fewer_than_five(add_member):
    for _number in range(5):
        add_member(country="LV")
    for _number in range(2):
        add_member(country="EE")
    refresh()
    assert area_benchmarks(OrganisationKind.NGO, "LV", ["a1"])[0].scope == COUNTRY
    # All countries (7) minus Latvia (5) would be Estonia's 2: not shown to anyone.
    assert area_benchmarks(OrganisationKind.NGO, "EE", ["a1"])[0].available is False
    for _number in range(3):
        add_member(country="EE")
    refresh()
    assert area_benchmarks(OrganisationKind.NGO, "EE", ["a1"])[0].scope == COUNTRY
    assert Benchmark.objects.get(kind="ngo", country="", area="a1").publishable


def test_organisations_that_withdraw_aggregates_leave_the_next_refresh(add_member):
    members = [add_member() for _number in range(5)]
    refresh()
    assert area_benchmarks(OrganisationKind.NGO, "LV", ["a1"])[0].available
    NetworkMember.objects.filter(organisation=members[0]).update(sharing=Sharing.NOTHING)
    refresh()
    assert not area_benchmarks(OrganisationKind.NGO, "LV", ["a1"])[0].available


def test_sharing_nothing_with_one_network_withdraws_from_the_benchmarks(add_member):
    members = [add_member() for _number in range(5)]
    NetworkMember.objects.create(
        network=NetworkFactory(), organisation=members[0], status="active", sharing=Sharing.NOTHING
    )
    refresh()
    assert not area_benchmarks(OrganisationKind.NGO, "LV", ["a1"])[0].available


def test_organisations_in_no_network_are_not_counted(add_member):
    for _number in range(4):
        add_member()
    outside = add_member()
    NetworkMember.objects.filter(organisation=outside).delete()
    refresh()
    assert not area_benchmarks(OrganisationKind.NGO, "LV", ["a1"])[0].available


def test_the_rounds_changed_since_the_last_refresh_are_found_through_an_index(db):
    # refresh() reads Assessment.objects.filter(updated_at__gte=watermark) on every run.
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Assessment._meta.db_table)
    assert [name for name, spec in constraints.items() if spec["index"] and spec["columns"] == ["updated_at"]]


def test_one_machine_refreshes_at_a_time(db):
    assert acquire_lease("machine-1")
    assert refresh(holder="machine-2") is None
    release_lease("machine-1")
    assert refresh(holder="machine-2") is not None


def test_the_refresh_command_runs_twice_to_the_same_result(add_member, capsys):
    from django.core.management import call_command

    for _number in range(5):
        add_member()
    call_command("refresh_network_aggregates")
    first = sorted(Benchmark.objects.values_list("kind", "country", "area", "organisations", "median"))
    call_command("refresh_network_aggregates", "--full")
    assert sorted(Benchmark.objects.values_list("kind", "country", "area", "organisations", "median")) == first
    assert "benchmark rows" in capsys.readouterr().out


def _summary_url(organisation):
    return reverse("assessments:summary", args=[organisation.assessments.get().public_id])


def test_the_summary_page_shows_benchmarks_or_says_why_not(add_member, signed_in):
    members = [add_member(values={"a1": value}) for value in ["yes", "no", "partly", "yes"]]
    client = signed_in(member_of(members[0], Role.VIEWER))
    refresh()
    page = client.get(_summary_url(members[0])).content.decode()
    assert "How organisations like yours read" in page
    assert "fewer than 5 organisations of your kind allow comparison" in page
    add_member(values={"a1": "no"})
    refresh()
    # The benchmarks are part of the cached summary body: a refresh shows within
    # SUMMARY_CACHE_SECONDS (the aggregates themselves come from a timer).
    page = client.get(_summary_url(members[0])).content.decode()
    assert "(5 organisations)" not in page
    cache.clear()
    fragments.clear()
    page = client.get(_summary_url(members[0])).content.decode()
    assert "organisations of your kind in LV (5 organisations)" in page


def test_the_summary_page_runs_the_same_queries_whatever_the_number_of_organisations(add_member, signed_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = add_member()
    client = signed_in(member_of(first, Role.VIEWER))
    counts = []
    for more in (4, 20):
        for _number in range(more):
            add_member()
        refresh()
        cache.clear()  # the page as rendered, not from the summary cache
        fragments.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_summary_url(first)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_api_gives_the_benchmarks_to_the_organisations_token(add_member, client):
    members = [add_member() for _number in range(5)]
    refresh()
    _record, token = AccessToken.issue(members[0], None, "test")
    response = client.get("/api/v1/benchmarks", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    body = response.json()
    assert (body["kind"], body["country"]) == ("ngo", "LV")
    assert [area["area"] for area in body["areas"]] == AREAS
    assert body["areas"][0] == {
        "area": "a1",
        "scope": "country",
        "organisations": 5,
        "q1": 100.0,
        "median": 100.0,
        "q3": 100.0,
    }
    assert client.get("/api/v1/benchmarks").status_code == 401
