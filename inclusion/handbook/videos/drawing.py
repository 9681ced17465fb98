"""Each scene drawn as an SVG picture, 1920 × 1080.

Text is wrapped by measuring it in the font the frames are rendered with (DejaVu Sans, which
has every Latvian letter), so that nothing is cut off whatever the language. Sizes are
chosen for a phone held sideways: body text is at least 46 px of 1080.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from .script import Scene

WIDTH, HEIGHT = 1920, 1080
MARGIN = 120
FONT_FAMILY = "DejaVu Sans"
FONT_FILES = {
    False: Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    True: Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
}
INK = "#1b2333"  # body text: 15.6:1 on the paper colour
MUTED = "#4a5468"  # secondary text: 7.4:1
PAPER = "#f7f5f0"
# One colour per key area; each carries white text at 4.5:1 or more.
AREA_COLOURS = {1: "#1f5f99", 2: "#8a3b8f", 3: "#2f6b3a", 4: "#b03a2e", 5: "#8a5a00", 6: "#2b5d6b"}
ACCENT = "#1f5f99"
CARD = 'fill="#ffffff" stroke="#d5d9e0" stroke-width="3"'


@lru_cache(maxsize=4)
def _font(size: int, bold: bool):
    from PIL import ImageFont

    path = FONT_FILES[bold]
    return ImageFont.truetype(str(path), size) if path.exists() else None


def text_width(text: str, size: int, bold: bool = False) -> float:
    font = _font(size, bold)
    if font is None:  # no DejaVu: a generous estimate, so that wrapping errs on the safe side
        return len(text) * size * (0.66 if bold else 0.6)
    return font.getlength(text)


def wrap(text: str, size: int, width: float, bold: bool = False) -> list[str]:
    """Lines of ``text`` that fit ``width`` pixels at ``size``; a word longer than the line
    is kept whole on a line of its own rather than split."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and text_width(candidate, size, bold) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def fit(text: str, width: float, max_lines: int, sizes: tuple[int, ...], bold: bool = False) -> tuple[int, list[str]]:
    """The largest size in ``sizes`` at which ``text`` fits in ``max_lines`` lines."""
    for size in sizes:
        lines = wrap(text, size, width, bold)
        if len(lines) <= max_lines:
            return size, lines
    size = sizes[-1]
    return size, wrap(text, size, width, bold)


class Canvas:
    def __init__(self, background: str = PAPER):
        self.parts: list[str] = [f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{background}"/>']

    def add(self, svg: str) -> None:
        self.parts.append(svg)

    def text(self, x, y, lines, size, *, bold=False, fill=INK, anchor="start", leading=1.3) -> float:
        """Write lines from baseline y; returns the y below the last line."""
        weight = "bold" if bold else "normal"
        for index, line in enumerate(lines):
            self.add(
                f'<text x="{x:.0f}" y="{y + index * size * leading:.0f}" font-family="{FONT_FAMILY}" '
                f'font-size="{size}" font-weight="{weight}" fill="{fill}" text-anchor="{anchor}">{escape(line)}</text>'
            )
        return y + len(lines) * size * leading

    def svg(self) -> str:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}">' + "".join(self.parts) + "</svg>"
        )


