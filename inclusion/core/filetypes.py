"""What a file is, judged by its content, never by its name or the browser's word for it.

``detect(head, file)`` answers a ``FileType`` (extension and the Content-Type to serve it
with) for the kinds people attach as evidence — PDF, PNG, JPEG, WebP, GIF, and office
documents (OOXML and OpenDocument zip packages, old Word/Excel OLE compound files) — or
None. Anything that a browser could take for HTML or SVG is refused, also when it starts
like an allowed kind (a polyglot): browsers sniff the first bytes of a file, so markup
there is never accepted.
"""

from __future__ import annotations

import re
import struct
import zipfile
from dataclasses import dataclass
from typing import BinaryIO


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str


PDF = FileType("pdf", "application/pdf")
PNG = FileType("png", "image/png")
JPEG = FileType("jpg", "image/jpeg")
WEBP = FileType("webp", "image/webp")
GIF = FileType("gif", "image/gif")
DOCX = FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = FileType("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")
ODT = FileType("odt", "application/vnd.oasis.opendocument.text")
ODS = FileType("ods", "application/vnd.oasis.opendocument.spreadsheet")
DOC = FileType("doc", "application/msword")
XLS = FileType("xls", "application/vnd.ms-excel")

ALLOWED = (PDF, PNG, JPEG, WEBP, GIF, DOCX, XLSX, PPTX, ODT, ODS, DOC, XLS)

# Browsers sniff about the first 512 bytes; look at more.
SNIFF_BYTES = 4096
_MARKUP = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|script|svg|iframe|object|embed)[\s>/]",
    re.IGNORECASE,
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OOXML_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/presentation.xml", PPTX))
_ODF_MIMETYPES = {ODT.content_type.encode(): ODT, ODS.content_type.encode(): ODS}


def looks_like_markup(head: bytes) -> bool:
    """Whether the start of a file contains something a browser could render as HTML or SVG
    (in UTF-8 or, with its zero bytes removed, UTF-16)."""
    head = head[:SNIFF_BYTES]
    return bool(_MARKUP.search(head) or _MARKUP.search(head.replace(b"\x00", b"")))


def detect(file: BinaryIO) -> FileType | None:
    """The allowed type of ``file`` (a seekable binary file), or None. Reads what it needs
    and leaves the position at the start."""
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    try:
        if looks_like_markup(head):
            return None
        if head.startswith(b"%PDF-"):
            return PDF if _pdf_ends(file) else None
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return _image(file, "PNG", PNG)
        if head.startswith(b"\xff\xd8\xff"):
            return _image(file, "JPEG", JPEG)
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return _image(file, "WEBP", WEBP)
        if head[:6] in (b"GIF87a", b"GIF89a"):
            return _image(file, "GIF", GIF)
        if head.startswith(b"PK\x03\x04"):
            return _zip_document(file)
        if head.startswith(_OLE_MAGIC):
            return _ole_document(file)
        return None
    finally:
        file.seek(0)


def _pdf_ends(file: BinaryIO) -> bool:
    file.seek(0, 2)
    size = file.tell()
    file.seek(max(0, size - 1024))
    return b"%%EOF" in file.read()


def _image(file: BinaryIO, expected_format: str, kind: FileType) -> FileType | None:
    """The image is decoded far enough to know it is one of the format it claims."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(file) as image:
            if image.format != expected_format:
                return None
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return kind


def _zip_document(file: BinaryIO) -> FileType | None:
    """An OOXML package (its main part) or an OpenDocument one (its ``mimetype`` entry)."""
    try:
        with zipfile.ZipFile(file) as package:
            names = set(package.namelist())
            if "mimetype" in names:
                info = package.getinfo("mimetype")
                if info.file_size <= 200:
                    return _ODF_MIMETYPES.get(package.read(info).strip())
                return None
            if "[Content_Types].xml" not in names:
                return None
            for part, kind in _OOXML_PARTS:
                if part in names:
                    return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError):
        return None
    return None


_FREE, _END_OF_CHAIN = 0xFFFFFFFF, 0xFFFFFFFE


def _ole_document(file: BinaryIO) -> FileType | None:
    """An OLE compound file whose directory holds a Word (``WordDocument``) or Excel
    (``Workbook``/``Book``) stream: the header, the FAT and the directory chain are read."""
    file.seek(0)
    header = file.read(512)
    if len(header) < 512:
        return None
    sector_shift = struct.unpack_from("<H", header, 0x1E)[0]
    if sector_shift not in (9, 12):
        return None
    sector_size = 1 << sector_shift
    first_directory = struct.unpack_from("<I", header, 0x30)[0]
    fat_sectors = [s for s in struct.unpack_from("<109I", header, 0x4C) if s not in (_FREE, _END_OF_CHAIN)]

    def read_sector(number: int) -> bytes:
        file.seek((number + 1) * sector_size)
        return file.read(sector_size)

    fat: list[int] = []
    for sector in fat_sectors[:64]:
        data = read_sector(sector)
        fat.extend(struct.unpack(f"<{len(data) // 4}I", data[: len(data) // 4 * 4]))
    names = set()
    sector, seen = first_directory, set()
    while sector < len(fat) and sector not in seen and len(seen) < 256:
        seen.add(sector)
        data = read_sector(sector)
        for offset in range(0, len(data) - 127, 128):
            length = struct.unpack_from("<H", data, offset + 0x40)[0]
            if 2 <= length <= 64:
                names.add(data[offset : offset + length - 2].decode("utf-16-le", "replace"))
        sector = fat[sector]
    if "WordDocument" in names:
        return DOC
    if names & {"Workbook", "Book"}:
        return XLS
    return None
