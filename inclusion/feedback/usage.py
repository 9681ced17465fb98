"""What the staff usage page counts of feedback surveys."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inclusion.core.usage import UsageRow, count_row

from .models import Response, Survey


def usage_rows(since: datetime.datetime) -> list[UsageRow]:
    return [
        count_row(_("Surveys"), Survey.objects.all(), Q(created_at__gte=since)),
        count_row(_("Survey responses"), Response.objects.all(), Q(submitted_on__gte=since.date())),
    ]
