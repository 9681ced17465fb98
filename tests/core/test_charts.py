"""The bar chart's two drawings: the wide one for pages and paper, the phone's hidden until
site.css shows it on a narrow screen (tests/browser/test_layout.py looks at both)."""

import re

from inclusion.core.charts import Bar, horizontal_bars


def chart(**options):
    return horizontal_bars(
        [Bar("1. Participation <of> refugees", 50, previous=25), Bar("2. Information", None)],
        title="Score per key area",
        description="Yes counts 1.",
        empty_label="not answered",
        **options,
    )


def test_a_wide_drawing_and_a_hidden_narrow_one_with_the_same_values():
    wide, narrow = re.fullmatch(
        r'(<svg .*?</svg>)<div class="chart-narrow" hidden>(<svg .*?</svg>)</div>', chart()
    ).groups()

    assert 'class="chart chart-wide"' in wide and 'class="chart"' in narrow
    for drawing in (wide, narrow):
        texts = re.findall(r"<text [^>]*>([^<]*)</text>", drawing)
        assert {"50%", "25%", "not answered"} <= set(texts)
        assert "&lt;of&gt;" in drawing and "<of>" not in drawing
    assert re.search(r'viewBox="0 0 750 ', wide)
    assert re.search(r'viewBox="0 0 360 ', narrow)


def test_the_two_drawings_have_their_own_labels_for_screen_readers():
    svg = chart(chart_id="area-chart")
    ids = re.findall(r' id="([^"]+)"', svg)

    assert ids == ["area-chart-title", "area-chart-desc", "area-chart-narrow-title", "area-chart-narrow-desc"]


def test_the_narrow_drawing_puts_each_label_above_its_bar():
    narrow = chart().split('<div class="chart-narrow" hidden>')[1]
    label_y = float(re.search(r'<text x="0" y="([\d.]+)"[^>]*>1\. Participation', narrow).group(1))
    bar_y = float(re.search(r'<rect x="0" y="([\d.]+)" width="270"', narrow).group(1))

    assert bar_y > label_y


def test_a_pdf_draws_the_chart_once(settings):
    from io import BytesIO

    from pypdf import PdfReader
    from weasyprint import HTML

    pdf = HTML(string=f"<html><body><div class='chart-wrap'>{chart()}</div></body></html>").write_pdf()
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)

    assert text.count("not answered") == 1
    assert text.count("50%") == 1
