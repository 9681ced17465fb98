"""The handbook's good-practice examples as published library records, in every language."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from inclusion.handbook.content import Handbook

from .models import Practice, PracticeVersion, VersionStatus
from .versions import apply_published, next_number


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    unchanged: int


def handbook_practice_content(handbook: Handbook, practice_id: str) -> dict:
    """One example as a version's content: its text per language, the rest from the
    reference edition (every edition repeats those fields exactly)."""
    reference = handbook.reference_edition.entries[practice_id].node
    nodes = {language: edition.entries[practice_id].node for language, edition in handbook.editions.items()}
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
    """Idempotent: a second run with the same content changes nothing; a changed example gets
    a new published version (the old one is kept)."""
    existing = {
        practice.handbook_key: practice
        for practice in Practice.objects.filter(handbook_key__isnull=False).select_related("published_version")
    }
    created = updated = unchanged = 0
    now = timezone.now()
    for area in handbook.reference_edition.areas:
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
                number, updated = next_number(practice), updated + 1
            version = PracticeVersion.objects.create(
                practice=practice, number=number, status=VersionStatus.PUBLISHED, content=content, decided_at=now
            )
            practice.current_version = version
            practice.sort_order = position
            apply_published(practice, version)
            practice.save()
    return ImportReport(created, updated, unchanged)
