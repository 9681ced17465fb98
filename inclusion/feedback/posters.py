"""The survey's QR code (SVG, PNG) and its printable poster (PDF)."""

import io

import segno
from django.template.loader import render_to_string
from django.utils import translation

from .bank import RESPONDENT_LANGUAGES


def qr_code(url: str):
    # Error correction "M" survives a creased or smudged printout and keeps the code small.
    return segno.make(url, error="m")


def qr_svg(url: str, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="svg", scale=scale, border=4, xmldecl=False, title="QR code", svgclass="qr-code")
    return buffer.getvalue()


def qr_png(url: str, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def poster_pdf(survey, survey_url: str, changes_url: str | None) -> bytes:
    """An A4 poster: the invitation in each of the survey's languages, the QR code and the
    address; "you said, we did" when published."""
    from inclusion.core.pdf import render_pdf  # WeasyPrint is heavy: only posters need it

    invitations = []
    for code in survey.languages:
        with translation.override(code):
            invitations.append(
                {
                    "code": code,
                    "name": RESPONDENT_LANGUAGES[code],
                    "rtl": translation.get_language_bidi(),
                    "html": render_to_string("feedback/pdf/_invitation.html", {"survey": survey}),
                }
            )
    with translation.override(survey.languages[0]):
        html = render_to_string(
            "feedback/pdf/poster.html",
            {
                "survey": survey,
                "invitations": invitations,
                "survey_url": survey_url,
                "changes_url": changes_url,
                "qr": qr_svg(survey_url, scale=10).decode(),
            },
        )
    return render_pdf(html)
