"""What the staff usage page counts of organisations."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inclusion.core.usage import UsageRow, count_row

from .models import Organisation


def usage_rows(since: datetime.datetime) -> list[UsageRow]:
    return [count_row(_("Organisations"), Organisation.objects.all(), Q(created_at__gte=since))]
