"""send_notifications with Django's locmem mail backend: who gets what, in which language,
once; digests; the unsubscribe link."""

import datetime
import email
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from inclusion.assessments.models import ActionStatus
from inclusion.notifications.delivery import deliver
from inclusion.notifications.due import record_due
from inclusion.notifications.models import EmailStatus, Kind, Notification, Preference
from inclusion.organisations.models import Role
from inclusion.practices.models import ReviewMessage, VersionStatus
from tests.factories import (
    ActionFactory,
    AssessmentFactory,
    InvitationFactory,
    ModeratorFactory,
    PracticeVersionFactory,
    ReviewMessageFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://toolkit.example.org"


def run():
    call_command("send_notifications", stdout=io.StringIO())


def today():
    return timezone.localdate()


def test_action_due_goes_to_owner_and_editors_once(org_a, owner_a, editor_a, viewer_a, outsider):
    action = ActionFactory(
        assessment=AssessmentFactory(organisation=org_a),
        description="Translate the leaflet",
        due_date=today() + datetime.timedelta(days=5),
        owner_user=viewer_a,
    )
    ActionFactory(  # an outsider named as owner is not told anything
        assessment=AssessmentFactory(organisation=org_a),
        due_date=today() + datetime.timedelta(days=3),
        owner_user=outsider,
    )
    ActionFactory(assessment=AssessmentFactory(organisation=org_a), due_date=today() + datetime.timedelta(days=30))
    ActionFactory(
        assessment=AssessmentFactory(organisation=org_a),
        due_date=today() + datetime.timedelta(days=2),
        status=ActionStatus.DONE,
    )
    run()
    due = Notification.objects.filter(kind=Kind.ACTION_DUE, subject_key__startswith=f"action:{action.pk}:")
    assert set(due.values_list("recipient__email", flat=True)) == {owner_a.email, editor_a.email, viewer_a.email}
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([owner_a.email, editor_a.email, viewer_a.email])  # one e-mail each (a digest)
    assert outsider.email not in recipients
    viewer_mail = next(m for m in mail.outbox if m.to == [viewer_a.email])
    assert "Translate the leaflet" in viewer_mail.body
    assert (
        f"https://toolkit.example.org/lv/assessments/{action.assessment.public_id}/actions/{action.pk}/"
        in viewer_mail.body
    )

    mail.outbox.clear()
    run()
    assert mail.outbox == []
    assert Notification.objects.filter(email_status=EmailStatus.SENT).count() == Notification.objects.count()


def test_overdue_is_a_second_state_of_the_same_action(org_a, owner_a):
    action = ActionFactory(
        assessment=AssessmentFactory(organisation=org_a), due_date=today() + datetime.timedelta(days=1)
    )
    run()
    later = timezone.now() + datetime.timedelta(days=3)
    record_due(later)
    deliver(later)
    kinds = list(Notification.objects.filter(recipient=owner_a).order_by("pk").values_list("kind", flat=True))
    assert kinds == [Kind.ACTION_DUE, Kind.ACTION_OVERDUE]
    assert len(mail.outbox) == 2
    assert action.description in mail.outbox[1].body
    # And nothing more on later runs.
    record_due(later)
    deliver(later)
    assert len(mail.outbox) == 2


def test_email_has_text_and_html_parts_and_list_unsubscribe(org_a, owner_a):
    ActionFactory(assessment=AssessmentFactory(organisation=org_a), due_date=today() - datetime.timedelta(days=2))
    run()
    (message,) = mail.outbox
    assert message.alternatives[0].mimetype == "text/html"
    assert "<html" in message.alternatives[0].content
    parsed = email.message_from_bytes(message.message().as_bytes())
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(
        r"<https://toolkit\.example\.org/lv/notifications/unsubscribe/[^>]+/>", parsed["List-Unsubscribe"].strip()
    )
    assert parsed.is_multipart()


def test_language_of_the_member(org_a, owner_a, editor_a):
    Preference.objects.create(user=editor_a, language="en")
    ActionFactory(
        assessment=AssessmentFactory(organisation=org_a),
        description="Meet the council",
        due_date=today() - datetime.timedelta(days=2),
    )
    run()
    english = next(m for m in mail.outbox if m.to == [editor_a.email])
    latvian = next(m for m in mail.outbox if m.to == [owner_a.email])
    assert "overdue" in english.subject
    assert "/en/assessments/" in english.body
    assert "/lv/assessments/" in latvian.body
    assert english.extra_headers["Content-Language"] == "en"
    assert latvian.extra_headers["Content-Language"] == "lv"


def test_unsubscribe_link_works_without_signing_in(org_a, owner_a):
    ActionFactory(assessment=AssessmentFactory(organisation=org_a), due_date=today() - datetime.timedelta(days=2))
    run()
    (message,) = mail.outbox
    url = message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("https://toolkit.example.org")
    client = Client()
    page = client.get(url)
    assert page.status_code == 200
    assert Preference.objects.filter(user=owner_a).count() == 0  # a GET (link preview) changes nothing
    assert client.post(url).status_code == 200  # one click, as mail clients do (RFC 8058), no CSRF token
    assert Preference.objects.get(user=owner_a).kinds[Kind.ACTION_OVERDUE]["email"] is False
    # A new overdue action is recorded in the app but not e-mailed.
    mail.outbox.clear()
    ActionFactory(assessment=AssessmentFactory(organisation=org_a), due_date=today() - datetime.timedelta(days=1))
    run()
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=owner_a, email_status=EmailStatus.OFF).count() == 1


