"""The handbook's domain logic: the loaded content, importing it, and presenting it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel import Locale
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from inclusion.core.markdown import markdown_to_html

from .content import LANGUAGE_INDEPENDENT_FIELDS, Handbook, load_handbook
from .models import HandbookItem


def _content_stamp(content_dir: Path) -> float:
    """Newest modification time of the content files: cheap to read on every request."""
    return max((path.stat().st_mtime for path in content_dir.glob("*/*.yaml")), default=0.0)


@lru_cache(maxsize=2)
def _load(content_dir: Path, languages: tuple[str, ...], stamp: float) -> Handbook:
    return load_handbook(content_dir, list(languages))


def get_handbook() -> Handbook:
    """The validated handbook, loaded once per process (reloaded on change when DEBUG)."""
    content_dir = Path(settings.CONTENT_DIR)
    stamp = _content_stamp(content_dir) if settings.DEBUG else 0.0
    languages = tuple(code for code, _name in settings.LANGUAGES)
    return _load(content_dir, languages, stamp)


@dataclass(frozen=True)
class ImportReport:
    version: str
    created: int
    updated: int
    unchanged: int
    retired: int
    restored: int


@transaction.atomic
def import_content(handbook: Handbook) -> ImportReport:
    """Mirror the content into HandbookItem, keeping every row that anything may cite.

    Idempotent: a second run with the same files changes nothing. An ID that left the files
    is retired (never deleted); an ID that comes back is restored.
    """
    reference = handbook.edition(settings.LANGUAGE_CODE)
    wanted: dict[str, dict] = {}
    for item_id, entry in reference.entries.items():
        attributes = {
            name: getattr(entry.node, name)
            for name in LANGUAGE_INDEPENDENT_FIELDS
            if name in type(entry.node).model_fields
        }
        wanted[item_id] = {
            "kind": entry.kind,
            "area": entry.area or "",
            "parent": entry.parent or "",
            "position": entry.position,
            "label": {language: edition.entries[item_id].label for language, edition in handbook.editions.items()},
            "attributes": attributes,
        }

    existing = {item.key: item for item in HandbookItem.objects.all()}
    created, updated, unchanged, restored = [], [], 0, 0
    for key, values in wanted.items():
        item = existing.get(key)
        if item is None:
            created.append(HandbookItem(key=key, content_version=handbook.version, **values))
            continue
        changed = any(getattr(item, name) != value for name, value in values.items())
        if item.retired_at is not None:
            item.retired_at = None
            restored += 1
            changed = True
        if changed:
            for name, value in values.items():
                setattr(item, name, value)
            item.content_version = handbook.version
            updated.append(item)
        else:
            unchanged += 1
    HandbookItem.objects.bulk_create(created)
    HandbookItem.objects.bulk_update(
        updated, ["kind", "area", "parent", "position", "label", "attributes", "content_version", "retired_at"]
    )
    retired = HandbookItem.objects.filter(retired_at__isnull=True).exclude(key__in=wanted.keys())
    retired_count = retired.update(retired_at=timezone.now())
    return ImportReport(
        version=handbook.version,
        created=len(created),
        updated=len(updated) - restored,
        unchanged=unchanged,
        retired=retired_count,
        restored=restored,
    )


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> str:
    """Content Markdown as safe HTML. The files are ours, but sanitising costs little."""
    return markdown_to_html(text)


@lru_cache(maxsize=64)
def country_name(code: str, language: str) -> str:
    """A country's name in the reader's language, from CLDR data."""
    try:
        return Locale.parse(language).territories.get(code, code)
    except (ValueError, LookupError):
        return code
