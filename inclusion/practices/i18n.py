"""User-written text in several languages: a JSON map from language code to text.

The pretix ``LazyI18nString`` idea: show the reader's language; when a practice was not
written in it, fall back to the site's main language, then to any language it has. The
language actually shown is returned too, so templates can mark it with ``lang``.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def pick(value: dict | None, language: str | None = None) -> tuple[str, str]:
    """(text, language of that text) for the reader's language, with fallback."""
    value = value or {}
    language = language or get_language() or settings.LANGUAGE_CODE
    for code in (language, settings.LANGUAGE_CODE, *value.keys()):
        text = value.get(code)
        if text:
            return text, code
    return "", language


def localised(value: dict | None, language: str | None = None) -> str:
    return pick(value, language)[0]


def clean_map(value: dict) -> dict[str, str]:
    """Only known languages, stripped, without empty entries."""
    return {code: (value.get(code) or "").strip() for code in language_codes() if (value.get(code) or "").strip()}
