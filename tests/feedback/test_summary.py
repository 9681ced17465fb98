"""What refugees said, beside the team's own answers in the self-assessment summary."""

import datetime

import pytest
from django.core.cache import cache

from inclusion.assessments.rounds import start_assessment
from inclusion.core import fragments
from inclusion.feedback.results import organisation_feedback
from inclusion.feedback.surveys import today as surveys_today
from inclusion.handbook.services import get_handbook, import_content

from .conftest import make_survey
from .test_views import _seed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def handbook_in_db(db):
    import_content(get_handbook())


@pytest.fixture
def assessment(org_a, editor_a):
    assessment, _token = start_assessment(title="Reception", organisation_kind="ngo", organisation=org_a, user=editor_a)
    return assessment


def _a_minute_later():
    """What expires after FEEDBACK_CACHE_SECONDS, in both tiers."""
    cache.clear()
    fragments.clear()


def _area_section(page, area):
    start = page.index(f'id="result-{area}"')
    return page[start : page.index("</section>", start)]


def test_summary_shows_refugee_feedback_per_area_from_five_responses(client, org_a, editor_a, assessment):
    survey = make_survey(org_a)
    _seed(survey, 4)
    client.force_login(editor_a)
    url = f"/en/assessments/{assessment.public_id}/summary/"
    page = client.get(url).content.decode()
    assert "How was the help you received from us?" not in page
    # Issue 10: the number of responses is itself a group of fewer than five.
    assert "Feedback surveys run: 1. Responses: fewer than 5." in _area_section(page, "a4")
    assert "Answers are shown here once there are at least 5." in _area_section(page, "a4")

    _seed(survey, 1)
    # What refugees said is read at most FEEDBACK_CACHE_SECONDS (a minute) old: the fifth
    # response shows once that has passed.
    assert "Responses: fewer than 5." in _area_section(client.get(url).content.decode(), "a4")
    _a_minute_later()
    page = client.get(url).content.decode()
    area1 = _area_section(page, "a1")
    assert "What refugees said in the last 12 months" in area1
    assert "How was the help you received from us?" in area1
    assert "average" not in area1  # five answers 1, 2, 3, 4, 5: each is a group of one
    assert "Language (5), Opening hours (5)" in area1
    assert "% yes" not in _area_section(page, "a2")  # 4 yes, 1 no: both hidden
    assert "Feedback surveys run: 1. Responses: 5." in _area_section(page, "a4")

    _seed(survey, 25)
    _a_minute_later()
    page = client.get(url).content.decode()
    area1 = _area_section(page, "a1")
    assert "average 2.9 of 5" in area1
    assert "Did our staff treat you with respect?" in _area_section(page, "a2")
    assert "70% yes" in _area_section(page, "a2")
    assert "What refugees said" not in _area_section(page, "a3")
    assert "Feedback surveys run: 1. Responses: 30." in _area_section(page, "a4")
    assert "Good staff" not in page  # written answers never reach the summary


def test_summary_counts_only_the_last_twelve_months_and_this_organisation(org_a, org_b):
    today = surveys_today()
    old = make_survey(org_a, opens_on=today - datetime.timedelta(days=800),
                      closes_on=today - datetime.timedelta(days=400))  # fmt: skip
    _seed(old, 20, day=today - datetime.timedelta(days=500))
    _seed(make_survey(org_b), 20)
    feedback = organisation_feedback(org_a, "en")
    assert (feedback.activity.surveys, feedback.activity.responses) == (0, 0)
    assert feedback.by_area == {}
    current = make_survey(org_a)
    _seed(current, 6)
    feedback = organisation_feedback(org_a, "lv")
    assert (feedback.activity.surveys, feedback.activity.responses) == (1, 6)
    assert feedback.by_area["a1"][0].text == "Kā jūs vērtējat palīdzību, ko saņēmāt no mums?"


def test_summary_queries_stay_constant_with_more_feedback(
    client, org_a, editor_a, assessment, django_assert_num_queries
):
    survey = make_survey(org_a)
    _seed(survey, 5)
    client.force_login(editor_a)
    url = f"/en/assessments/{assessment.public_id}/summary/"
    client.get(url)
    cache.clear()  # the page as rendered, not from the summary cache (assessments.summary)
    fragments.clear()
    # 9 with the networks' benchmarks panel.
    with django_assert_num_queries(9) as small:
        client.get(url)
    for index in range(3):
        _seed(make_survey(org_a, title=f"S{index}"), 40)
    cache.clear()
    fragments.clear()
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)
