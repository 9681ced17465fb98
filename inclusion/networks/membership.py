"""Joining and leaving networks, and what each member shares: every change of the sharing
choice is recorded in ``SharingChange`` and takes effect at once (the dashboard reads the
choice on every view; the aggregates on their next refresh)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from inclusion.core.tokens import hash_token, new_token
from inclusion.organisations.models import Organisation

from .models import Coordinator, MemberStatus, Network, NetworkMember, NetworkPractice, Sharing, SharingChange


class NetworkError(Exception):
    """A change that cannot be made; the message is shown to the user."""


RESERVED_SLUGS = {"new", "join", "organisation"}


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "network"
    slug, number = base, 1
    while slug in RESERVED_SLUGS or Network.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def create_network(user, *, name: str, country: str = "", description: str = "", is_public: bool = False) -> Network:
    """A new network with ``user`` as its first coordinator."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                network = Network.objects.create(
                    name=name, slug=_unique_slug(name), country=country, description=description, is_public=is_public
                )
                Coordinator.objects.create(network=network, user=user)
                return network
        except IntegrityError:
            continue
    raise NetworkError(_("The network could not be created. Please try again."))


def invite(network: Network, organisation: Organisation) -> NetworkMember:
    """Invite an organisation: one of its owners accepts for it."""
    member, created = NetworkMember.objects.get_or_create(
        network=network, organisation=organisation, defaults={"status": MemberStatus.INVITED}
    )
    if not created:
        raise NetworkError(_("%(name)s is already in this network or has been invited.") % {"name": organisation.name})
    return member


def new_join_link(network: Network) -> str:
    """A new join link's secret (the old link stops working). Only its hash is stored."""
    token = new_token()
    network.join_token_hash = hash_token(token)
    network.save(update_fields=["join_token_hash"])
    return token


def close_join_link(network: Network) -> None:
    network.join_token_hash = ""
    network.save(update_fields=["join_token_hash"])


def network_for_join_token(token: str) -> Network | None:
    if not token:
        return None
    return Network.objects.filter(join_token_hash=hash_token(token)).exclude(join_token_hash="").first()


def request_to_join(network: Network, organisation: Organisation) -> NetworkMember:
    """An owner asks, through the join link, for the organisation to join: coordinators approve."""
    member, created = NetworkMember.objects.get_or_create(
        network=network, organisation=organisation, defaults={"status": MemberStatus.REQUESTED}
    )
    if not created:
        if member.status == MemberStatus.INVITED:
            # Invited already: asking is accepting.
            return activate(member, None)
        raise NetworkError(_("%(name)s is already in this network or has asked to join.") % {"name": organisation.name})
    return member


def activate(member: NetworkMember, user) -> NetworkMember:
    """An owner accepts an invitation, or a coordinator approves a request."""
    with transaction.atomic():
        member.status = MemberStatus.ACTIVE
        member.joined_at = timezone.now()
        member.save(update_fields=["status", "joined_at"])
        SharingChange.objects.create(
            network_id=member.network_id,
            organisation_id=member.organisation_id,
            sharing=member.sharing,
            event="joined",
            changed_by=user,
        )
    return member


def set_sharing(member: NetworkMember, sharing: str, user) -> NetworkMember:
    sharing = Sharing(sharing)
    if member.sharing == sharing:
        return member
    with transaction.atomic():
        member.sharing = sharing
        member.save(update_fields=["sharing"])
        SharingChange.objects.create(
            network_id=member.network_id,
            organisation_id=member.organisation_id,
            sharing=sharing,
            event="changed",
            changed_by=user,
        )
    return member


def leave(member: NetworkMember, user) -> None:
    """The organisation leaves (or declines an invitation, or withdraws its request); its
    practices leave the network's collection with it."""
    with transaction.atomic():
        NetworkPractice.objects.filter(network_id=member.network_id, organisation_id=member.organisation_id).delete()
        if member.status == MemberStatus.ACTIVE:
            SharingChange.objects.create(
                network_id=member.network_id,
                organisation_id=member.organisation_id,
                sharing=Sharing.NOTHING,
                event="left",
                changed_by=user,
            )
        member.delete()