def area_icon(number: int, cx: float, cy: float, radius: float, colour: str | None = None) -> str:
    """The key area's pictogram: white strokes in a coloured disc."""
    colour = colour or AREA_COLOURS[number]
    r = radius
    s = (
        f'stroke="#ffffff" stroke-width="{max(3, r * 0.09):.1f}" fill="none" '
        'stroke-linecap="round" stroke-linejoin="round"'
    )
    disc = f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="{colour}"/>'
    if number == 1:  # a magnifying glass: needs looked into
        drawing = (
            f'<circle cx="{cx - r * 0.12:.1f}" cy="{cy - r * 0.12:.1f}" r="{r * 0.34:.1f}" {s}/>'
            f'<line x1="{cx + r * 0.13:.1f}" y1="{cy + r * 0.13:.1f}" '
            f'x2="{cx + r * 0.45:.1f}" y2="{cy + r * 0.45:.1f}" {s}/>'
        )
    elif number == 2:  # three people of different heights: support for all
        drawing = ""
        for offset, scale in ((-0.38, 0.8), (0, 1.0), (0.38, 0.65)):
            x = cx + offset * r
            head = cy - r * 0.32 * scale
            drawing += f'<circle cx="{x:.1f}" cy="{head:.1f}" r="{r * 0.11 * scale:.1f}" {s}/>'
            drawing += (
                f'<line x1="{x:.1f}" y1="{head + r * 0.2 * scale:.1f}" x2="{x:.1f}" y2="{cy + r * 0.42:.1f}" {s}/>'
            )
    elif number == 3:  # steps rising: the longer term
        points = []
        for step in range(4):
            x = cx - r * 0.5 + step * r * 0.25
            y = cy + r * 0.4 - step * r * 0.25
            points += [f"{x:.1f},{y:.1f}", f"{x + r * 0.25:.1f},{y:.1f}"]
        drawing = f'<polyline points="{" ".join(points)}" {s}/>'
        arrow = [(cx + r * 0.3, cy - r * 0.55), (cx + r * 0.5, cy - r * 0.55), (cx + r * 0.5, cy - r * 0.35)]
        drawing += f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in arrow)}" {s}/>'
    elif number == 4:  # two speech bubbles: working with refugees
        drawing = (
            f'<rect x="{cx - r * 0.55:.1f}" y="{cy - r * 0.45:.1f}" '
            f'width="{r * 0.6:.1f}" height="{r * 0.4:.1f}" rx="{r * 0.1:.1f}" {s}/>'
            f'<rect x="{cx - r * 0.05:.1f}" y="{cy + r * 0.02:.1f}" '
            f'width="{r * 0.6:.1f}" height="{r * 0.4:.1f}" rx="{r * 0.1:.1f}" {s}/>'
            f'<line x1="{cx - r * 0.35:.1f}" y1="{cy - r * 0.05:.1f}" '
            f'x2="{cx - r * 0.42:.1f}" y2="{cy + r * 0.12:.1f}" {s}/>'
        )
    elif number == 5:  # a heart: community and volunteering
        top = cy - r * 0.22
        drawing = (
            f'<path d="M {cx:.1f} {cy + r * 0.45:.1f} C {cx - r * 0.75:.1f} {cy - r * 0.05:.1f}, '
            f"{cx - r * 0.35:.1f} {top - r * 0.45:.1f}, {cx:.1f} {top:.1f} C {cx + r * 0.35:.1f} {top - r * 0.45:.1f}, "
            f'{cx + r * 0.75:.1f} {cy - r * 0.05:.1f}, {cx:.1f} {cy + r * 0.45:.1f} Z" {s}/>'
        )
    else:  # three linked rings: services working together
        nodes = [(cx, cy - r * 0.38), (cx - r * 0.36, cy + r * 0.26), (cx + r * 0.36, cy + r * 0.26)]
        drawing = "".join(
            f'<line x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" y2="{b[1]:.1f}" {s}/>'
            for a, b in ((nodes[0], nodes[1]), (nodes[1], nodes[2]), (nodes[2], nodes[0]))
        )
        filled = s.replace('fill="none"', f'fill="{colour}"')
        drawing += "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r * 0.15:.1f}" {filled}/>' for x, y in nodes)
    return disc + drawing


def _icons_row(canvas: Canvas, y: float, radius: float = 34) -> None:
    gap = radius * 2.9
    start = WIDTH / 2 - gap * 2.5
    for number in range(1, 7):
        canvas.add(area_icon(number, start + (number - 1) * gap, y, radius))


def _footer(canvas: Canvas, scene: Scene, position: tuple[int, int]) -> None:
    index, total = position
    for dot in range(total):
        fill = ACCENT if dot == index else "#c9cdd6"
        canvas.add(f'<circle cx="{MARGIN + dot * 26}" cy="{HEIGHT - 48}" r="7" fill="{fill}"/>')


