"""Charts as server-side SVG: they render without JavaScript, print, and go into PDFs.

Each chart carries a <title> and <desc> and a text value on every bar, so a screen reader
and a black-and-white printout get the numbers, not just the shapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

BAR_COLOUR = "#0b4f8a"
SECOND_COLOUR = "#9bb7d4"
TRACK_COLOUR = "#e6ecf2"
TEXT_COLOUR = "#1b1b1b"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # 0–100; None is drawn as "not assessed"
    previous: int | None = None  # an earlier value, drawn as a thinner bar beneath


def _wrap(label: str, width: int) -> list[str]:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines[:3]


def horizontal_bars(
    bars: list[Bar],
    *,
    title: str,
    description: str,
    empty_label: str,
    legend: tuple[str, str] | None = None,
    chart_id: str = "chart",
) -> SafeString:
    """Bars from 0 to 100 with their labels on the left and values at the end."""
    label_width, bar_width, row_height, top = 260, 360, 54, 10
    height = top + row_height * len(bars) + (28 if legend else 6)
    width = label_width + bar_width + 130
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart" '
        'font-family="DejaVu Sans, sans-serif">',
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for index, bar in enumerate(bars):
        y = top + index * row_height
        for line_number, line in enumerate(_wrap(bar.label, 34)):
            parts.append(
                f'<text x="0" y="{y + 14 + line_number * 15}" font-size="13" fill="{TEXT_COLOUR}">{escape(line)}</text>'
            )
        parts.append(f'<rect x="{label_width}" y="{y + 2}" width="{bar_width}" height="22" fill="{TRACK_COLOUR}"/>')
        if bar.value is not None:
            parts.append(
                f'<rect x="{label_width}" y="{y + 2}" width="{bar_width * bar.value / 100:.1f}" height="22" '
                f'fill="{BAR_COLOUR}"/>'
            )
        value_text = f"{bar.value}%" if bar.value is not None else empty_label
        parts.append(
            f'<text x="{label_width + bar_width + 6}" y="{y + 18}" font-size="13" font-weight="bold" '
            f'fill="{TEXT_COLOUR}">{escape(value_text)}</text>'
        )
        if bar.previous is not None:
            parts.append(
                f'<rect x="{label_width}" y="{y + 28}" width="{bar_width * bar.previous / 100:.1f}" height="8" '
                f'fill="{SECOND_COLOUR}"/>'
            )
            parts.append(
                f'<text x="{label_width + bar_width + 6}" y="{y + 37}" font-size="11" fill="{TEXT_COLOUR}">'
                f"{bar.previous}%</text>"
            )
    if legend:
        y = height - 12
        parts.append(f'<rect x="{label_width}" y="{y - 9}" width="14" height="10" fill="{BAR_COLOUR}"/>')
        parts.append(f'<text x="{label_width + 20}" y="{y}" font-size="12">{escape(legend[0])}</text>')
        parts.append(f'<rect x="{label_width + 170}" y="{y - 9}" width="14" height="5" fill="{SECOND_COLOUR}"/>')
        parts.append(f'<text x="{label_width + 190}" y="{y}" font-size="12">{escape(legend[1])}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


@dataclass(frozen=True)
class Column:
    label: str
    value: int | None  # None: not shown (drawn as an empty slot with ``empty_label``)


def columns(
    points: list[Column], *, title: str, description: str, empty_label: str, chart_id: str = "chart"
) -> SafeString:
    """Vertical columns over time (a trend: one per month), each with its value written
    above it; a hidden value leaves a hatched slot labelled ``empty_label``."""
    slot, plot_height, top, bottom, left = 64, 160, 24, 44, 8
    width = max(left * 2 + slot * len(points), 240)
    height = top + plot_height + bottom
    highest = max((point.value for point in points if point.value), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart" '
        'font-family="DejaVu Sans, sans-serif">',
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<line x1="{left}" y1="{top + plot_height}" x2="{width - left}" y2="{top + plot_height}" '
        f'stroke="{TEXT_COLOUR}" stroke-width="1"/>',
    ]
    for index, point in enumerate(points):
        x = left + index * slot + 8
        base = top + plot_height
        if point.value is None:
            parts.append(
                f'<rect x="{x}" y="{base - 30}" width="{slot - 16}" height="30" fill="none" '
                f'stroke="{SECOND_COLOUR}" stroke-dasharray="3 3"/>'
            )
            # The label of a hidden value, in up to two short lines above the empty slot.
            lines = _wrap(empty_label, 10)[:2]
            for line_number, line in enumerate(lines):
                parts.append(
                    f'<text x="{x + (slot - 16) / 2}" y="{base - 36 - 12 * (len(lines) - 1 - line_number)}" '
                    f'font-size="10" text-anchor="middle" fill="{TEXT_COLOUR}">{escape(line)}</text>'
                )
        else:
            bar_height = round(plot_height * point.value / highest, 1)
            parts.append(
                f'<rect x="{x}" y="{base - bar_height}" width="{slot - 16}" height="{bar_height}" fill="{BAR_COLOUR}"/>'
            )
            parts.append(
                f'<text x="{x + (slot - 16) / 2}" y="{base - bar_height - 6}" font-size="11" font-weight="bold" '
                f'text-anchor="middle" fill="{TEXT_COLOUR}">{point.value}</text>'
            )
        for line_number, line in enumerate(_wrap(point.label, 9)[:2]):
            parts.append(
                f'<text x="{x + (slot - 16) / 2}" y="{base + 16 + line_number * 13}" font-size="11" '
                f'text-anchor="middle" fill="{TEXT_COLOUR}">{escape(line)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