def test_tampered_unsubscribe_link_is_refused(org_a, owner_a):
    ActionFactory(assessment=AssessmentFactory(organisation=org_a), due_date=today() - datetime.timedelta(days=2))
    run()
    url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>").removeprefix("https://toolkit.example.org")
    token = url.rstrip("/").rsplit("/", 1)[1]
    forged = url.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))
    response = Client().post(forged)
    assert response.status_code == 400
    assert not Preference.objects.filter(user=owner_a).exists()


def test_invitation_accepted_tells_the_inviter(org_a, owner_a):
    InvitationFactory(
        organisation=org_a, invited_by=owner_a, email="new@example.org", accepted_at=timezone.now(), role=Role.VIEWER
    )
    run()
    (message,) = mail.outbox
    assert message.to == [owner_a.email]
    assert "new@example.org" in message.body


def test_practice_decision_tells_the_submitter_with_the_message(org_a, editor_a, owner_a):
    version = PracticeVersionFactory(
        practice__organisation=org_a, status=VersionStatus.CHANGES_REQUESTED, title="Buddy scheme"
    )
    ReviewMessageFactory(version=version, action=ReviewMessage.Action.SUBMITTED, author=editor_a)
    ReviewMessageFactory(version=version, action=ReviewMessage.Action.CHANGES_REQUESTED, text="Please add dates.")
    run()
    (message,) = mail.outbox
    assert message.to == [editor_a.email]
    assert "Buddy scheme" in message.body
    assert "Please add dates." in message.body


def test_moderators_get_a_daily_digest_of_waiting_submissions(org_a):
    moderator = ModeratorFactory()
    for title in ["First", "Second"]:
        PracticeVersionFactory(
            practice__organisation=org_a, status=VersionStatus.IN_REVIEW, title=title, submitted_at=timezone.now()
        )
    run()
    assert mail.outbox == []  # not yet: a daily digest by default
    assert Notification.objects.filter(recipient=moderator, kind=Kind.SUBMISSION_WAITING).count() == 2
    tomorrow = timezone.now() + datetime.timedelta(days=1, hours=1)
    deliver(tomorrow)
    (digest,) = mail.outbox
    assert digest.to == [moderator.email]
    assert "First" in digest.body
    assert "Second" in digest.body
    deliver(tomorrow)
    assert len(mail.outbox) == 1


def test_weekly_digest_waits_for_monday(org_a, owner_a):
    Preference.objects.create(user=owner_a, kinds={Kind.ACTION_OVERDUE: {"email": True, "frequency": "weekly"}})
    ActionFactory(assessment=AssessmentFactory(organisation=org_a), due_date=today() - datetime.timedelta(days=2))
    run()
    assert mail.outbox == []
    notification = Notification.objects.get(recipient=owner_a)
    assert timezone.localtime(notification.send_after).weekday() == 0
    deliver(notification.send_after)
    assert len(mail.outbox) == 1


def test_queries_do_not_grow_with_organisations(django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            organisation = AssessmentFactory().organisation
            member_of(organisation, Role.OWNER)
            ActionFactory(
                assessment=AssessmentFactory(organisation=organisation), due_date=today() - datetime.timedelta(days=1)
            )

    add(3)
    with django_assert_max_num_queries(30):
        run()
    add(12)
    with django_assert_max_num_queries(30):
        run()
    assert len(mail.outbox) == 15
