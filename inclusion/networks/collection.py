"""A network's own practice collection: member organisations submit their published
practices to it, coordinators feature some of them, and the library can be narrowed to it
(``panels.library_scope``). An organisation's practices leave the collection when it leaves
the network (``membership.leave``)."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inclusion.core.i18n import localised
from inclusion.practices.models import Practice

from .membership import NetworkError
from .models import MemberStatus, Network, NetworkMember, NetworkPractice

PAGE_LIMIT = 20  # the network page lists this many; the library shows them all


def published_practices(organisation_id: int) -> list[Practice]:
    """The organisation's published practices, those it may submit."""
    practices = list(
        Practice.objects.filter(organisation_id=organisation_id, is_published=True)
        .only("pk", "title", "area", "published_at")
        .order_by("-published_at", "pk")
    )
    for practice in practices:
        practice.display_title = localised(practice.title)
    return practices


def submitted_ids(network_id: int, organisation_id: int) -> set[int]:
    return set(
        NetworkPractice.objects.filter(network_id=network_id, organisation_id=organisation_id).values_list(
            "practice_id", flat=True
        )
    )


def submit(member: NetworkMember, practice_id, user) -> tuple[NetworkPractice, bool]:
    """Submit one of the member organisation's published practices to the network: (the
    entry, whether it is new). Submitting it again changes nothing."""
    if member.status != MemberStatus.ACTIVE:
        raise NetworkError(_("Your organisation can submit practices once it is a member of the network."))
    try:
        practice_id = int(practice_id)
    except (TypeError, ValueError):
        practice_id = None
    practice = Practice.objects.filter(
        pk=practice_id, organisation_id=member.organisation_id, is_published=True
    ).first()
    if practice is None:
        raise NetworkError(_("Choose one of your organisation's published practices."))
    try:
        with transaction.atomic():
            return NetworkPractice.objects.get_or_create(
                network_id=member.network_id,
                practice=practice,
                defaults={"organisation_id": member.organisation_id, "submitted_by": user},
            )
    except IntegrityError:  # submitted at the same moment by someone else
        return NetworkPractice.objects.get(network_id=member.network_id, practice=practice), False


def set_featured(entry: NetworkPractice, featured: bool) -> NetworkPractice:
    if entry.featured != featured:
        entry.featured = featured
        entry.featured_at = timezone.now() if featured else None
        entry.save(update_fields=["featured", "featured_at"])
    return entry


def _ordered(network: Network):
    return (
        NetworkPractice.objects.filter(network=network, practice__is_published=True)
        .select_related("organisation")
        .only(
            "pk",
            "featured",
            "featured_at",
            "submitted_at",
            "organisation__name",
            "practice__id",
            "practice__title",
            "practice__area",
        )
        .select_related("practice")
        .order_by("-featured", "-featured_at", "-submitted_at", "-pk")
    )


def collection(network: Network, limit: int | None = None) -> list[NetworkPractice]:
    """The network's published practices, featured first (most recently featured first),
    then the most recently submitted. One query."""
    entries = _ordered(network)
    if limit is not None:
        entries = entries[:limit]
    entries = list(entries)
    for entry in entries:
        entry.title = localised(entry.practice.title)
    return entries


def collection_page(network: Network, number) -> Page:
    """One page of the collection, for the coordinators: two queries."""
    page = Paginator(_ordered(network), PAGE_LIMIT).get_page(number)
    page.object_list = list(page.object_list)
    for entry in page.object_list:
        entry.title = localised(entry.practice.title)
    return page


def collection_size(network: Network) -> int:
    return NetworkPractice.objects.filter(network=network, practice__is_published=True).count()


def practice_ids(network: Network):
    """The IDs of the network's practices, as a subquery for the library."""
    return NetworkPractice.objects.filter(network=network).values("practice_id")
