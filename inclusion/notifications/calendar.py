"""A member's actions and next rounds as an iCalendar feed (RFC 5545), written by hand.

Each event is a whole day (DTSTART;VALUE=DATE); text is escaped (backslash, semicolon,
comma, newline) and lines are folded at 75 octets without splitting a UTF-8 character.
The feed is reached at a secret URL; ``core.tokens`` makes the secret, only its hash is kept.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inclusion.assessments.models import UNFINISHED_STATUSES, Action, Assessment
from inclusion.core.tokens import hash_token, new_token
from inclusion.organisations.models import Membership, Role

from .due import next_round_due
from .models import CalendarFeed

TOKEN_PREFIX = "cal_"  # noqa: S105 - a recognisable prefix, not a secret


def new_feed(user) -> str:
    """A new secret address for the user (the old one stops working); the token, shown once."""
    token = new_token(TOKEN_PREFIX)
    CalendarFeed.objects.update_or_create(user=user, defaults={"token_hash": hash_token(token)})
    return token


def revoke_feed(user) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def user_for_token(token: str):
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=hash_token(token)).first()
    return feed.user if feed and feed.user.is_active else None


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines of at most 75 octets, continued with CRLF and a space (RFC 5545, 3.1)."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        limit = 75 if not out else 74  # continuation lines start with a space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _event(uid: str, day: datetime.date, summary: str, description: str, url: str, stamp: str) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + datetime.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(description)}",
        f"URL:{url}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def feed_for(user, language: str) -> str:
    """The calendar text: the user's unfinished actions with a due date (in organisations
    they belong to) and the next-round dates of the organisations they edit. Two queries."""
    base = settings.SITE_URL.rstrip("/")
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    host = base.split("//", 1)[-1]
    is_member = Exists(Membership.objects.filter(user=user, organisation_id=OuterRef("assessment__organisation_id")))
    actions = (
        Action.objects.filter(owner_user=user, status__in=UNFINISHED_STATUSES, due_date__isnull=False)
        .filter(is_member)
        .values_list("pk", "description", "due_date", "assessment__public_id", "assessment__organisation__name")
    )
    edits = Membership.objects.filter(
        user=user, organisation_id=OuterRef("organisation_id"), role__in=[Role.EDITOR, Role.OWNER]
    )
    rounds = (
        Assessment.objects.filter(next_round_months__gt=0, next__isnull=True, organisation__isnull=False)
        .filter(Exists(edits))
        .values_list(
            "pk", "public_id", "title", "round_number", "created_at", "next_round_months", "organisation__name"
        )
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Inclusion Toolkit//Notifications//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    with translation.override(language):
        lines.append(f"X-WR-CALNAME:{escape(_('Inclusion Toolkit'))}")
        for pk, description, due_date, public_id, organisation in actions:
            url = base + reverse("assessments:action_edit", args=[public_id, pk])
            summary = _("Due: %(action)s") % {"action": description}
            lines += _event(f"action-{pk}@{host}", due_date, summary, organisation, url, stamp)
        for pk, public_id, title, number, created_at, months, organisation in rounds:
            due = next_round_due(timezone.localdate(created_at), months)
            url = base + reverse("assessments:overview", args=[public_id])
            summary = _("Round %(round)s of “%(title)s” is due") % {"round": number + 1, "title": title}
            lines += _event(f"round-{pk}@{host}", due, summary, organisation, url, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
