"""PDFs, built with WeasyPrint from HTML and the print stylesheet, for every app.

Imported lazily by the views that need it: WeasyPrint is heavy and only PDF requests use it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders


def _stylesheet() -> str:
    return Path(finders.find("css/pdf.css")).read_text(encoding="utf-8")


def render_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint is heavy and only PDF requests need it.
    from weasyprint import CSS, HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[CSS(string=_stylesheet())])


def cached_file(name: str, build: Callable[[], bytes]) -> Path:
    """The file ``name`` in PDF_CACHE_DIR, built by ``build()`` the first time it is asked for."""
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
