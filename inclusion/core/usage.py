"""Usage figures for platform staff: how many people, organisations and records there are.

A fixed handful of aggregate queries, whatever the amount of data. Apps that are not
installed (practices, feedback) are left out rather than failing.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

RECENT_DAYS = 30


@dataclass(frozen=True)
class UsageRow:
    label: str
    total: int
    recent: int | None = None  # created in the last RECENT_DAYS days; None where not tracked


@dataclass(frozen=True)
class PracticeStatusRow:
    status: str  # a lazy label, shown in the reader's language
    total: int
    from_handbook: int


@dataclass(frozen=True)
class Usage:
    since: datetime.datetime
    rows: list[UsageRow]
    recent_sign_ins: int
    practices: list[PracticeStatusRow] | None  # None when the practices app is not installed


def _model(app_label: str, model_name: str):
    if not apps.is_installed(f"inclusion.{app_label}"):
        return None
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def _totals(queryset, recent_filter: Q | None = None) -> dict:
    aggregates = {"total": Count("pk")}
    if recent_filter is not None:
        aggregates["recent"] = Count("pk", filter=recent_filter)
    return queryset.aggregate(**aggregates)


def count_usage(now: datetime.datetime | None = None) -> Usage:
    now = now or timezone.now()
    since = now - datetime.timedelta(days=RECENT_DAYS)
    rows = []

    users = get_user_model().objects.aggregate(
        total=Count("pk"),
        recent=Count("pk", filter=Q(date_joined__gte=since)),
        signed_in=Count("pk", filter=Q(last_login__gte=since)),
    )
    rows.append(UsageRow(_("Users"), users["total"], users["recent"]))

    for app_label, model_name, label, recent_filter in [
        ("organisations", "Organisation", _("Organisations"), Q(created_at__gte=since)),
        ("assessments", "Assessment", _("Self-assessments (rounds)"), Q(created_at__gte=since)),
        ("assessments", "Answer", _("Answers in self-assessments"), None),
        ("feedback", "Survey", _("Surveys"), Q(created_at__gte=since)),
        ("feedback", "Response", _("Survey responses"), Q(submitted_on__gte=since.date())),
    ]:
        model = _model(app_label, model_name)
        if model is not None:
            counts = _totals(model.objects.all(), recent_filter)
            rows.append(UsageRow(label, counts["total"], counts.get("recent")))

    return Usage(since=since, rows=rows, recent_sign_ins=users["signed_in"], practices=_practice_statuses())


def _practice_statuses() -> list[PracticeStatusRow] | None:
    """Practices by the status of their current version (a published practice being edited
    counts as its draft), with how many of them are the handbook's own examples."""
    practice = _model("practices", "Practice")
    version = _model("practices", "PracticeVersion")
    if practice is None or version is None:
        return None
    labels = dict(version._meta.get_field("status").flatchoices)
    counts = (
        practice.objects.order_by()
        .values("current_version__status")
        .annotate(total=Count("pk"), from_handbook=Count("pk", filter=Q(handbook_key__isnull=False)))
    )
    by_status = {row["current_version__status"]: row for row in counts}
    rows = [
        PracticeStatusRow(label, by_status[status]["total"], by_status[status]["from_handbook"])
        for status, label in labels.items()
        if status in by_status
    ]
    if None in by_status:
        rows.append(PracticeStatusRow(_("No version yet"), by_status[None]["total"], by_status[None]["from_handbook"]))
    return rows
