"""Joining, sharing choices and their history, leaving, and who may read a network's page."""

import pytest
from django.urls import reverse

from inclusion.networks.membership import new_join_link
from inclusion.networks.models import MemberStatus, NetworkMember, Sharing, SharingChange
from inclusion.organisations.models import Role
from tests.factories import OrganisationFactory, member_of


def test_a_signed_in_person_starts_a_network_and_coordinates_it(signed_in, owner_a):
    client = signed_in(owner_a)
    response = client.post(reverse("networks:create"), {"name": "  Vidzeme   network ", "country": "lv"})
    assert response.status_code == 302
    network = owner_a.coordinated_networks.get().network
    assert (network.name, network.country, network.is_public) == ("Vidzeme network", "LV", False)
    assert client.get(reverse("networks:dashboard", args=[network.slug])).status_code == 200


def test_a_bad_country_keeps_what_was_typed(signed_in, owner_a):
    response = signed_in(owner_a).post(reverse("networks:create"), {"name": "Kurzeme", "country": "XX"})
    assert response.status_code == 200
    assert "is not a country code" in response.content.decode()
    assert 'value="Kurzeme"' in response.content.decode()


def test_an_owner_accepts_an_invitation_for_the_organisation(coordinator_client, network, org_a, owner_a, signed_in):
    response = coordinator_client.post(reverse("networks:invite", args=[network.slug]), {"organisation": org_a.slug})
    assert response.status_code == 302
    entry = NetworkMember.objects.get(network=network, organisation=org_a)
    assert entry.status == MemberStatus.INVITED

    owner = signed_in(owner_a)
    page = owner.get(reverse("networks:organisation_networks", args=[org_a.slug]))
    assert network.name in page.content.decode()
    owner.post(reverse("networks:accept", args=[org_a.slug, entry.pk]))
    entry.refresh_from_db()
    assert (entry.status, entry.sharing) == (MemberStatus.ACTIVE, Sharing.AGGREGATES)
    assert list(SharingChange.objects.values_list("event", "sharing")) == [("joined", "aggregates")]


def test_inviting_an_unknown_organisation_says_so(coordinator_client, network):
    response = coordinator_client.post(reverse("networks:invite", args=[network.slug]), {"organisation": "nobody"})
    assert response.status_code == 400
    assert "There is no organisation with that address name." in response.content.decode()


def test_a_join_link_request_waits_for_a_coordinator(coordinator_client, network, org_a, owner_a, signed_in):
    token = new_join_link(network)
    owner = signed_in(owner_a)
    response = owner.post(reverse("networks:join", args=[token]), {"organisation": org_a.slug})
    assert response.status_code == 302
    entry = NetworkMember.objects.get(network=network, organisation=org_a)
    assert entry.status == MemberStatus.REQUESTED

    coordinator_client.post(reverse("networks:approve", args=[network.slug, entry.pk]))
    entry.refresh_from_db()
    assert entry.status == MemberStatus.ACTIVE


def test_a_new_join_link_replaces_the_old_one(network, owner_a, signed_in):
    old = new_join_link(network)
    new_join_link(network)
    assert signed_in(owner_a).get(reverse("networks:join", args=[old])).status_code == 404


def test_only_owners_may_ask_to_join_for_an_organisation(network, org_a, editor_a, signed_in):
    token = new_join_link(network)
    response = signed_in(editor_a).post(reverse("networks:join", args=[token]), {"organisation": org_a.slug})
    assert response.status_code == 200  # the organisation is not among the choices
    assert not NetworkMember.objects.filter(organisation=org_a).exists()


def test_sharing_changes_at_once_and_its_history_is_shown_to_owners(network, org_a, owner_a, viewer_a, signed_in):
    entry = NetworkMember.objects.create(network=network, organisation=org_a, status=MemberStatus.ACTIVE)
    owner = signed_in(owner_a)
    url = reverse("networks:sharing", args=[org_a.slug, entry.pk])
    owner.post(url, {f"n{entry.pk}-sharing": "summary"})
    owner.post(url, {f"n{entry.pk}-sharing": "nothing"})
    entry.refresh_from_db()
    assert entry.sharing == Sharing.NOTHING
    assert list(SharingChange.objects.order_by("pk").values_list("sharing", flat=True)) == ["summary", "nothing"]
    page = owner.get(reverse("networks:organisation_networks", args=[org_a.slug])).content.decode()
    assert "Our named summary" in page and page.count("<tr>") >= 3
    assert signed_in(viewer_a).get(reverse("networks:organisation_networks", args=[org_a.slug])).status_code == 403


def test_an_invalid_sharing_choice_changes_nothing(network, org_a, owner_a, signed_in):
    entry = NetworkMember.objects.create(network=network, organisation=org_a, status=MemberStatus.ACTIVE)
    signed_in(owner_a).post(reverse("networks:sharing", args=[org_a.slug, entry.pk]), {f"n{entry.pk}-sharing": "all"})
    entry.refresh_from_db()
    assert entry.sharing == Sharing.AGGREGATES
    assert not SharingChange.objects.exists()


def test_leaving_removes_the_organisation_and_records_it(network, org_a, owner_a, signed_in):
    entry = NetworkMember.objects.create(network=network, organisation=org_a, status=MemberStatus.ACTIVE)
    signed_in(owner_a).post(reverse("networks:leave", args=[org_a.slug, entry.pk]))
    assert not NetworkMember.objects.filter(pk=entry.pk).exists()
    assert list(SharingChange.objects.values_list("event", "sharing")) == [("left", "nothing")]


def test_another_organisations_entry_is_not_found(network, org_a, org_b, owner_a, signed_in):
    entry = NetworkMember.objects.create(network=network, organisation=org_b, status=MemberStatus.ACTIVE)
    response = signed_in(owner_a).post(reverse("networks:leave", args=[org_a.slug, entry.pk]))
    assert response.status_code == 404
    assert NetworkMember.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("public", [False, True])
def test_the_network_page_is_public_or_for_members_only(client, network, signed_in, public):
    network.is_public = public
    network.description = "We meet every month."
    network.save()
    member = OrganisationFactory()
    NetworkMember.objects.create(network=network, organisation=member, status=MemberStatus.ACTIVE)
    url = reverse("networks:detail", args=[network.slug])

    assert client.get(url).status_code == (200 if public else 404)
    outsider = signed_in(member_of(OrganisationFactory(), Role.OWNER))
    assert outsider.get(url).status_code == (200 if public else 404)
    response = signed_in(member_of(member, Role.VIEWER)).get(url)
    assert response.status_code == 200
    assert "We meet every month." in response.content.decode()
    assert (network.name in client.get(reverse("networks:index")).content.decode()) == public
