"""Files served with HTTP range requests, so that a video player can seek (RFC 9110 §14).

One range per request (what browsers ask of media); a multi-range or malformed header is
answered with the whole file, an unsatisfiable one with 416.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def byte_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """(first, last) for a single satisfiable range; None when there is no usable range
    header (serve the whole file); False when it cannot be satisfied (416)."""
    match = _RANGE.match(header.strip()) if header else None
    if not match or match.group(1) == match.group(2) == "":
        return None
    first_text, last_text = match.groups()
    if first_text == "":  # the last N bytes
        length = int(last_text)
        if length == 0:
            return False
        return max(0, size - length), size - 1
    first = int(first_text)
    last = int(last_text) if last_text else size - 1
    if first >= size or last < first:
        return False
    return first, min(last, size - 1)


def _chunks(path: Path, first: int, length: int):
    with path.open("rb") as file:
        file.seek(first)
        while length > 0:
            data = file.read(min(CHUNK, length))
            if not data:
                break
            length -= len(data)
            yield data


def ranged_file_response(request, path: Path, content_type: str, *, download_name: str | None = None) -> HttpResponse:
    """``path`` as a 200 or 206 response honouring ``Range``; ``download_name`` makes it a
    download (Content-Disposition: attachment)."""
    size = path.stat().st_size
    wanted = byte_range(request.headers.get("Range", ""), size)
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif wanted is None:
        response = FileResponse(path.open("rb"), content_type=content_type)
    else:
        first, last = wanted
        response = StreamingHttpResponse(_chunks(path, first, last - first + 1), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    if download_name:
        response["Content-Disposition"] = content_disposition_header(True, download_name)
    return response
