"""Two runs of send_notifications at the same moment (two machines) send nothing twice:
on PostgreSQL they claim rows with SELECT … FOR UPDATE SKIP LOCKED."""

import datetime
import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from inclusion.notifications.delivery import deliver
from inclusion.notifications.due import record_due
from inclusion.notifications.models import EmailStatus, Notification
from inclusion.organisations.models import Role
from tests.factories import ActionFactory, AssessmentFactory, member_of


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_send_nothing_twice():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent claims are exercised on PostgreSQL (SQLite has one writer at a time)")
    for _ in range(30):
        organisation = AssessmentFactory().organisation
        member_of(organisation, Role.OWNER)
        member_of(organisation, Role.EDITOR)
        ActionFactory(
            assessment=AssessmentFactory(organisation=organisation),
            due_date=timezone.localdate() - datetime.timedelta(days=1),
        )
    now = timezone.now()
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            record_due(now)
            deliver(now)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # Whatever one run left to the other, a last run finishes it.
    deliver(now)
    assert Notification.objects.count() == 60
    assert Notification.objects.filter(email_status=EmailStatus.SENT).count() == 60
    per_recipient = Counter(address for message in mail.outbox for address in message.to)
    assert len(per_recipient) == 60
    assert set(per_recipient.values()) == {1}
