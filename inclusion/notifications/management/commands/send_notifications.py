"""Record what is due and e-mail what may leave: run it from a timer every few minutes.

Idempotent and safe on two machines at once (see inclusion/notifications/due.py and
delivery.py): nothing is recorded or sent twice.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from inclusion.notifications.delivery import deliver
from inclusion.notifications.due import record_due


class Command(BaseCommand):
    help = "Record due notifications (actions, invitations, practice decisions, review queue) and e-mail them."

    def handle(self, *args, **options):
        now = timezone.now()
        recorded = record_due(now)
        sent, failed = deliver(now)
        self.stdout.write(f"recorded {recorded}, e-mails sent {sent}, failed {failed} (to retry)")
