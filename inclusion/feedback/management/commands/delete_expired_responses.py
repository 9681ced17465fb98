"""Delete survey responses older than their survey's retention period. Meant for a daily
timer (docs/deploy.md). Idempotent, and safe on two machines at once: each run is one DELETE
per survey, and deleting rows that another run already deleted deletes nothing."""

import calendar
import datetime

from django.core.management.base import BaseCommand

from inclusion.feedback.models import Response, Survey
from inclusion.feedback.surveys import today


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` earlier (the month's last day where it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def delete_expired_responses(day=None) -> int:
    day = day or today()
    deleted = 0
    for survey_id, months in Survey.objects.values_list("pk", "retention_months").iterator():
        cutoff = months_before(day, months)
        count, _by_model = Response.objects.filter(survey_id=survey_id, submitted_on__lt=cutoff).delete()
        deleted += count
    return deleted


class Command(BaseCommand):
    help = "Delete survey responses (with their answers) older than their survey's retention period."

    def handle(self, *args, **options):
        deleted = delete_expired_responses()
        self.stdout.write(f"Deleted rows: {deleted}")
