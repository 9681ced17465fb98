"""Usage figures for platform staff: how many people, organisations and records there are.

Each app counts its own records (``usage_rows(since)`` in its usage.py); this module puts
them in the page's order. A fixed handful of aggregate queries, whatever the amount of data.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inclusion.assessments import usage as assessments_usage
from inclusion.core.usage import UsageRow
from inclusion.feedback import usage as feedback_usage
from inclusion.organisations import usage as organisations_usage
from inclusion.practices import usage as practices_usage

RECENT_DAYS = 30


@dataclass(frozen=True)
class Usage:
    since: datetime.datetime
    rows: list[UsageRow]
    recent_sign_ins: int
    practices: list[practices_usage.StatusRow]


def count_usage(now: datetime.datetime | None = None) -> Usage:
    now = now or timezone.now()
    since = now - datetime.timedelta(days=RECENT_DAYS)
    users = get_user_model().objects.aggregate(
        total=Count("pk"),
        recent=Count("pk", filter=Q(date_joined__gte=since)),
        signed_in=Count("pk", filter=Q(last_login__gte=since)),
    )
    rows = [
        UsageRow(_("Users"), users["total"], users["recent"]),
        *organisations_usage.usage_rows(since),
        *assessments_usage.usage_rows(since),
        *feedback_usage.usage_rows(since),
    ]
    return Usage(since=since, rows=rows, recent_sign_ins=users["signed_in"], practices=practices_usage.status_rows())
