"""A network's own practice collection: members submit, coordinators feature, the library
is narrowed to a network (issue 14)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inclusion.networks.membership import leave
from inclusion.networks.models import Coordinator, MemberStatus, NetworkMember, NetworkPractice
from inclusion.organisations.models import Role
from inclusion.practices.models import Practice
from tests.factories import NetworkFactory, OrganisationFactory, PracticeFactory, member_of


def published(organisation, title, area="a1"):
    return PracticeFactory(
        organisation=organisation,
        is_published=True,
        published_at=timezone.now(),
        title={"en": title},
        excerpt={"en": "Excerpt"},
        area=area,
        success_factor=f"{area}.sf1",
        search_text=title.lower(),
    )


class World:
    """A private and a public network; org M is an active member of both, org I only invited
    to the private one."""

    def __init__(self):
        self.private = NetworkFactory(name="Private network", slug="private-net", is_public=False)
        self.public = NetworkFactory(name="Public network", slug="public-net", is_public=True)
        self.coordinator = member_of(OrganisationFactory(slug="ministry"), Role.OWNER)
        for network in (self.private, self.public):
            Coordinator.objects.create(network=network, user=self.coordinator)
        self.org = OrganisationFactory(name="Member org", slug="member-org")
        self.entry = NetworkMember.objects.create(
            network=self.private, organisation=self.org, status=MemberStatus.ACTIVE
        )
        self.public_entry = NetworkMember.objects.create(
            network=self.public, organisation=self.org, status=MemberStatus.ACTIVE
        )
        self.invited_org = OrganisationFactory(slug="invited-org")
        self.invited_entry = NetworkMember.objects.create(
            network=self.private, organisation=self.invited_org, status=MemberStatus.INVITED
        )
        self.editor = member_of(self.org, Role.EDITOR)
        self.viewer = member_of(self.org, Role.VIEWER)
        self.invited_editor = member_of(self.invited_org, Role.EDITOR)
        self.practice = published(self.org, "Welcome desk in the library")
        self.draft = PracticeFactory(organisation=self.org)  # not published
        self.other = published(OrganisationFactory(slug="elsewhere"), "Someone else's practice")

    def submit_url(self, entry=None, org=None):
        entry = entry or self.entry
        org = org or self.org
        return f"/en/networks/organisation/{org.slug}/{entry.pk}/practices/"


@pytest.fixture
def world(db):
    return World()


def test_an_editor_submits_a_published_practice_once(world, signed_in):
    client = signed_in(world.editor)
    page = client.get(world.submit_url()).content.decode()
    assert "Welcome desk in the library" in page
    assert "Submit to the network" in page

    response = client.post(world.submit_url(), {"practice": world.practice.pk})
    assert response.status_code == 302
    response = client.post(world.submit_url(), {"practice": world.practice.pk}, follow=True)
    assert "already in Private network" in response.content.decode()
    entries = NetworkPractice.objects.filter(network=world.private)
    assert list(entries.values_list("practice_id", "organisation_id", "submitted_by_id", "featured")) == [
        (world.practice.pk, world.org.pk, world.editor.pk, False)
    ]
    assert "In the network's collection" in client.get(world.submit_url()).content.decode()


@pytest.mark.parametrize("which", ["draft", "other", "missing", "garbage"])
def test_only_the_organisations_own_published_practices_can_be_submitted(world, signed_in, which):
    value = {"draft": world.draft.pk, "other": world.other.pk, "missing": 999999, "garbage": "x"}[which]
    response = signed_in(world.editor).post(world.submit_url(), {"practice": value}, follow=True)
    assert response.status_code == 200
    assert "Choose one of your organisation&#x27;s published practices." in response.content.decode()
    assert not NetworkPractice.objects.exists()


def test_viewers_outsiders_and_invited_organisations_cannot_submit(world, signed_in):
    assert signed_in(world.viewer).post(world.submit_url(), {"practice": world.practice.pk}).status_code == 403
    outsider = member_of(OrganisationFactory(slug="outside"), Role.OWNER)
    assert signed_in(outsider).post(world.submit_url(), {"practice": world.practice.pk}).status_code == 404
    # An editor of another organisation cannot use this organisation's network entry.
    invited = signed_in(world.invited_editor)
    assert invited.post(world.submit_url(org=world.invited_org), {"practice": world.practice.pk}).status_code == 404
    # An organisation only invited is not a member yet.
    own = published(world.invited_org, "Invited org's practice")
    response = invited.post(
        world.submit_url(entry=world.invited_entry, org=world.invited_org), {"practice": own.pk}, follow=True
    )
    assert "once it is a member of the network" in response.content.decode()
    assert not NetworkPractice.objects.exists()


def _submit(world, practice, network=None):
    return NetworkPractice.objects.create(
        network=network or world.private, practice=practice, organisation=practice.organisation
    )


def test_coordinators_feature_and_unfeature(world, signed_in):
    older = _submit(world, world.practice)
    newer = _submit(world, published(world.org, "Language café"))
    coordinator = signed_in(world.coordinator)
    page = coordinator.get("/en/networks/private-net/manage/practices/").content.decode()
    assert page.index("Language café") < page.index("Welcome desk in the library")  # newest first

    url = f"/en/networks/private-net/manage/practices/{older.pk}/feature/"
    assert coordinator.get(url).status_code == 405
    assert coordinator.post(url, {"featured": "1"}).status_code == 302
    older.refresh_from_db()
    assert older.featured and older.featured_at
    page = coordinator.get("/en/networks/private-net/").content.decode()
    assert page.index("Welcome desk in the library") < page.index("Language café")  # featured first
    assert "Featured" in page

    coordinator.post(url, {"featured": "0"})
    older.refresh_from_db()
    assert (older.featured, older.featured_at) == (False, None)
    newer.refresh_from_db()
    assert not newer.featured


def test_only_coordinators_feature(world, signed_in):
    entry = _submit(world, world.practice)
    url = f"/en/networks/private-net/manage/practices/{entry.pk}/feature/"
    for user in (world.editor, member_of(world.org, Role.OWNER), member_of(OrganisationFactory(slug="x"), Role.OWNER)):
        assert signed_in(user).post(url, {"featured": "1"}).status_code == 404
    # Another network's coordinator cannot reach this network's entries through their own.
    other = NetworkFactory(slug="other-net")
    other_coordinator = member_of(OrganisationFactory(slug="y"), Role.OWNER)
    Coordinator.objects.create(network=other, user=other_coordinator)
    response = signed_in(other_coordinator).post(
        f"/en/networks/other-net/manage/practices/{entry.pk}/feature/", {"featured": "1"}
    )
    assert response.status_code == 404
    entry.refresh_from_db()
    assert not entry.featured


def test_the_network_page_lists_only_published_practices_to_its_readers(world, client, signed_in):
    _submit(world, world.practice)
    unpublished_later = published(world.org, "Withdrawn practice")
    _submit(world, unpublished_later)
    Practice.objects.filter(pk=unpublished_later.pk).update(is_published=False)
    page = signed_in(world.viewer).get("/en/networks/private-net/").content.decode()
    assert "Welcome desk in the library" in page
    assert "Withdrawn practice" not in page
    assert "?network=private-net" in page
    assert client.get("/en/networks/private-net/").status_code == 404


def test_leaving_the_network_takes_the_practices_out(world):
    _submit(world, world.practice)
    _submit(world, world.practice, network=world.public)
    leave(world.entry, world.editor)
    assert list(NetworkPractice.objects.values_list("network_id", flat=True)) == [world.public.pk]


def _titles(response):
    return [practice.title["en"] for practice in response.context["page"].object_list]


def test_the_library_filtered_to_a_public_network(world, client):
    _submit(world, world.practice, network=world.public)
    response = client.get("/en/practices/?network=public-net")
    assert response.status_code == 200
    assert _titles(response) == ["Welcome desk in the library"]
    body = response.content.decode()
    assert "Only the practices of Public network." in body
    assert '<input type="hidden" name="network" value="public-net">' in body
    # With other filters too.
    assert _titles(client.get("/en/practices/?network=public-net&area=a2")) == []
    assert _titles(client.get("/en/practices/?network=public-net&q=welcome")) == ["Welcome desk in the library"]
    # Without the filter, the library has more.
    assert client.get("/en/practices/").context["page"].paginator.count > 1


def test_a_private_networks_filter_is_hidden_from_non_members(world, client, signed_in):
    _submit(world, world.practice)
    url = "/en/practices/?network=private-net"
    assert client.get(url).status_code == 404
    outsider = member_of(OrganisationFactory(slug="outside"), Role.OWNER)
    response = signed_in(outsider).get(url)
    assert response.status_code == 404
    assert "Private network" not in response.content.decode()
    assert client.get("/en/practices/?network=no-such-network").status_code == 404
    for user in (world.viewer, world.coordinator):
        response = signed_in(user).get(url)
        assert response.status_code == 200
        assert _titles(response) == ["Welcome desk in the library"]


def test_the_filtered_library_runs_the_same_queries_however_many_practices(world, client, signed_in):
    def add(count, network):
        for number in range(count):
            _submit(world, published(world.org, f"Practice {network.slug} {number}"), network=network)

    reader = signed_in(world.viewer)
    cases = [
        # The count and the page, plus the network.
        (client, "/en/practices/?network=public-net", 3),
        # Signed in: the session and the user, whether the reader coordinates the network
        # and, for a private one, whether the reader's organisation is in it.
        (reader, "/en/practices/?network=public-net", 6),
        (reader, "/en/practices/?network=private-net&area=a1", 7),
    ]
    client.get("/en/practices/")  # the list of countries is kept for a minute
    for size in (3, 40):
        add(size, world.public)
        add(size, world.private)
        for who, url, queries in cases:
            with CaptureQueriesContext(connection) as captured:
                response = who.get(url)
            assert response.status_code == 200
            assert response.context["page"].paginator.count >= size
            assert len(captured.captured_queries) == queries, (url, size)


def test_the_organisation_page_links_editors_to_submitting(world, signed_in):
    url = f"/en/organisations/{world.org.slug}/"
    link = f"/en/networks/organisation/member-org/{world.entry.pk}/practices/"
    assert link in signed_in(world.editor).get(url).content.decode()
    assert link not in signed_in(world.viewer).get(url).content.decode()
    invited_page = signed_in(world.invited_editor).get(f"/en/organisations/{world.invited_org.slug}/")
    assert f"/{world.invited_entry.pk}/practices/" not in invited_page.content.decode()


def test_the_network_page_runs_the_same_queries_however_many_practices(world, client):
    counts, total = [], 0
    for size in (3, 30):
        total += size
        for number in range(size):
            entry = _submit(world, published(world.org, f"Practice {size} {number}"), network=world.public)
        entry.featured = True
        entry.save()
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/en/networks/public-net/")
        assert response.status_code == 200
        assert len(response.context["practices"]) == min(total, 20)
        assert response.context["practice_count"] == total
        assert response.context["practices"][0] == entry  # featured first
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1] == 4  # the network, members, the collection's first page and its size
