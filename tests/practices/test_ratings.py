"""Scoring a practice: each member on their own, the agreed scores, the profile and its exports."""

import io

from openpyxl import load_workbook
from pypdf import PdfReader

from inclusion.organisations.models import Role
from inclusion.practices import moderation, ratings, submissions
from inclusion.practices.models import Rating
from inclusion.practices.ratings import save_rating
from tests.factories import indicator_scores as all_scores
from tests.factories import member_of


def _rating_form(criteria, value, **extra):
    data = {f"indicator-{key}": value for key in all_scores(criteria, value)}
    data.update(extra)
    return data


def test_member_scores_on_their_own_and_sees_the_profile(client, editor_a, draft_a, criteria):
    client.force_login(editor_a)
    data = _rating_form(criteria, "2", **{"indicator-k2.q1.i1": "0", "evidence-k1.q1": "Survey of 40 families"})
    response = client.post(f"/en/practices/manage/{draft_a.pk}/rate/", data)
    rating = Rating.objects.get(practice=draft_a, rater=editor_a)
    assert response.headers["Location"] == f"/en/practices/manage/{draft_a.pk}/ratings/{rating.pk}/"
    assert rating.scores["k2.q1.i1"] == "0"
    assert rating.evidence == {"k1.q1": "Survey of 40 families"}
    body = client.get(response.headers["Location"]).content.decode()
    assert "Good practice" in body
    assert "Relevance and complementarity" in body and "89%" in body  # 16 of 18 points
    assert "Survey of 40 families" in body


def test_over_long_evidence_is_refused_and_kept(client, editor_a, draft_a, criteria):
    client.force_login(editor_a)
    data = _rating_form(criteria, "1", **{"evidence-k1.q1": "e" * 2001})
    response = client.post(f"/en/practices/manage/{draft_a.pk}/rate/", data)
    assert response.status_code == 400
    assert "Ensure this value has at most 2000 characters (it has 2001)." in response.content.decode()
    assert not Rating.objects.filter(practice=draft_a).exists()


def test_unknown_scores_are_ignored(draft_a, editor_a, criteria):
    rating = ratings.save_rating(draft_a, editor_a, criteria, {"k1.q1.i1": "7", "x.y": "2", "k1.q1.i2": "na"}, {})
    assert rating.scores == {"k1.q1.i2": "na"}


def test_consensus_shows_differences_and_an_editor_records_the_agreed_score(
    client, draft_a, editor_a, second_editor_a, criteria
):
    ratings.save_rating(draft_a, editor_a, criteria, all_scores(criteria, "2"), {})
    ratings.save_rating(draft_a, second_editor_a, criteria, {**all_scores(criteria, "2"), "k3.q1.i2": "0"}, {})
    client.force_login(editor_a)
    body = client.get(f"/en/practices/manage/{draft_a.pk}/consensus/").content.decode()
    assert "The members’ scorings differ on 1 indicator." in body
    assert body.count('class="differs"') == 1
    assert "second@a.example" in body
    response = client.post(f"/en/practices/manage/{draft_a.pk}/consensus/", _rating_form(criteria, "1"))
    consensus = Rating.objects.get(practice=draft_a, is_consensus=True)
    assert response.headers["Location"] == f"/en/practices/manage/{draft_a.pk}/ratings/{consensus.pk}/"
    assert set(consensus.scores.values()) == {"1"}
    assert consensus.updated_by == editor_a
    # Recording again changes the same agreed scoring.
    client.post(f"/en/practices/manage/{draft_a.pk}/consensus/", _rating_form(criteria, "2"))
    assert Rating.objects.filter(practice=draft_a, is_consensus=True).count() == 1


def test_consensus_query_count_does_not_grow_with_members(
    client, django_assert_num_queries, draft_a, editor_a, org_a, criteria
):
    ratings.save_rating(draft_a, editor_a, criteria, all_scores(criteria, "2"), {})
    client.force_login(editor_a)
    url = f"/en/practices/manage/{draft_a.pk}/consensus/"
    client.get(url)
    with django_assert_num_queries(4) as small:
        client.get(url)
    for index in range(5):
        member = member_of(org_a, Role.EDITOR, f"rater{index}@a.example")
        save_rating(draft_a, member, criteria, all_scores(criteria, "1"), {})
    with django_assert_num_queries(len(small.captured_queries)):
        body = client.get(url).content.decode()
    assert "rater4@a.example" in body


def test_manage_page_query_count_does_not_grow(client, django_assert_num_queries, submitted_a, editor_a, moderator):
    client.force_login(editor_a)
    url = f"/en/practices/manage/{submitted_a.pk}/"
    client.get(url)
    with django_assert_num_queries(6) as small:
        client.get(url)
    moderation.request_changes(submitted_a.current_version, moderator, "More detail")
    for _round in range(3):
        submissions.submit_for_review(submitted_a, editor_a)
        submitted_a.refresh_from_db()
        moderation.request_changes(submitted_a.current_version, moderator, "Again")
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_rating_exports_as_pdf_and_xlsx(client, editor_a, submitted_a):
    rating = Rating.objects.get(practice=submitted_a, rater=editor_a)
    client.force_login(editor_a)
    base = f"/en/practices/manage/{submitted_a.pk}/ratings/{rating.pk}/export"
    response = client.get(f"{base}.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Language café" in text
    assert "Good practice" in text
    assert "Survey 2024" in text
    response = client.get(f"{base}.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Profile", "Indicators"]
    profile = list(workbook["Profile"].values)
    assert profile[0] == ("Criterion", "Score %", "Threshold %", "Reaches threshold", "Points", "Points possible")
    assert profile[1] == ("Inclusiveness and participation", 100, 66, "yes", 22, 22)
    assert profile[-1][:4] == ("Overall", 100, None, "Good practice")
    indicators = list(workbook["Indicators"].values)
    assert len(indicators) == 35
    assert indicators[1][2:6] == ("k1.q1.i1", indicators[1][3], "Fully", "Survey 2024")
    assert client.get(f"{base}.csv").status_code == 404


def test_latvian_export_is_in_latvian(client, editor_a, submitted_a):
    rating = Rating.objects.get(practice=submitted_a, rater=editor_a)
    client.force_login(editor_a)
    response = client.get(f"/lv/practices/manage/{submitted_a.pk}/ratings/{rating.pk}/export.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] != "Profile"
