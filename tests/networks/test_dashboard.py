"""The coordinator's dashboard shows nothing an organisation did not share, follows leaving
at once, suppresses groups under five and runs a constant number of queries."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from inclusion.networks.aggregates import refresh
from inclusion.networks.models import NetworkMember, Sharing
from inclusion.organisations.models import OrganisationKind
from tests.factories import NetworkFactory


def _dashboard(client, network, query=""):
    response = client.get(reverse("networks:dashboard", args=[network.slug]) + query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("sharing", "named"),
    [(Sharing.NOTHING, False), (Sharing.AGGREGATES, False), (Sharing.SUMMARY, True), (Sharing.SURVEY, True)],
)
def test_the_heatmap_lists_only_organisations_sharing_their_summary(
    coordinator_client, network, add_member, sharing, named
):
    add_member(sharing, name="Talsi Welcome Centre")
    refresh()
    assert ("Talsi Welcome Centre" in _dashboard(coordinator_client, network)) is named


def test_the_heatmap_shows_the_handbooks_reading_per_area(coordinator_client, network, add_member):
    add_member(Sharing.SUMMARY, {"a1": "no", "a2": "partly"}, name="Cēsis Youth")
    refresh()
    page = _dashboard(coordinator_client, network)
    row = page.split("Cēsis Youth")[1].split("</tr>")[0]
    assert row.count("Rethink") == 1 and row.count("Improve") == 1 and row.count("Comprehensive") == 4


def test_an_organisation_that_leaves_disappears_from_the_next_view(coordinator_client, network, add_member):
    organisation = add_member(Sharing.SUMMARY, name="Ogre Library")
    refresh()
    assert "Ogre Library" in _dashboard(coordinator_client, network)
    NetworkMember.objects.filter(organisation=organisation).delete()
    assert "Ogre Library" not in _dashboard(coordinator_client, network)


def test_withdrawing_the_summary_hides_the_organisation_at_once(coordinator_client, network, add_member):
    organisation = add_member(Sharing.SUMMARY, name="Ogre Library")
    refresh()
    NetworkMember.objects.filter(organisation=organisation).update(sharing=Sharing.AGGREGATES)
    assert "Ogre Library" not in _dashboard(coordinator_client, network)


def test_another_networks_members_are_not_shown(coordinator_client, network, add_member):
    add_member(Sharing.SUMMARY, name="Elsewhere Centre", to=NetworkFactory())
    refresh()
    assert "Elsewhere Centre" not in _dashboard(coordinator_client, network)


def test_filters_by_kind_and_region(coordinator_client, network, add_member):
    add_member(Sharing.SUMMARY, name="Valmiera School", kind=OrganisationKind.EDUCATION, region="Vidzeme")
    add_member(Sharing.SUMMARY, name="Liepāja NGO", region="Kurzeme")
    refresh()
    page = _dashboard(coordinator_client, network, "?kind=education")
    assert "Valmiera School" in page and "Liepāja NGO" not in page
    page = _dashboard(coordinator_client, network, "?region=Kurzeme")
    assert "Valmiera School" not in page and "Liepāja NGO" in page
    page = _dashboard(coordinator_client, network, "?region=Nowhere&kind=spaceship")  # ignored
    assert "Valmiera School" in page and "Liepāja NGO" in page


@pytest.mark.parametrize(("organisations", "shown"), [(4, False), (5, True)])
def test_progress_and_common_gaps_need_five_organisations(
    coordinator_client, network, add_member, organisations, shown
):
    for _number in range(organisations):
        add_member(Sharing.AGGREGATES, {"a1": "no"})
    refresh()
    page = _dashboard(coordinator_client, network)
    gaps = page.split('id="gaps-title"')[1]
    progress = page.split('id="progress-title"')[1].split('id="gaps-title"')[0]
    if shown:
        assert "(0–0%, n=5)" in progress
        assert "Practices in the library" in gaps and "?area=a1" in gaps
    else:
        assert "n=4" not in progress and "fewer than 5" in progress
        assert "Practices in the library" not in gaps


# Session, user, network (coordinator check), the two filters' choices, the heatmap's count,
# its page of organisations, their area scores, their success-factor scores, progress and
# common gaps: 11 (10 before the success-factor heatmap).
# As rendered: 11 for the page and 2 for the key of its cached body (networks.dashboard.dashboard_version).
DASHBOARD_QUERIES = 13
# From the cache: the session, the user, the network and its coordinator, and the key's 2.
DASHBOARD_CACHED_QUERIES = 5


def test_the_dashboard_runs_the_same_queries_whatever_the_number_of_organisations(
    coordinator_client, network, add_member
):
    counts = []
    for more in (5, 25):  # 5 organisations, then 30
        for number in range(more):
            add_member(Sharing.SUMMARY if number % 2 else Sharing.AGGREGATES, region=f"Region {number % 3}")
        refresh()
        with CaptureQueriesContext(connection) as queries:
            page = _dashboard(coordinator_client, network)
        assert page.count('<th scope="row">Member') == 2 * NetworkMember.objects.filter(sharing=Sharing.SUMMARY).count()
        with CaptureQueriesContext(connection) as cached:
            assert _dashboard(coordinator_client, network) == page
        counts.append((len(queries), len(cached)))
    assert counts == [(DASHBOARD_QUERIES, DASHBOARD_CACHED_QUERIES)] * 2


def test_the_cached_dashboard_follows_a_refresh_and_a_change_of_sharing(coordinator_client, network, add_member):
    from inclusion.networks.membership import set_sharing

    first = add_member(Sharing.SUMMARY, {"a1": "no"}, name="Tukums Centre")
    refresh()
    assert "Tukums Centre" in _dashboard(coordinator_client, network)
    add_member(Sharing.SUMMARY, name="Talsi Centre")
    assert "Talsi Centre" in _dashboard(coordinator_client, network)  # sharing now: shown before the refresh
    member = NetworkMember.objects.get(organisation=first)
    set_sharing(member, Sharing.AGGREGATES, None)
    assert "Tukums Centre" not in _dashboard(coordinator_client, network)
    set_sharing(member, Sharing.SUMMARY, None)
    assert "Tukums Centre" in _dashboard(coordinator_client, network)
    refresh()  # the aggregates' new state is a new key: the page is rendered again
    with CaptureQueriesContext(connection) as queries:
        assert "Tukums Centre" in _dashboard(coordinator_client, network)
    assert len(queries) == DASHBOARD_QUERIES


@pytest.mark.parametrize("language", ["lv", "en"])
def test_the_network_report_in_xlsx_shows_only_what_is_shared(coordinator_client, network, add_member, language):
    import io

    from openpyxl import load_workbook

    add_member(Sharing.SUMMARY, name="Sigulda Centre")
    add_member(Sharing.AGGREGATES, name="Hidden Aggregates Org")
    for _number in range(4):
        add_member(Sharing.AGGREGATES, {"a1": "no"})
    refresh()
    response = coordinator_client.get(
        reverse("networks:report", args=[network.slug, "xlsx"]).replace("/en/", f"/{language}/")
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Sigulda Centre" in cells
    assert "Hidden Aggregates Org" not in cells
    assert len(workbook.sheetnames) == 4


def test_the_network_report_in_pdf(coordinator_client, network, add_member):
    add_member(Sharing.SUMMARY, name="Sigulda Centre")
    refresh()
    response = coordinator_client.get(reverse("networks:report", args=[network.slug, "pdf"]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_pdf_lists_the_first_organisations_and_says_where_the_rest_are(
    coordinator_client, network, add_member, monkeypatch
):
    from pypdf import PdfReader

    from inclusion.networks import report

    monkeypatch.setattr(report, "PDF_ORGANISATIONS", 2)
    for name in ("Aizpute Centre", "Bauska Centre", "Cesis Centre"):
        add_member(Sharing.SUMMARY, name=name)
    refresh()
    pdf = coordinator_client.get(reverse("networks:report", args=[network.slug, "pdf"])).content
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Aizpute Centre" in text and "Bauska Centre" in text
    assert "Cesis Centre" not in text
    assert "The first 2 of 3 organisations, by name; the XLSX report lists them all." in text
    xlsx = coordinator_client.get(reverse("networks:report", args=[network.slug, "xlsx"])).content
    assert "Cesis Centre" in [
        str(cell)
        for sheet in load_workbook(io.BytesIO(xlsx))
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    ]


def test_an_unknown_report_format_is_not_found(coordinator_client, network):
    assert coordinator_client.get(reverse("networks:report", args=[network.slug, "docx"])).status_code == 404


# Session, user, network, progress, common gaps, how many organisations share their summary,
# the organisations, their area scores and their success-factor scores: 9.
REPORT_QUERIES = 9


def test_the_report_runs_the_same_queries_whatever_the_number_of_organisations(coordinator_client, network, add_member):
    counts = []
    for more in (5, 20):
        for _number in range(more):
            add_member(Sharing.SUMMARY)
        refresh()
        with CaptureQueriesContext(connection) as queries:
            assert coordinator_client.get(reverse("networks:report", args=[network.slug, "xlsx"])).status_code == 200
        counts.append(len(queries))
    assert counts == [REPORT_QUERIES, REPORT_QUERIES]
