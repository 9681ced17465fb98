"""Text in several languages: a map from language code to text, shown in the reader's language.

The pretix ``LazyI18nString`` idea: show the reader's language; when the text was not
written in it, fall back (by default to the site's main language), then to any language it
has. The language actually shown is returned too, so templates can mark it with ``lang``.
This is the one place that picks a language from such a map: practices, survey questions,
the question bank and the handbook's content all go through it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import get_language


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def pick(value: dict | None, language: str | None = None, fallbacks: Iterable[str] | None = None) -> tuple[str, str]:
    """(text, language of that text) for the reader's language, with fallback.

    ``fallbacks`` are the languages to try next, in order (default: the site's main
    language); after them any language the map has.
    """
    value = value or {}
    language = language or get_language() or settings.LANGUAGE_CODE
    fallbacks = (settings.LANGUAGE_CODE,) if fallbacks is None else tuple(fallbacks)
    for code in (language, *fallbacks, *value.keys()):
        text = value.get(code)
        if text:
            return text, code
    return "", language


def localised(value: dict | None, language: str | None = None, fallbacks: Iterable[str] | None = None) -> str:
    return pick(value, language, fallbacks)[0]


def clean_map(value: dict) -> dict[str, str]:
    """Only known languages, stripped, without empty entries."""
    return {code: (value.get(code) or "").strip() for code in language_codes() if (value.get(code) or "").strip()}
