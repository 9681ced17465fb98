"""send_notifications against a real SMTP server on this machine (aiosmtpd, on a free port):
a server that is down, then one that refuses, leaves the notification pending with a retry
count and backoff; once the server accepts, it is sent exactly once."""

import datetime
import socket

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from inclusion.notifications.delivery import backoff, deliver
from inclusion.notifications.due import record_due
from inclusion.notifications.models import EmailStatus, Notification
from tests.factories import ActionFactory, AssessmentFactory

pytestmark = pytest.mark.django_db


class RefuseFirst:
    """Answers the first message with a temporary failure (451), accepts the next ones."""

    def __init__(self, refusals: int):
        self.refusals = refusals
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        if self.refusals:
            self.refusals -= 1
            return "451 4.3.0 Try again later"
        self.received.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 5
    controllers = []

    def start(handler):
        controller = Controller(handler, hostname="127.0.0.1", port=settings.EMAIL_PORT)
        controller.start()
        controllers.append(controller)
        return handler

    yield start
    for controller in controllers:
        controller.stop()


def test_down_then_refusing_then_accepting_server_sends_once(smtp, org_a, owner_a):
    ActionFactory(
        assessment=AssessmentFactory(organisation=org_a),
        description="Open the helpdesk",
        due_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    now = timezone.now()
    record_due(now)

    # 1. Nothing listens on the port: connection refused.
    assert deliver(now) == (0, 1)
    notification = Notification.objects.get(recipient=owner_a)
    assert notification.email_status == EmailStatus.PENDING
    assert notification.attempts == 1
    assert notification.next_attempt_at == now + backoff(1)
    assert "Connection" in notification.last_error or "refused" in notification.last_error.lower()
    assert deliver(now) == (0, 0)  # not before the backoff

    # 2. The server answers, but refuses the message the first time.
    handler = smtp(RefuseFirst(refusals=1))
    later = notification.next_attempt_at
    assert deliver(later) == (0, 1)
    notification.refresh_from_db()
    assert (notification.email_status, notification.attempts) == (EmailStatus.PENDING, 2)
    assert notification.next_attempt_at == later + backoff(2)
    assert handler.received == []

    # 3. It accepts: sent once, and never again.
    last = notification.next_attempt_at
    assert deliver(last) == (1, 0)
    assert deliver(last + datetime.timedelta(days=1)) == (0, 0)
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    (envelope,) = handler.received
    assert envelope.rcpt_tos == [owner_a.email]
    assert b"Open the helpdesk" in envelope.content or b"Open the helpdesk" in envelope.original_content
