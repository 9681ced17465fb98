"""Submission: an organisation writes a practice as a draft, scores it and sends it for review.

The rules (when an edit starts a new version, what counts as a duplicate, what a submission
needs) live here so that they hold whichever view, command or API calls them.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inclusion.handbook.search import fold

from .exceptions import PracticeError
from .models import (
    COMMUNITY_SORT_ORDER,
    IndicatorScore,
    Practice,
    PracticeVersion,
    Rating,
    ReviewMessage,
    VersionStatus,
)
from .moderation import check_message
from .versions import next_number

# A version in one of these states can still be changed in place by its organisation.
EDITABLE_STATUSES = {VersionStatus.DRAFT, VersionStatus.CHANGES_REQUESTED}


def _folded_titles(titles: dict) -> set[str]:
    return {fold(title).strip() for title in (titles or {}).values() if title and title.strip()}


def find_duplicate(organisation, titles: dict, exclude: Practice | None = None) -> Practice | None:
    """Another practice of the organisation with the same title (in any language, ignoring
    case and diacritics) that is waiting for review or published."""
    wanted = _folded_titles(titles)
    others = Practice.objects.filter(organisation=organisation).select_related("current_version")
    if exclude is not None and exclude.pk:
        others = others.exclude(pk=exclude.pk)
    for other in others:
        taken = set()
        if other.is_published:
            taken |= _folded_titles(other.title)
        if other.current_version and other.current_version.status == VersionStatus.IN_REVIEW:
            taken |= _folded_titles(other.current_version.content.get("title"))
        if wanted & taken:
            return other
    return None


def _check_duplicate(organisation, content: dict, exclude: Practice | None = None) -> None:
    if find_duplicate(organisation, content.get("title"), exclude) is not None:
        raise PracticeError(
            _(
                "Your organisation already has a practice with this title that is published or waiting for "
                "review. Change the title, or edit that practice instead."
            )
        )


def _locked(practice: Practice) -> Practice:
    """The practice row locked for this transaction (only it: FOR UPDATE OF on PostgreSQL)."""
    return Practice.objects.select_for_update(of=("self",)).select_related("current_version").get(pk=practice.pk)


def check_not_in_review(version: PracticeVersion | None) -> None:
    """Nothing changes while a moderator reviews a version."""
    if version is not None and version.status == VersionStatus.IN_REVIEW:
        raise PracticeError(_("This practice is waiting for review and cannot be changed until a moderator decides."))


@transaction.atomic
def create_practice(organisation, content: dict, user) -> Practice:
    """A new practice of the organisation, as a first draft."""
    _check_duplicate(organisation, content)
    practice = Practice.objects.create(organisation=organisation, created_by=user, sort_order=COMMUNITY_SORT_ORDER)
    version = PracticeVersion.objects.create(
        practice=practice, number=1, status=VersionStatus.DRAFT, content=content, created_by=user
    )
    practice.current_version = version
    practice.save(update_fields=["current_version"])
    return practice


@transaction.atomic
def save_draft(practice: Practice, content: dict, user) -> PracticeVersion:
    """Save the organisation's changes. A draft (or one sent back for changes) is changed in
    place; after publication or rejection a new version starts, so the published one stays
    visible until the new one is approved."""
    practice = _locked(practice)
    current = practice.current_version
    check_not_in_review(current)
    _check_duplicate(practice.organisation, content, exclude=practice)
    if current is not None and current.status in EDITABLE_STATUSES:
        current.content = content
        current.save(update_fields=["content", "updated_at"])
        return current
    version = PracticeVersion.objects.create(
        practice=practice, number=next_number(practice), status=VersionStatus.DRAFT, content=content, created_by=user
    )
    practice.current_version = version
    practice.save(update_fields=["current_version"])
    return version


def scores_to_submit(practice: Practice, user) -> Rating | None:
    """The assessment table that goes with a submission: the agreed scores if an editor
    recorded them, otherwise the submitter's own scoring."""
    ratings = {
        (rating.is_consensus, rating.rater_id): rating
        for rating in Rating.objects.filter(practice=practice)
        if rating.is_consensus or rating.rater_id == user.pk
    }
    return ratings.get((True, None)) or ratings.get((False, user.pk))


@transaction.atomic
def submit_for_review(practice: Practice, user, message: str = "") -> PracticeVersion:
    practice = _locked(practice)
    version = practice.current_version
    if version is None or version.status not in EDITABLE_STATUSES:
        raise PracticeError(_("Only a draft, or a practice sent back for changes, can be sent for review."))
    check_message(message)
    _check_duplicate(practice.organisation, version.content, exclude=practice)
    rating = scores_to_submit(practice, user)
    if rating is None or not any(value in IndicatorScore.values for value in rating.scores.values()):
        raise PracticeError(
            _("Score the practice against the assessment table before sending it for review (“Score it” below).")
        )
    version.content = {**version.content, "scores": dict(rating.scores), "evidence": dict(rating.evidence)}
    version.status = VersionStatus.IN_REVIEW
    version.submitted_at = timezone.now()
    version.save(update_fields=["content", "status", "submitted_at", "updated_at"])
    ReviewMessage.objects.create(
        practice=practice, version=version, action=ReviewMessage.Action.SUBMITTED, text=message.strip(), author=user
    )
    return version
