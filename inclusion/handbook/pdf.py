"""Printable PDFs of the handbook, built with WeasyPrint and cached per content version.

A PDF depends only on the language, the part and the content version, so each one is built
once, written atomically to PDF_CACHE_DIR, and served from there afterwards.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from .services import get_handbook


def _stylesheet() -> str:
    return Path(finders.find("css/pdf.css")).read_text(encoding="utf-8")


def render_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint is heavy and only PDF requests need it.
    from weasyprint import CSS, HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[CSS(string=_stylesheet())])


def _cached(name: str, build) -> Path:
    directory = Path(settings.PDF_CACHE_DIR)
    path = directory / name
    if path.exists():
        return path
    directory.mkdir(parents=True, exist_ok=True)
    data = build()
    # Write then rename, so that a reader never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=directory, suffix=".part")
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    os.replace(temporary, path)
    return path


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
    return _cached(f"handbook-{language}-{version}.pdf", lambda: build_handbook_pdf(language))


def area_pdf(language: str, number: int) -> Path:
    version = get_handbook().version
    return _cached(f"handbook-{language}-area-{number}-{version}.pdf", lambda: build_handbook_pdf(language, [number]))