def draw_scene(scene: Scene, position: tuple[int, int] = (0, 1)) -> str:
    canvas = Canvas()
    text_width_px = WIDTH - 2 * MARGIN
    kind = scene.kind
    if kind == "title":
        canvas.add(f'<rect x="0" y="0" width="{WIDTH}" height="24" fill="{ACCENT}"/>')
        size, lines = fit(scene.heading, text_width_px, 2, (120, 104, 92), bold=True)
        y = canvas.text(WIDTH / 2, 360, lines, size, bold=True, anchor="middle", leading=1.15)
        size, lines = fit(scene.text, text_width_px - 200, 2, (60, 52))
        y = canvas.text(WIDTH / 2, y + 40, lines, size, fill=MUTED, anchor="middle")
        _icons_row(canvas, y + 110, 46)
        canvas.text(WIDTH / 2, HEIGHT - 90, [scene.footer], 46, bold=True, fill=ACCENT, anchor="middle")
    elif kind == "statement":
        canvas.add(f'<rect x="{MARGIN}" y="190" width="140" height="14" rx="7" fill="{ACCENT}"/>')
        size, lines = fit(scene.heading, text_width_px, 2, (84, 72), bold=True)
        y = canvas.text(MARGIN, 310, lines, size, bold=True, leading=1.15)
        size, lines = fit(scene.text, text_width_px, 6, (62, 56, 50, 46))
        canvas.text(MARGIN, y + 60, lines, size, leading=1.35)
    elif kind == "areas":
        size, lines = fit(scene.heading, text_width_px, 1, (76, 64), bold=True)
        canvas.text(MARGIN, 170, lines, size, bold=True)
        card_w, card_h = (WIDTH - 2 * MARGIN - 2 * 40) / 3, 350
        for index, title in enumerate(scene.items):
            column, row = index % 3, index // 3
            x = MARGIN + column * (card_w + 40)
            y = 220 + row * (card_h + 36)
            canvas.add(f'<rect x="{x:.0f}" y="{y:.0f}" width="{card_w:.0f}" height="{card_h}" rx="24" {CARD}/>')
            canvas.add(area_icon(index + 1, x + 80, y + 90, 52))
            canvas.text(x + 160, y + 108, [str(index + 1)], 64, bold=True, fill=AREA_COLOURS[index + 1])
            size, lines = fit(title, card_w - 64, 3, (44, 40, 36), bold=True)
            canvas.text(x + 32, y + 200, lines, size, bold=True, leading=1.18)
    elif kind == "area":
        colour = AREA_COLOURS[scene.number]
        canvas.add(f'<rect x="0" y="0" width="{WIDTH}" height="24" fill="{colour}"/>')
        canvas.add(area_icon(scene.number, MARGIN + 90, 200, 90))
        canvas.text(MARGIN + 220, 170, [scene.label], 46, bold=True, fill=colour)
        size, lines = fit(scene.heading, text_width_px - 220, 2, (72, 64, 56), bold=True)
        y = canvas.text(MARGIN + 220, 245, lines, size, bold=True, leading=1.12)
        size, lines = fit(scene.text, text_width_px, 3, (50, 46))
        y = canvas.text(MARGIN, max(y, 340) + 30, lines, size, leading=1.3)
        x = MARGIN
        y += 20
        for factor in scene.items:  # the success factors as labels
            size, lines = fit(factor, text_width_px - 80, 1, (46, 42, 38), bold=True)
            width = text_width(lines[0], size, True) + 64
            if x + width > WIDTH - MARGIN:
                x, y = MARGIN, y + 96
            canvas.add(f'<rect x="{x:.0f}" y="{y:.0f}" width="{width:.0f}" height="76" rx="38" fill="{colour}"/>')
            canvas.text(x + 32, y + 52, lines, size, bold=True, fill="#ffffff")
            x += width + 24
        y += 120
        bottom = HEIGHT - 100
        top = y
        y = canvas.text(MARGIN + 44, y + 44, [scene.example_label], 44, bold=True, fill=MUTED)
        for size in (46, 42, 38, 34):
            lines = wrap(scene.example, size, text_width_px - 44)
            if y + 6 + len(lines) * size * 1.28 <= bottom:
                break
        end = canvas.text(MARGIN + 44, y + 6, lines, size, leading=1.28)
        canvas.add(
            f'<rect x="{MARGIN}" y="{top:.0f}" width="10" height="{end - top - size * 0.9:.0f}" fill="{colour}"/>'
        )
    elif kind == "readings":
        size, lines = fit(scene.heading, text_width_px, 1, (76, 64), bold=True)
        canvas.text(MARGIN, 190, lines, size, bold=True)
        y = 280
        fills = ("full", "half", "none")
        for fill, item in zip(fills, scene.items, strict=False):
            cx, cy, r = MARGIN + 60, y + 60, 52
            canvas.add(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="#ffffff" stroke="{ACCENT}" stroke-width="8"/>')
            if fill == "full":
                canvas.add(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{ACCENT}"/>')
            elif fill == "half":
                canvas.add(f'<path d="M {cx} {cy - r} A {r} {r} 0 0 1 {cx} {cy + r} Z" fill="{ACCENT}"/>')
            size, lines = fit(item, text_width_px - 180, 4, (46, 42, 38))
            bottom = canvas.text(MARGIN + 170, y + 42, lines, size, leading=1.25)
            y = max(bottom, y + 140) + 30
    elif kind == "criteria":
        size, lines = fit(scene.heading, text_width_px, 1, (76, 64), bold=True)
        canvas.text(MARGIN, 190, lines, size, bold=True)
        canvas.text(MARGIN, 255, [scene.label], 46, bold=True, fill=ACCENT)
        y = 290
        for index, title in enumerate(scene.items, start=1):
            canvas.add(f'<rect x="{MARGIN}" y="{y}" width="{text_width_px}" height="76" rx="16" {CARD}/>')
            canvas.add(f'<circle cx="{MARGIN + 52}" cy="{y + 38}" r="30" fill="{ACCENT}"/>')
            canvas.text(MARGIN + 52, y + 54, [str(index)], 44, bold=True, fill="#ffffff", anchor="middle")
            canvas.text(MARGIN + 110, y + 54, [title], 46, bold=True)
            y += 90
        size, lines = fit(scene.text, text_width_px, 3, (44, 40, 36))
        canvas.text(MARGIN, y + 40, lines, size, fill=MUTED, leading=1.25)
    elif kind == "steps":
        size, lines = fit(scene.heading, text_width_px, 1, (76, 64), bold=True)
        canvas.text(MARGIN, 190, lines, size, bold=True)
        count = max(1, len(scene.items))
        slot = (HEIGHT - 300 - 140) / count
        y = 270
        for index, step in enumerate(scene.items, start=1):
            canvas.add(f'<circle cx="{MARGIN + 48}" cy="{y + 40:.0f}" r="44" fill="{ACCENT}"/>')
            canvas.text(MARGIN + 48, y + 58, [str(index)], 52, bold=True, fill="#ffffff", anchor="middle")
            size, lines = fit(step, text_width_px - 150, 2, (54, 48, 44))
            canvas.text(MARGIN + 130, y + 58, lines, size, leading=1.2)
            y += slot
    else:  # address
        size, lines = fit(scene.heading, text_width_px, 3, (84, 72, 64), bold=True)
        y = canvas.text(WIDTH / 2, 330, lines, size, bold=True, anchor="middle", leading=1.15)
        _icons_row(canvas, y + 90, 46)
        canvas.add(f'<rect x="{WIDTH / 2 - 560}" y="{y + 200:.0f}" width="1120" height="140" rx="70" fill="{ACCENT}"/>')
        canvas.text(WIDTH / 2, y + 292, [scene.footer], 64, bold=True, fill="#ffffff", anchor="middle")
    if kind not in ("title", "address"):
        _footer(canvas, scene, position)
    return canvas.svg()
