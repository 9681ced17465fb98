"""Tables out as CSV or XLSX: one header and rows in, file bytes out.

Every export of the toolkit (self-assessments, practice ratings, survey results) describes
its data as a ``Table`` and lets this module write it, so that the file details live in one
place: CSV in UTF-8 with a byte order mark (Excel otherwise misreads ā, č, ļ, š, ž …),
XLSX through openpyxl's write-only mode (flat memory use), and formula injection
neutralised in both (the pretix exporter idea).
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

# A cell that starts with one of these is run as a formula by spreadsheet programs
# (OWASP "CSV injection"); tab and carriage return can hide such a start.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MIN_WIDTH, MAX_WIDTH = 8, 60  # XLSX column widths, in characters
_WIDTH_SAMPLE = 200  # rows read ahead to size the columns
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

Value = str | int | float | Decimal | datetime.date | None


@dataclass
class Table:
    """A titled table: the title names the XLSX sheet; rows may be any iterable."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Value]]


def neutralise(value: Value) -> Value:
    """Text that a spreadsheet would read as a formula gets a leading single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# Spreadsheet programs read a CSV file with the list separator of the reader's locale:
# Latvian (like most of continental Europe) uses the semicolon, because the comma is the
# decimal mark there. A comma-separated file opens as one column in a Latvian Excel.
SEPARATORS = {"comma": ",", "semicolon": ";"}
LOCALE_SEPARATORS = {"lv": ";", "en": ","}


def separator_for(language: str | None, chosen: str | None = None) -> str:
    """The CSV separator: the one ``chosen`` at download ("comma" / "semicolon"), else the
    reader's language's (semicolon for Latvian, comma otherwise)."""
    if chosen in SEPARATORS:
        return SEPARATORS[chosen]
    return LOCALE_SEPARATORS.get((language or "").split("-")[0], ",")


def _csv_text(value: Value, decimal_mark: str = ".") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float | Decimal) and decimal_mark != ".":
        return str(value).replace(".", decimal_mark)
    return str(value)


def to_csv(table: Table, delimiter: str = ",") -> bytes:
    """The table as CSV: ``delimiter``-separated (comma by default; with a semicolon,
    decimals get a decimal comma, as such a reader expects), CRLF line ends, UTF-8 with a
    byte order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    decimal_mark = "," if delimiter == ";" else "."
    writer.writerow([_csv_text(neutralise(name)) for name in table.header])
    for row in table.rows:
        writer.writerow([_csv_text(neutralise(value), decimal_mark) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_title(title: str, used: set[str]) -> str:
    """Excel allows 31 characters and no []:*?/\\ in a sheet name, and each name once."""
    base = _SHEET_TITLE_FORBIDDEN.sub(" ", title).strip()[:31] or "Sheet"
    name, number = base, 2
    while name.lower() in used:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    used.add(name.lower())
    return name


def _xlsx_value(value: Value) -> Value:
    value = neutralise(value)
    if isinstance(value, str):
        # Control characters make an invalid file; they carry nothing a reader would miss.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _display_width(value: Value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def to_xlsx(*tables: Table) -> bytes:
    """The tables as an XLSX workbook, one sheet each: bold frozen header, sized columns."""
    workbook = Workbook(write_only=True)
    used_titles: set[str] = set()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, used_titles))
        rows = iter(table.rows)
        sample = [[_xlsx_value(value) for value in row] for row in itertools.islice(rows, _WIDTH_SAMPLE)]
        widths = [
            max([_display_width(name), *(_display_width(row[index]) for row in sample if index < len(row))])
            for index, name in enumerate(table.header)
        ]
        wrapped = set()
        for index, width in enumerate(widths):
            sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
            if width + 2 > MAX_WIDTH:
                wrapped.add(index)
        sheet.freeze_panes = "A2"

        header = []
        for name in table.header:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(name))
            cell.font = bold
            header.append(cell)
        sheet.append(header)

        def cells(values, wrapped=wrapped, sheet=sheet):
            row = []
            for index, value in enumerate(values):
                if index in wrapped:
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.alignment = wrap
                    row.append(cell)
                else:
                    row.append(value)
            return row

        for values in sample:
            sheet.append(cells(values))
        for row in rows:
            sheet.append(cells([_xlsx_value(value) for value in row]))
    if not tables:
        workbook.create_sheet("Sheet")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
