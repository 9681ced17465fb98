"""The iCalendar feed at a secret address: parsed back, revocable, only one's own dates."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from inclusion.notifications.calendar import escape, fold
from inclusion.notifications.models import CalendarFeed
from tests.factories import ActionFactory, AssessmentFactory

pytestmark = pytest.mark.django_db


def parse(text: str) -> list[dict]:
    """A small RFC 5545 reader: checks CRLF and 75-octet lines, unfolds, unescapes, and
    returns the VEVENTs as {property name: value}."""
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    assert all(len(line.encode()) <= 75 for line in physical)
    logical = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    assert logical[0] == "BEGIN:VCALENDAR"
    assert logical[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in logical
    assert any(line.startswith("PRODID:") for line in logical)
    events, current = [], None
    for line in logical:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            value = value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
            current[name] = value
    return events


def test_fold_and_escape():
    line = "SUMMARY:" + escape("Pārrunāt, ar; pašvaldību\\" * 10)
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    assert escape("a,b;c\nd\\") == "a\\,b\\;c\\nd\\\\"


def test_feed_lists_own_actions_and_rounds_and_can_be_revoked(org_a, owner_a, owner_a_client, viewer_a):
    due = timezone.localdate() + datetime.timedelta(days=10)
    mine = ActionFactory(
        assessment=AssessmentFactory(organisation=org_a, next_round_months=12),
        description="Call the school, then; the clinic",
        due_date=due,
        owner_user=owner_a,
    )
    ActionFactory(assessment=AssessmentFactory(organisation=org_a), due_date=due, owner_user=viewer_a)
    page = owner_a_client.post(reverse("notifications:calendar"), {"action": "new"})
    assert page.status_code == 200
    url = page.context["feed_url"]
    assert "/notifications/calendar/cal_" in url
    path = url.split("testserver", 1)[1]
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    assert CalendarFeed.objects.get(user=owner_a).token_hash != token  # only the hash is kept

    from django.test import Client

    anonymous = Client()
    feed = anonymous.get(path)
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    events = parse(feed.content.decode())
    summaries = sorted(event["SUMMARY"] for event in events)
    assert len(events) == 2  # my action and the round; not the viewer's action
    action_event = next(e for e in events if e["UID"].startswith(f"action-{mine.pk}@"))
    assert "Call the school, then; the clinic" in action_event["SUMMARY"]
    assert action_event["DTSTART;VALUE=DATE"] == due.strftime("%Y%m%d")
    assert any("2" in summary for summary in summaries)

    # A new address replaces the old one; revoking stops it.
    owner_a_client.post(reverse("notifications:calendar"), {"action": "new"})
    assert anonymous.get(path).status_code == 404
    owner_a_client.post(reverse("notifications:calendar"), {"action": "revoke"})
    assert not CalendarFeed.objects.filter(user=owner_a).exists()


def test_wrong_token_is_404(client):
    assert client.get(reverse("notifications:calendar_feed", args=["cal_nothing"])).status_code == 404
