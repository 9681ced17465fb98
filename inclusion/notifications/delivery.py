"""E-mailing what is due: claim, send, mark — never lost, never twice.

A run claims the pending notifications that may leave (``send_after`` and the retry time
passed) for a set of recipients, in a transaction: on PostgreSQL with
``SELECT … FOR UPDATE SKIP LOCKED``, so a second machine running at the same moment takes
other rows; on SQLite (one writer at a time) with a conditional UPDATE that only takes rows
still pending. Everything claimed for one recipient leaves as one e-mail (a digest when
there are several). A mail server that fails puts the rows back to pending with one more
attempt and a later ``next_attempt_at``; a sent e-mail marks them sent.
"""

from __future__ import annotations

import contextlib
import datetime
import uuid
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .kinds import describe
from .models import EmailStatus, Kind, Notification
from .preferences import language_of, preferences_of, unsubscribe_token

RECIPIENTS_PER_BATCH = 200
# A claim older than this belongs to a run that died before it could mark its rows: the
# rows are taken again (the mail may, rarely, have left already — see docs/deploy.md).
STALE_CLAIM = datetime.timedelta(hours=1)
MAX_BACKOFF = datetime.timedelta(hours=6)


def backoff(attempts: int) -> datetime.timedelta:
    """5 minutes after the first failure, doubling, at most 6 hours."""
    return min(datetime.timedelta(minutes=5) * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _sendable(now) -> Q:
    waiting = Q(email_status=EmailStatus.PENDING, send_after__lte=now) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    stale = Q(email_status=EmailStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    return waiting | stale


def claim(now: datetime.datetime) -> tuple[str, list[Notification]]:
    """Take the sendable notifications of up to RECIPIENTS_PER_BATCH recipients."""
    token = uuid.uuid4().hex
    sendable = Notification.objects.filter(_sendable(now))
    recipients = list(
        sendable.order_by("recipient_id").values_list("recipient_id", flat=True).distinct()[:RECIPIENTS_PER_BATCH]
    )
    if not recipients:
        return token, []
    with transaction.atomic():
        rows = sendable.filter(recipient_id__in=recipients)
        if connection.features.has_select_for_update_skip_locked:
            ids = list(rows.select_for_update(skip_locked=True).values_list("pk", flat=True))
            Notification.objects.filter(pk__in=ids).update(
                email_status=EmailStatus.SENDING, claim=token, claimed_at=now
            )
        else:
            # SQLite: one writer at a time; the condition in the UPDATE takes only what no
            # other run has claimed meanwhile.
            rows.update(email_status=EmailStatus.SENDING, claim=token, claimed_at=now)
    claimed = list(
        Notification.objects.filter(claim=token, email_status=EmailStatus.SENDING).order_by("created_at", "pk")
    )
    return token, claimed


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _latest_totals_only(notifications: list[Notification]) -> list[Notification]:
    """Of several "new responses" items for one survey, the digest shows the latest total."""
    latest = {}
    for notification in notifications:
        if notification.kind == Kind.SURVEY_RESPONSES:
            key = tuple(notification.url_args)
            if key not in latest or (notification.params.get("total") or 0) > (latest[key].params.get("total") or 0):
                latest[key] = notification
    return [n for n in notifications if n.kind != Kind.SURVEY_RESPONSES or latest[tuple(n.url_args)] is n]


def build_message(user, notifications: list[Notification], language: str) -> EmailMultiAlternatives:
    notifications = _latest_totals_only(notifications)
    kinds = sorted({n.kind for n in notifications})
    with translation.override(language):
        items = []
        for notification in notifications:
            text = describe(notification, language)
            items.append({"title": text.title, "body": text.body, "url": _absolute(text.url) if text.url else ""})
        unsubscribe_all = _absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user.pk, kinds)]))
        per_kind = [
            {
                "label": Kind(kind).label,
                "url": _absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user.pk, [kind])])),
            }
            for kind in kinds
        ]
        context = {
            "items": items,
            "unsubscribe": per_kind,
            "preferences_url": _absolute(reverse("notifications:preferences")),
            "notifications_url": _absolute(reverse("notifications:list")),
            "language": language,
        }
        if len(items) == 1:
            subject = items[0]["title"]
        else:
            subject = ngettext("%(count)d notification", "%(count)d notifications", len(items)) % {"count": len(items)}
        subject = _("Inclusion Toolkit: %(subject)s") % {"subject": subject}
        text_body = render_to_string("notifications/email/notifications.txt", context)
        html_body = render_to_string("notifications/email/notifications.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text_body,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_all}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Content-Language": language,
        },
    )
    message.attach_alternative(html_body, "text/html")
    return message


def _mark_sent(ids: list[int], now) -> None:
    Notification.objects.filter(pk__in=ids).update(email_status=EmailStatus.SENT, sent_at=now, claim="", last_error="")


def _mark_failed(notifications: list[Notification], now, error: str) -> None:
    by_attempts = defaultdict(list)
    for notification in notifications:
        by_attempts[notification.attempts + 1].append(notification.pk)
    for attempts, ids in by_attempts.items():
        Notification.objects.filter(pk__in=ids).update(
            email_status=EmailStatus.PENDING,
            attempts=attempts,
            next_attempt_at=now + backoff(attempts),
            claim="",
            last_error=error[:300],
        )


def send_claimed(claimed: list[Notification], now) -> tuple[int, int]:
    """E-mail what was claimed, one message per recipient; (e-mails sent, e-mails failed)."""
    by_recipient = defaultdict(list)
    for notification in claimed:
        by_recipient[notification.recipient_id].append(notification)
    users = get_user_model().objects.in_bulk(list(by_recipient))
    preferences = preferences_of(by_recipient)
    sent = failed = 0
    done: list[int] = []
    off: list[int] = []
    try:
        mail = get_connection()
        mail.open()
    except OSError as error:
        _mark_failed(claimed, now, f"{type(error).__name__}: {error}")
        return 0, len(by_recipient)
    try:
        for recipient_id, notifications in by_recipient.items():
            user = users.get(recipient_id)
            if user is None or not user.email or not user.is_active:
                off.extend(n.pk for n in notifications)
                continue
            message = build_message(user, notifications, language_of(preferences.get(recipient_id)))
            message.connection = mail
            try:
                message.send()
            except Exception as error:  # noqa: BLE001 - any failure of the mail server: retry later
                _mark_failed(notifications, now, f"{type(error).__name__}: {error}")
                failed += 1
                continue
            done.extend(n.pk for n in notifications)
            sent += 1
    finally:
        with contextlib.suppress(Exception):  # the messages are sent (or marked) already
            mail.close()
        _mark_sent(done, now)
        Notification.objects.filter(pk__in=off).update(email_status=EmailStatus.OFF, claim="")
    return sent, failed


def deliver(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Send everything that may leave now; (e-mails sent, e-mails that failed)."""
    now = now or timezone.now()
    sent = failed = 0
    while True:
        _token, claimed = claim(now)
        if not claimed:
            return sent, failed
        batch_sent, batch_failed = send_claimed(claimed, now)
        sent += batch_sent
        failed += batch_failed
