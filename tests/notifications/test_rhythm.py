"""The rhythm: the next round (cadence chosen when starting a round) and feedback."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from inclusion.assessments.models import Assessment
from inclusion.notifications.delivery import deliver
from inclusion.notifications.due import add_months, record_due
from inclusion.notifications.models import Kind, Notification
from inclusion.organisations.models import Organisation
from tests.factories import AssessmentFactory, ResponseFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def kinds_for(user, *only):
    notifications = Notification.objects.filter(recipient=user)
    if only:
        notifications = notifications.filter(kind__in=only)
    return sorted(notifications.values_list("kind", flat=True))


ROUNDS = (Kind.ROUND_DUE, Kind.ROUND_DUE_SOON)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def test_add_months_clamps_the_day():
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 3, 15), -6) == datetime.date(2025, 9, 15)


def test_cadence_is_chosen_when_starting_and_starting_the_next_round(owner_a_client, org_a, edition):
    response = owner_a_client.post(
        reverse("assessments:start"),
        {"title": "Welcome desk", "organisation_kind": "ngo", "organisation": org_a.pk, "next_round_months": "6"},
    )
    assert response.status_code == 302
    first = Assessment.objects.get(title="Welcome desk")
    assert first.next_round_months == 6
    overview = owner_a_client.get(reverse("assessments:overview", args=[first.public_id])).content.decode()
    assert 'name="next_round_months"' in overview
    owner_a_client.post(reverse("assessments:new_round", args=[first.public_id]), {"next_round_months": "12"})
    assert Assessment.objects.get(previous=first).next_round_months == 12


def test_round_reminders_14_days_before_and_on_the_day(org_a, owner_a, editor_a, viewer_a):
    assessment = AssessmentFactory(organisation=org_a, next_round_months=6)
    started = timezone.localdate(assessment.created_at)
    due = add_months(started, 6)
    record_due(at(due - datetime.timedelta(days=20)))
    assert kinds_for(owner_a, *ROUNDS) == []
    record_due(at(due - datetime.timedelta(days=14)))
    record_due(at(due - datetime.timedelta(days=10)))
    assert kinds_for(owner_a, *ROUNDS) == [Kind.ROUND_DUE_SOON]
    record_due(at(due))
    record_due(at(due + datetime.timedelta(days=1)))
    assert kinds_for(owner_a, *ROUNDS) == [Kind.ROUND_DUE, Kind.ROUND_DUE_SOON]
    assert kinds_for(editor_a, *ROUNDS) == [Kind.ROUND_DUE, Kind.ROUND_DUE_SOON]
    assert kinds_for(viewer_a, *ROUNDS) == []


def test_no_round_reminder_without_cadence_or_once_the_next_round_exists(org_a, owner_a):
    AssessmentFactory(organisation=org_a, next_round_months=0)
    done = AssessmentFactory(organisation=org_a, next_round_months=6)
    AssessmentFactory(organisation=org_a, previous=done, series=done.series, round_number=2)
    record_due(at(add_months(timezone.localdate(), 6)))
    assert kinds_for(owner_a, *ROUNDS) == []


def test_no_survey_in_six_months_tells_owners_once_a_half_year(org_a, owner_a, editor_a):
    Organisation.objects.filter(pk=org_a.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
    SurveyFactory(
        organisation=org_a,
        opens_on=timezone.localdate() - datetime.timedelta(days=300),
        closes_on=timezone.localdate() - datetime.timedelta(days=200),
    )
    record_due()
    record_due()
    assert kinds_for(owner_a) == [Kind.FEEDBACK_NONE]
    assert kinds_for(editor_a) == []


def test_recent_survey_means_no_reminder_and_closing_soon_tells_editors(org_a, owner_a, editor_a, viewer_a):
    Organisation.objects.filter(pk=org_a.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
    SurveyFactory(organisation=org_a, closes_on=timezone.localdate() + datetime.timedelta(days=2))
    record_due()
    assert kinds_for(owner_a) == [Kind.SURVEY_CLOSING]
    assert kinds_for(editor_a) == [Kind.SURVEY_CLOSING]
    assert kinds_for(viewer_a) == []


def test_you_said_we_did_not_published_30_days_after_closing(org_a, owner_a, editor_a):
    closed = timezone.localdate() - datetime.timedelta(days=31)
    SurveyFactory(
        organisation=org_a, title="Library visits", opens_on=closed - datetime.timedelta(10), closes_on=closed
    )
    SurveyFactory(
        organisation=org_a, opens_on=closed - datetime.timedelta(10), closes_on=closed, changes_published=True
    )
    record_due()
    notification = Notification.objects.get(recipient=owner_a, kind=Kind.CHANGES_NOT_PUBLISHED)
    assert notification.params["title"] == "Library visits"
    assert kinds_for(editor_a) == []


def test_new_responses_digest_never_reveals_a_group_under_five(org_a, owner_a):
    survey = SurveyFactory(organisation=org_a, title="Clinic")
    for _ in range(4):
        ResponseFactory(survey=survey)
    record_due()
    assert not Notification.objects.filter(kind=Kind.SURVEY_RESPONSES).exists()
    for _ in range(3):
        ResponseFactory(survey=survey)
    record_due()  # 7 responses: announced as "at least 5"
    for _ in range(5):
        ResponseFactory(survey=survey)
    record_due()  # 12: "at least 10" — never a step under 5
    totals = sorted(n.params["total"] for n in Notification.objects.filter(kind=Kind.SURVEY_RESPONSES))
    assert totals == [5, 10]
    assert all(total % 5 == 0 for total in totals)
    call_command("send_notifications", stdout=io.StringIO())
    assert mail.outbox == []  # a daily digest, never one mail per response
    deliver(timezone.now() + datetime.timedelta(days=1, hours=1))
    (digest,) = mail.outbox
    # In the member's language, Latvian unless they chose English: "at least 10".
    assert "vismaz 10" in digest.body
    assert "vismaz 5" not in digest.body  # the digest shows the latest total only
    assert "12 " not in digest.body  # the exact total is never given
