"""A practice's versions: their numbers, what changed between two, and how the published
one becomes the library record.

A ``Practice`` row carries its published content in plain columns (see models.py);
``apply_published`` is the one place that fills them, whether a moderator publishes a
member's version or the handbook's examples are imported.
"""

from __future__ import annotations

import html
import re

from django.db.models import Max
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy

from inclusion.core import i18n
from inclusion.handbook.search import fold
from inclusion.handbook.services import country_name, render_markdown

from .models import Practice, PracticeVersion

EXCERPT_LENGTH = 280
TEXT_FIELDS = ("title", "organisation_name", "city", "text")
FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "organisation_name": gettext_lazy("Who runs it"),
    "city": gettext_lazy("City or place"),
    "text": gettext_lazy("Description"),
    "countries": gettext_lazy("Countries"),
    "success_factor": gettext_lazy("Success factor"),
    "organisation_type": gettext_lazy("Type of organisation"),
    "target_groups": gettext_lazy("Who it is for"),
    "links": gettext_lazy("Links"),
    "scores": gettext_lazy("Assessment table"),
    "evidence": gettext_lazy("Evidence notes"),
}


def next_number(practice: Practice) -> int:
    return (practice.versions.aggregate(top=Max("number"))["top"] or 0) + 1


def changed_fields(before: dict, after: dict) -> list[str]:
    """The labels of the fields whose content differs between two versions."""
    return [str(label) for name, label in FIELD_LABELS.items() if before.get(name) != after.get(name)]


def changes_to_published(version: PracticeVersion) -> tuple[PracticeVersion | None, list[str]]:
    """(the published version, what ``version`` changes in it), for the moderator; (None, [])
    when nothing else is published (``version`` is the practice's first, or the published one).
    Needs ``version.practice.published_version`` loaded."""
    practice = version.practice
    if practice.published_version_id == version.pk or practice.published_version is None:
        return None, []
    published = practice.published_version
    return published, changed_fields(published.content, version.content)


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
