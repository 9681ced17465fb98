"""What the staff usage page counts of self-assessments."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inclusion.core.usage import UsageRow, count_row

from .models import Answer, Assessment


def usage_rows(since: datetime.datetime) -> list[UsageRow]:
    return [
        count_row(_("Self-assessments (rounds)"), Assessment.objects.all(), Q(created_at__gte=since)),
        count_row(_("Answers in self-assessments"), Answer.objects.all()),
    ]
