"""Printable PDFs of the handbook, built with WeasyPrint and cached per content version.

A PDF depends only on the language, the part and the content version, so each one is built
once, written atomically to PDF_CACHE_DIR, and served from there afterwards.
"""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

from inclusion.core.pdf import cached_file, render_pdf

from .services import get_handbook


def build_handbook_pdf(language: str, area_numbers: list[int] | None = None) -> bytes:
    """The handbook (or the given key areas) as PDF bytes, in one language."""
    handbook = get_handbook()
    edition = handbook.edition(language)
    whole = area_numbers is None
    areas = edition.areas if whole else [edition.area(n) for n in area_numbers]
    with translation.override(language):
        html = render_to_string(
            "handbook/pdf/document.html",
            {
                "edition": edition,
                "areas": areas,
                "whole": whole,
                "content_version": handbook.version,
                "language": language,
            },
        )
    return render_pdf(html)


def handbook_pdf(language: str) -> Path:
    version = get_handbook().version
    return cached_file(f"handbook-{language}-{version}.pdf", lambda: build_handbook_pdf(language))


def area_pdf(language: str, number: int) -> Path:
    version = get_handbook().version
    return cached_file(
        f"handbook-{language}-area-{number}-{version}.pdf", lambda: build_handbook_pdf(language, [number])
    )
