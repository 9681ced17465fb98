"""Who may see a network: coordinators run it; members' people and, for a public network,
everyone may read its page. Everyone else gets 404, as for organisations."""

from __future__ import annotations

from django.http import Http404

from inclusion.feedback.models import Survey
from inclusion.organisations.models import Membership

from .models import Coordinator, Network, NetworkMember, NetworkPractice
from .shared_surveys import sharing_survey_results


def is_coordinator(user, network: Network) -> bool:
    return user.is_authenticated and Coordinator.objects.filter(network=network, user=user).exists()


def network_for_coordinator(user, network_slug: str) -> Network:
    """The network with that slug if the user coordinates it, else 404."""
    if not user.is_authenticated:
        raise Http404("No such network")
    network = Network.objects.filter(slug=network_slug, coordinators__user=user).first()
    if network is None:
        raise Http404("No such network")
    return network


def network_for_reader(user, network_slug: str) -> tuple[Network, bool]:
    """(network, user is a coordinator) for its page: public, or the user coordinates it or
    belongs to one of its member organisations; else 404."""
    network = Network.objects.filter(slug=network_slug).first()
    if network is None:
        raise Http404("No such network")
    coordinator = is_coordinator(user, network)
    if network.is_public or coordinator:
        return network, coordinator
    if user.is_authenticated:
        organisations = Membership.objects.filter(user=user).values("organisation_id")
        if NetworkMember.objects.filter(network=network, organisation_id__in=organisations).exists():
            return network, False
    raise Http404("No such network")


def member_for_coordinator(network: Network, member_id: int) -> NetworkMember:
    member = NetworkMember.objects.select_related("organisation").filter(network=network, pk=member_id).first()
    if member is None:
        raise Http404("No such member")
    return member


def member_for_owner(membership: Membership, member_id: int) -> NetworkMember:
    """One of the organisation's network rows, for its owner (the caller checked the role)."""
    member = (
        NetworkMember.objects.select_related("network")
        .filter(organisation_id=membership.organisation_id, pk=member_id)
        .first()
    )
    if member is None:
        raise Http404("No such network")
    return member


def submission_for_coordinator(network: Network, submission_id: int) -> NetworkPractice:
    """A practice submitted to the network, for its coordinators (the caller checked)."""
    entry = NetworkPractice.objects.filter(network=network, pk=submission_id).first()
    if entry is None:
        raise Http404("No such practice")
    return entry


def survey_for_coordinator(network: Network, survey_id: int) -> Survey:
    """A survey of an organisation that shares its survey results with the network now, for
    its coordinators (the caller checked); any other survey is 404, as if it did not exist."""
    survey = (
        Survey.objects.select_related("organisation")
        .filter(pk=survey_id, organisation_id__in=sharing_survey_results(network).values("organisation_id"))
        .first()
    )
    if survey is None:
        raise Http404("No such survey")
    return survey
