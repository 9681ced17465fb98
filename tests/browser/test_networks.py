"""The coordinator's dashboard on a phone: the wide heatmaps (key areas, success factors)
scroll inside their own focusable regions, never the page, and axe finds nothing serious."""

import pytest
from django.test import Client

from inclusion.handbook.services import get_handbook, import_content
from inclusion.networks.aggregates import refresh
from inclusion.networks.models import Coordinator, MemberStatus, NetworkMember, Sharing
from inclusion.organisations.models import OrganisationKind, Role
from tests.factories import NetworkFactory, OrganisationFactory, member_of
from tests.networks.conftest import answer_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def dashboard_url():
    """A network with three organisations sharing their summary, refreshed; its coordinator signed in."""
    import_content(get_handbook())
    network = NetworkFactory(name="Latvijas integrācijas tīkls", slug="lv-network")
    coordinator = member_of(OrganisationFactory(slug="ministry", kind=OrganisationKind.AUTHORITY), Role.OWNER)
    Coordinator.objects.create(network=network, user=coordinator)
    for number, (name, kind) in enumerate(
        [
            ("Rīgas Sociālais dienests un pieņemšanas centrs", OrganisationKind.AUTHORITY),
            ("Cēsu jauniešu centrs", OrganisationKind.NGO),
            ("Valmieras tehnikums", OrganisationKind.EDUCATION),
        ]
    ):
        organisation = OrganisationFactory(name=name, slug=f"member-{number}", kind=kind, region="Vidzeme")
        answer_round(organisation, {"a1": "no", "a2": "partly", "a3": "na"})
        NetworkMember.objects.create(
            network=network, organisation=organisation, status=MemberStatus.ACTIVE, sharing=Sharing.SUMMARY
        )
    refresh()
    client = Client()
    client.force_login(coordinator)
    return client.cookies["sessionid"].value, f"/lv/networks/{network.slug}/dashboard/"


def test_the_dashboard_fits_a_phone_and_its_heatmaps_scroll_in_focusable_regions(
    browser, live_server, dashboard_url, axe
):
    session, path = dashboard_url
    context = browser.new_context(viewport=PHONE)
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")
    assert page.locator("#factors-title").inner_text() == "Veiksmes faktori"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    region = page.locator('.table-scroll[aria-labelledby="factors-title"]')
    assert region.evaluate("element => element.scrollWidth > element.clientWidth")  # it scrolls, not the page
    assert region.get_attribute("tabindex") == "0"
    region.focus()
    page.keyboard.press("ArrowRight")
    for _attempt in range(50):  # smooth scrolling takes a moment (wait_for_function would need eval, which CSP forbids)
        if region.evaluate("element => element.scrollLeft") > 0:
            break
        page.wait_for_timeout(100)
    assert region.evaluate("element => element.scrollLeft") > 0
    assert axe(page) == []
    context.close()
