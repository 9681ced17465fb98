"""What the staff usage page counts of practices: a table of its own, by status."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .models import Practice, PracticeVersion


@dataclass(frozen=True)
class StatusRow:
    status: str  # a lazy label, shown in the reader's language
    total: int
    from_handbook: int


def status_rows() -> list[StatusRow]:
    """Practices by the status of their current version (a published practice being edited
    counts as its draft), with how many of them are the handbook's own examples."""
    labels = dict(PracticeVersion._meta.get_field("status").flatchoices)
    counts = (
        Practice.objects.order_by()
        .values("current_version__status")
        .annotate(total=Count("pk"), from_handbook=Count("pk", filter=Q(handbook_key__isnull=False)))
    )
    by_status = {row["current_version__status"]: row for row in counts}
    rows = [
        StatusRow(label, by_status[status]["total"], by_status[status]["from_handbook"])
        for status, label in labels.items()
        if status in by_status
    ]
    if None in by_status:
        rows.append(StatusRow(_("No version yet"), by_status[None]["total"], by_status[None]["from_handbook"]))
    return rows
