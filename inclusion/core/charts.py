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
    """Bars from 0 to 100 with their values at the end, drawn twice: with the labels on the
    left for a wide page or paper, and with each label above its bar for a phone. The phone's
    copy is ``hidden`` (so a PDF and a screen reader meet one chart); site.css swaps the two
    on a narrow screen, where the wide one would shrink past reading."""
    wide = _bars_svg(bars, title, description, empty_label, legend, chart_id, narrow=False)
    narrow = _bars_svg(bars, title, description, empty_label, legend, f"{chart_id}-narrow", narrow=True)
    return mark_safe(f'{wide}<div class="chart-narrow" hidden>{narrow}</div>')  # noqa: S308 - escaped in _bars_svg


def _bars_svg(bars, title, description, empty_label, legend, chart_id, *, narrow: bool) -> str:
    # Wide: the label (up to 3 lines of 34 characters) beside the bar. Narrow: the label (up to
    # 3 lines of 40) above a bar as wide as the chart, larger type, so that a 360-unit drawing
    # reads at a phone's width.
    if narrow:
        label_width, bar_width, font, line_height, wrap = 0, 270, 15, 18, 40
    else:
        label_width, bar_width, font, line_height, wrap = 260, 360, 13, 15, 34
    value_x = label_width + bar_width + 6
    width = value_x + (84 if narrow else 124)
    rows, y = [], 10
    for bar in bars:
        lines = _wrap(bar.label, wrap)
        bar_top = y + len(lines) * line_height + 4 if narrow else y + 2
        rows.append((bar, lines, y, bar_top))
        y = bar_top + (22 if bar.previous is None else 36) + 14 if narrow else y + 54
    height = y + ((48 if narrow else 28) if legend else 6)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart{"" if narrow else " chart-wide"}" '
        'font-family="DejaVu Sans, sans-serif">',
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for bar, lines, label_top, bar_top in rows:
        for line_number, line in enumerate(lines):
            parts.append(
                f'<text x="0" y="{label_top + font + 1 + line_number * line_height}" font-size="{font}" '
                f'fill="{TEXT_COLOUR}">{escape(line)}</text>'
            )
        parts.append(f'<rect x="{label_width}" y="{bar_top}" width="{bar_width}" height="22" fill="{TRACK_COLOUR}"/>')
        if bar.value is not None:
            parts.append(
                f'<rect x="{label_width}" y="{bar_top}" width="{bar_width * bar.value / 100:.1f}" height="22" '
                f'fill="{BAR_COLOUR}"/>'
            )
        value_text = f"{bar.value}%" if bar.value is not None else empty_label
        # On a phone a long "not answered" would run off the drawing: it goes in the empty track.
        text_x = label_width + 6 if narrow and bar.value is None else value_x
        parts.append(
            f'<text x="{text_x}" y="{bar_top + 16}" font-size="{font}" font-weight="bold" '
            f'fill="{TEXT_COLOUR}">{escape(value_text)}</text>'
        )
        if bar.previous is not None:
            parts.append(
                f'<rect x="{label_width}" y="{bar_top + 26}" width="{bar_width * bar.previous / 100:.1f}" height="8" '
                f'fill="{SECOND_COLOUR}"/>'
            )
            parts.append(
                f'<text x="{value_x}" y="{bar_top + 35}" font-size="{font - 2}" fill="{TEXT_COLOUR}">'
                f"{bar.previous}%</text>"
            )
    if legend:
        # Wide: both keys on one line under the bars. Narrow: one key per line.
        for index, (colour, swatch_height, text) in enumerate(
            [(BAR_COLOUR, 10, legend[0]), (SECOND_COLOUR, 5, legend[1])]
        ):
            x, key_y = (0, height - 30 + index * 20) if narrow else (label_width + index * 170, height - 12)
            parts.append(
                f'<rect x="{x}" y="{key_y - 9}" width="14" height="{swatch_height}" fill="{colour}"/>'
                f'<text x="{x + 20}" y="{key_y}" font-size="{font - 1}">{escape(text)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


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
