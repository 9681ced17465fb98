"""Good practices: importing the handbook's examples, submission, moderation and ratings.

Views parse input, call one of these and render. The rules (who may publish, when an edit
starts a new version, what counts as a duplicate) live here so that they hold whichever
view, command or API calls them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from inclusion.core import i18n
from inclusion.handbook.content import Handbook
from inclusion.handbook.search import fold
from inclusion.handbook.services import country_name, render_markdown

from .models import (
    COMMUNITY_SORT_ORDER,
    EVIDENCE_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    IndicatorScore,
    Practice,
    PracticeVersion,
    Rating,
    ReviewMessage,
    VersionStatus,
)

MODERATE_PERMISSION = "practices.moderate_practice"
EXCERPT_LENGTH = 280
TEXT_FIELDS = ("title", "organisation_name", "city", "text")
# A version in one of these states can still be changed in place by its organisation.
EDITABLE_STATUSES = {VersionStatus.DRAFT, VersionStatus.CHANGES_REQUESTED}


class PracticeError(ValueError):
    """A rule stopped the change; the message is translated and can be shown as it is."""


def can_moderate(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(MODERATE_PERMISSION))


def _require_moderator(user) -> None:
    if not can_moderate(user):
        raise PermissionDenied("Only moderators may decide on submitted practices")


def area_of(success_factor: str) -> str:
    return success_factor.split(".", 1)[0]


def plain_excerpt(markdown_text: str, length: int = EXCERPT_LENGTH) -> str:
    """The start of a Markdown text as plain text, cut at a word, for the library list."""
    plain = re.sub(r"\s+", " ", html.unescape(strip_tags(render_markdown(markdown_text)))).strip()
    if len(plain) <= length:
        return plain
    return plain[:length].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def search_text_for(content: dict) -> str:
    """Everything the library search looks in, in every language, folded once when saved."""
    parts = []
    for name in TEXT_FIELDS:
        parts.extend((content.get(name) or {}).values())
    for code in content.get("countries") or []:
        parts.extend(country_name(code, language) for language in i18n.language_codes())
    return fold(re.sub(r"\s+", " ", " ".join(parts)))


def _index(values: list[str]) -> str:
    return "|" + "|".join(values) + "|" if values else ""


def apply_published(practice: Practice, version: PracticeVersion) -> None:
    """Copy a version's content into the practice's library columns (the caller saves)."""
    content = version.content
    practice.published_version = version
    practice.is_published = True
    practice.published_at = version.decided_at or timezone.now()
    for name in TEXT_FIELDS:
        setattr(practice, name, dict(content.get(name) or {}))
    practice.excerpt = {code: plain_excerpt(text) for code, text in practice.text.items()}
    practice.success_factor = content.get("success_factor", "")
    practice.area = area_of(practice.success_factor)
    practice.organisation_type = content.get("organisation_type", "")
    practice.countries = list(content.get("countries") or [])
    practice.target_groups = list(content.get("target_groups") or [])
    practice.links = list(content.get("links") or [])
    practice.scores = dict(content.get("scores") or {})
    practice.country_index = _index(practice.countries)
    practice.target_group_index = _index(practice.target_groups)
    practice.search_text = search_text_for(content)


# --- The handbook's examples -------------------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    unchanged: int


def handbook_practice_content(handbook: Handbook, practice_id: str) -> dict:
    editions = handbook.editions
    reference = handbook.edition(settings.LANGUAGE_CODE).entries[practice_id].node
    nodes = {language: edition.entries[practice_id].node for language, edition in editions.items()}
    return {
        "title": {language: node.title for language, node in nodes.items()},
        "organisation_name": {language: node.organisation for language, node in nodes.items() if node.organisation},
        "city": {language: node.city for language, node in nodes.items() if node.city},
        "text": {language: node.text for language, node in nodes.items()},
        "countries": list(reference.countries),
        "success_factor": reference.success_factor,
        "organisation_type": reference.organisation_type,
        "target_groups": list(reference.target_groups),
        "links": list(reference.links),
        "scores": {},
        "evidence": {},
    }


@transaction.atomic
def import_handbook_practices(handbook: Handbook) -> ImportReport:
    """The handbook's good-practice examples as published library records, in every language.

    Idempotent: a second run with the same content changes nothing; a changed example gets
    a new published version (the old one is kept)."""
    reference = handbook.edition(settings.LANGUAGE_CODE)
    existing = {
        practice.handbook_key: practice
        for practice in Practice.objects.filter(handbook_key__isnull=False).select_related("published_version")
    }
    created = updated = unchanged = 0
    now = timezone.now()
    for area in reference.areas:
        for position, node in enumerate(area.practices):
            content = handbook_practice_content(handbook, node.id)
            practice = existing.get(node.id)
            if practice is not None and practice.published_version and practice.published_version.content == content:
                unchanged += 1
                continue
            if practice is None:
                practice = Practice.objects.create(handbook_key=node.id, sort_order=position)
                number, created = 1, created + 1
            else:
                number, updated = _next_number(practice), updated + 1
            version = PracticeVersion.objects.create(
                practice=practice, number=number, status=VersionStatus.PUBLISHED, content=content, decided_at=now
            )
            practice.current_version = version
            practice.sort_order = position
            apply_published(practice, version)
            practice.save()
    return ImportReport(created, updated, unchanged)


# --- Submission ----------------------------------------------------------------------------


def _next_number(practice: Practice) -> int:
    return (practice.versions.aggregate(top=Max("number"))["top"] or 0) + 1


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
    visible until the new one is approved. Nothing changes while a moderator reviews it."""
    practice = Practice.objects.select_for_update(of=("self",)).select_related("current_version").get(pk=practice.pk)
    current = practice.current_version
    if current is not None and current.status == VersionStatus.IN_REVIEW:
        raise PracticeError(_("This practice is waiting for review and cannot be changed until a moderator decides."))
    _check_duplicate(practice.organisation, content, exclude=practice)
    if current is not None and current.status in EDITABLE_STATUSES:
        current.content = content
        current.save(update_fields=["content", "updated_at"])
        return current
    version = PracticeVersion.objects.create(
        practice=practice, number=_next_number(practice), status=VersionStatus.DRAFT, content=content, created_by=user
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
    practice = Practice.objects.select_for_update(of=("self",)).select_related("current_version").get(pk=practice.pk)
    version = practice.current_version
    if version is None or version.status not in EDITABLE_STATUSES:
        raise PracticeError(_("Only a draft, or a practice sent back for changes, can be sent for review."))
    if len(message) > MESSAGE_MAX_LENGTH:
        raise PracticeError(
            _("The message is too long (%(length)s characters; at most %(limit)s).")
            % {"length": len(message), "limit": MESSAGE_MAX_LENGTH}
        )
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


# --- Moderation ----------------------------------------------------------------------------


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
    if len(text) > MESSAGE_MAX_LENGTH:
        raise PracticeError(
            _("The message is too long (%(length)s characters; at most %(limit)s).")
            % {"length": len(text), "limit": MESSAGE_MAX_LENGTH}
        )
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


# --- Ratings -------------------------------------------------------------------------------


def clean_scores(scores: dict, indicator_ids: set[str]) -> dict[str, str]:
    return {key: value for key, value in scores.items() if key in indicator_ids and value in IndicatorScore.values}


def clean_evidence(evidence: dict, question_ids: set[str]) -> dict[str, str]:
    cleaned = {}
    for key, text in evidence.items():
        text = (text or "").strip()
        if key in question_ids and text:
            if len(text) > EVIDENCE_MAX_LENGTH:
                raise PracticeError(
                    _("An evidence note is too long (%(length)s characters; at most %(limit)s).")
                    % {"length": len(text), "limit": EVIDENCE_MAX_LENGTH}
                )
            cleaned[key] = text
    return cleaned


def criteria_ids(criteria) -> tuple[set[str], set[str]]:
    indicators = {indicator.id for criterion in criteria for indicator in criterion.indicators}
    questions = {question.id for criterion in criteria for question in criterion.questions}
    return indicators, questions


def save_rating(practice: Practice, user, criteria, scores: dict, evidence: dict, consensus: bool = False) -> Rating:
    """A member's own scoring, or (``consensus``) the agreed scoring that an editor records."""
    indicators, questions = criteria_ids(criteria)
    values = {
        "scores": clean_scores(scores, indicators),
        "evidence": clean_evidence(evidence, questions),
        "updated_by": user,
    }
    if consensus:
        rating, _created = Rating.objects.update_or_create(
            practice=practice, is_consensus=True, rater=None, defaults=values
        )
    else:
        rating, _created = Rating.objects.update_or_create(
            practice=practice, is_consensus=False, rater=user, defaults=values
        )
    return rating


@dataclass(frozen=True)
class IndicatorComparison:
    indicator: object
    values: list[str | None]  # per member, in the order of ``ConsensusTable.raters``
    agreed: str | None

    @property
    def differs(self) -> bool:
        given = {value for value in self.values if value is not None}
        return len(given) > 1


@dataclass(frozen=True)
class ConsensusTable:
    raters: list
    questions: list[tuple[object, object, list[IndicatorComparison]]]  # (criterion, question, rows)
    consensus: Rating | None

    @property
    def differences(self) -> int:
        return sum(row.differs for _criterion, _question, rows in self.questions for row in rows)


def consensus_table(practice: Practice, criteria) -> ConsensusTable:
    """Every member's score per indicator side by side, and the agreed score (two queries)."""
    ratings = list(Rating.objects.filter(practice=practice).select_related("rater").order_by("is_consensus", "pk"))
    individual = [rating for rating in ratings if not rating.is_consensus]
    consensus = next((rating for rating in ratings if rating.is_consensus), None)
    agreed = consensus.scores if consensus else {}
    questions = [
        (
            criterion,
            question,
            [
                IndicatorComparison(
                    indicator, [rating.scores.get(indicator.id) for rating in individual], agreed.get(indicator.id)
                )
                for indicator in question.indicators
            ],
        )
        for criterion in criteria
        for question in criterion.questions
    ]
    return ConsensusTable([rating.rater for rating in individual], questions, consensus)
