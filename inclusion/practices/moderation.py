"""Moderation: moderators publish a submitted version, send it back for changes, or reject it,
each with a message that the submitter reads."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import PracticeError
from .models import MESSAGE_MAX_LENGTH, PracticeVersion, ReviewMessage, VersionStatus
from .versions import apply_published

MODERATE_PERMISSION = "practices.moderate_practice"


def can_moderate(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(MODERATE_PERMISSION))


def _require_moderator(user) -> None:
    if not can_moderate(user):
        raise PermissionDenied("Only moderators may decide on submitted practices")


def check_message(text: str) -> None:
    """A message between submitter and moderator fits the review thread."""
    if len(text) > MESSAGE_MAX_LENGTH:
        raise PracticeError(
            _("The message is too long (%(length)s characters; at most %(limit)s).")
            % {"length": len(text), "limit": MESSAGE_MAX_LENGTH}
        )


def review_queue():
    """Versions waiting for a moderator, oldest first."""
    return (
        PracticeVersion.objects.filter(status=VersionStatus.IN_REVIEW)
        .select_related("practice__organisation")
        .order_by("submitted_at", "pk")
    )


def _decide(version: PracticeVersion, moderator, status: str, action: str, text: str, needs_text: bool):
    _require_moderator(moderator)
    text = (text or "").strip()
    if needs_text and not text:
        raise PracticeError(_("Write a message to the submitter: say what should change, or why."))
    check_message(text)
    version = PracticeVersion.objects.select_for_update(of=("self",)).select_related("practice").get(pk=version.pk)
    if version.status != VersionStatus.IN_REVIEW:
        raise PracticeError(_("This version is no longer waiting for review."))
    version.status = status
    version.decided_at = timezone.now()
    version.decided_by = moderator
    version.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    ReviewMessage.objects.create(practice=version.practice, version=version, action=action, text=text, author=moderator)
    return version


@transaction.atomic
def request_changes(version: PracticeVersion, moderator, text: str) -> PracticeVersion:
    return _decide(
        version, moderator, VersionStatus.CHANGES_REQUESTED, ReviewMessage.Action.CHANGES_REQUESTED, text, True
    )


@transaction.atomic
def reject(version: PracticeVersion, moderator, text: str) -> PracticeVersion:
    return _decide(version, moderator, VersionStatus.REJECTED, ReviewMessage.Action.REJECTED, text, True)


@transaction.atomic
def publish(version: PracticeVersion, moderator, text: str = "") -> PracticeVersion:
    version = _decide(version, moderator, VersionStatus.PUBLISHED, ReviewMessage.Action.PUBLISHED, text, False)
    practice = version.practice
    apply_published(practice, version)
    practice.save()
    return version
