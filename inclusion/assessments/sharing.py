"""Read-only links to a self-assessment's summary for partners: no login, revocable. Only
the link's hash is stored; the link itself is shown once, when it is made."""

from __future__ import annotations

from django.utils import timezone

from inclusion.core.tokens import hash_token, new_token

from .models import Assessment, ShareLink


def create_share_link(assessment: Assessment, label: str, user=None) -> str:
    """A new link's token (to put in the URL); returned only here."""
    token = new_token()
    ShareLink.objects.create(
        assessment=assessment,
        token_hash=hash_token(token),
        label=label,
        created_by=user if user and user.is_authenticated else None,
    )
    return token


def revoke_share_link(link: ShareLink) -> None:
    """The link stops working; revoking twice keeps the first time."""
    link.revoked_at = link.revoked_at or timezone.now()
    link.save(update_fields=["revoked_at"])


def shared_assessment(token: str) -> Assessment | None:
    """The assessment a live share link opens, or None."""
    link = (
        ShareLink.objects.select_related("assessment__organisation")
        .filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .first()
    )
    return link.assessment if link else None
