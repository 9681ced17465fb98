"""A rating with some indicators unscored is a provisional reading, never a verdict (issue 15)."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from inclusion.practices.models import Rating
from inclusion.practices.scoring import GOOD_PRACTICE, NOT_ASSESSED, PROVISIONAL, score_rating
from tests.factories import indicator_scores as all_scores


def _first(criteria, count, value="2"):
    return dict(list(all_scores(criteria, value).items())[:count])


def test_reading_is_provisional_until_every_indicator_is_scored_or_not_applicable(criteria):
    scores = all_scores(criteria, "2")
    assert len(scores) == 34
    assert score_rating(criteria, {}).reading == NOT_ASSESSED
    assert score_rating(criteria, _first(criteria, 5)).band == GOOD_PRACTICE  # what the scores so far point to
    assert score_rating(criteria, _first(criteria, 5)).reading == PROVISIONAL
    assert score_rating(criteria, _first(criteria, 33)).reading == PROVISIONAL
    assert score_rating(criteria, scores).reading == GOOD_PRACTICE
    not_applicable = {**_first(criteria, 33), list(scores)[33]: "na"}
    assert score_rating(criteria, not_applicable).reading == GOOD_PRACTICE


@pytest.mark.parametrize(
    ("language", "provisional", "verdict"),
    [("en", "Provisional reading", "Good practice"), ("lv", "Provizorisks vērtējums", "Labā prakse")],
)
def test_five_of_34_scored_shows_a_provisional_reading_not_a_band(client, editor_a, draft_a, criteria, language,
                                                                   provisional, verdict):  # fmt: skip
    rating = Rating.objects.create(practice=draft_a, rater=editor_a, scores=_first(criteria, 5))
    client.force_login(editor_a)
    base = f"/{language}/practices/manage/{draft_a.pk}/ratings/{rating.pk}/"

    page = client.get(base).content.decode()
    assert provisional in page
    assert verdict not in page

    pdf = client.get(f"{base}export.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert provisional in text
    assert verdict not in text

    sheet = load_workbook(io.BytesIO(client.get(f"{base}export.xlsx").content)).worksheets[0]
    cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert provisional in cells
    assert verdict not in cells


def test_api_gives_provisional_until_complete(client, org_a, editor_a, draft_a, criteria):
    from inclusion.api.models import AccessToken

    Rating.objects.create(practice=draft_a, rater=editor_a, scores=_first(criteria, 5))
    _record, token = AccessToken.issue(org_a, None, "test")
    body = client.get("/api/v1/practices", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    [rating] = [r for practice in body for r in practice["ratings"]]
    assert (rating["band"], rating["complete"]) == ("provisional", False)
