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
