"""Every file the toolkit hands out goes through one helper, so every download has the same
headers: a file name browsers keep, and `Cache-Control: private, no-store` so that no shared
cache or browser history keeps an organisation's data."""

from django.http import FileResponse, HttpResponse
from django.utils.cache import patch_cache_control

from .exporters import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": XLSX_CONTENT_TYPE,
    "csv": CSV_CONTENT_TYPE,
    "json": "application/json",
    "png": "image/png",
    "svg": "image/svg+xml",
}

# What a browser would render as a page: never handed out as such.
UNSAFE_INLINE_TYPES = {"text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml"}


def download(data: bytes, fmt: str, filename: str, *, inline: bool = False) -> HttpResponse:
    """A private response with ``data`` as ``filename`` (``fmt`` is a key of CONTENT_TYPES).

    ``inline`` lets a browser show a PDF or image in place instead of saving it.
    """
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


def file_download(file, filename: str, content_type: str) -> FileResponse:
    """Stream an uploaded file back as a download, never shown in place: ``attachment``
    with the given (already safe) file name, the checked ``content_type``, ``nosniff`` so
    that no browser second-guesses it, and not kept by any cache."""
    if content_type in UNSAFE_INLINE_TYPES or not content_type:
        content_type = "application/octet-stream"
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response
