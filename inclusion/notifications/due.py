"""What is due: each kind is found by one set-based scan of the domains' own data.

No domain app imports this one; the scans read the domains' models and their timestamps.
Each ``scan_*`` function makes a bounded number of queries, whatever the number of
organisations, and yields ``Candidate``s; ``record_due`` inserts those not yet recorded
with ``bulk_create(ignore_conflicts=True)`` — the unique (kind, subject, recipient)
constraint makes a second run, or a concurrent one, insert nothing twice.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from inclusion.assessments.models import UNFINISHED_STATUSES, Action, Assessment
from inclusion.core.suppression import MIN_GROUP_SIZE, is_publishable, shown_total
from inclusion.feedback.models import Response, Survey
from inclusion.organisations.models import Invitation, Membership, Organisation, Role
from inclusion.practices.models import PracticeVersion, ReviewMessage, VersionStatus

from .models import EmailStatus, Kind, Notification, Preference
from .preferences import choices_for, send_after

DUE_SOON_DAYS = 7
# Older events are not announced (a first run on an old database stays quiet).
RECENT = datetime.timedelta(days=30)
OVERDUE_HORIZON = datetime.timedelta(days=365)
BATCH = 2000


@dataclass
class Candidate:
    kind: str
    subject_key: str
    recipients: set[int]
    url_name: str
    url_args: list
    params: dict = field(default_factory=dict)


def _editors_by_organisation(organisation_ids) -> dict[int, set[int]]:
    editors = defaultdict(set)
    rows = Membership.objects.filter(organisation_id__in=organisation_ids, role__in=[Role.EDITOR, Role.OWNER])
    for organisation_id, user_id in rows.values_list("organisation_id", "user_id").iterator(chunk_size=BATCH):
        editors[organisation_id].add(user_id)
    return editors


def scan_actions(today: datetime.date) -> Iterator[Candidate]:
    """Actions due within 7 days and overdue ones → their owner (if a member) and the
    organisation's editors and owners; once per action per state (and due date)."""
    unfinished = Action.objects.filter(
        status__in=UNFINISHED_STATUSES,
        assessment__organisation__isnull=False,
        due_date__gte=today - OVERDUE_HORIZON,
        due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
    )
    editors = _editors_by_organisation(Subquery(unfinished.values("assessment__organisation_id")))
    owner_is_member = Exists(
        Membership.objects.filter(
            user_id=OuterRef("owner_user_id"), organisation_id=OuterRef("assessment__organisation_id")
        )
    )
    rows = unfinished.annotate(owner_is_member=owner_is_member).values_list(
        "pk",
        "description",
        "due_date",
        "owner_user_id",
        "owner_is_member",
        "assessment__organisation_id",
        "assessment__organisation__name",
        "assessment__public_id",
    )
    for pk, description, due_date, owner_id, owner_is_member, organisation_id, name, public_id in rows.iterator(
        chunk_size=BATCH
    ):
        recipients = set(editors.get(organisation_id, ()))
        if owner_id and owner_is_member:
            recipients.add(owner_id)
        kind = Kind.ACTION_OVERDUE if due_date < today else Kind.ACTION_DUE
        yield Candidate(
            kind=kind,
            subject_key=f"action:{pk}:{due_date.isoformat()}",
            recipients=recipients,
            url_name="assessments:action_edit",
            url_args=[str(public_id), pk],
            params={"description": description[:300], "due_date": due_date.isoformat(), "organisation": name},
        )


def scan_invitations(now: datetime.datetime) -> Iterator[Candidate]:
    """An invitation accepted in the last 30 days → whoever sent it."""
    rows = Invitation.objects.filter(accepted_at__gte=now - RECENT, invited_by__isnull=False).values_list(
        "pk", "email", "invited_by_id", "organisation__name", "organisation__slug"
    )
    for pk, email, inviter_id, name, slug in rows.iterator(chunk_size=BATCH):
        yield Candidate(
            kind=Kind.INVITATION_ACCEPTED,
            subject_key=f"invitation:{pk}",
            recipients={inviter_id},
            url_name="organisations:members",
            url_args=[slug],
            params={"email": email, "organisation": name},
        )


DECISIONS = [ReviewMessage.Action.PUBLISHED, ReviewMessage.Action.CHANGES_REQUESTED, ReviewMessage.Action.REJECTED]


def scan_decisions(now: datetime.datetime) -> Iterator[Candidate]:
    """A moderator's decision in the last 30 days → the member who submitted that version."""
    submitter = (
        ReviewMessage.objects.filter(version_id=OuterRef("version_id"), action=ReviewMessage.Action.SUBMITTED)
        .order_by("-created_at", "-pk")
        .values("author_id")[:1]
    )
    rows = (
        ReviewMessage.objects.filter(action__in=DECISIONS, created_at__gte=now - RECENT)
        .annotate(submitter=Subquery(submitter))
        .values_list("pk", "action", "text", "submitter", "version__created_by_id", "practice_id", "version__content")
    )
    for pk, action, text, submitter_id, creator_id, practice_id, content in rows.iterator(chunk_size=BATCH):
        recipient = submitter_id or creator_id
        if not recipient:
            continue
        yield Candidate(
            kind=Kind.PRACTICE_DECISION,
            subject_key=f"review:{pk}",
            recipients={recipient},
            url_name="practices:manage",
            url_args=[practice_id],
            params={"title": (content or {}).get("title") or {}, "decision": action, "message": text[:2000]},
        )


def moderator_ids() -> set[int]:
    permission = Permission.objects.filter(content_type__app_label="practices", codename="moderate_practice")
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__permissions__in=permission) | Q(user_permissions__in=permission))
    )
    return set(users.values_list("pk", flat=True).distinct())


def scan_submissions() -> Iterator[Candidate]:
    """A version waiting for review → every moderator (a daily digest by default)."""
    rows = PracticeVersion.objects.filter(status=VersionStatus.IN_REVIEW, practice__organisation__isnull=False)
    moderators = moderator_ids()
    for pk, content, submitted_at, name in rows.values_list(
        "pk", "content", "submitted_at", "practice__organisation__name"
    ).iterator(chunk_size=BATCH):
        submitted = submitted_at or timezone.now()
        yield Candidate(
            kind=Kind.SUBMISSION_WAITING,
            subject_key=f"submission:{pk}:{submitted.isoformat(timespec='seconds')}",
            recipients=moderators,
            url_name="practices:review",
            url_args=[pk],
            params={
                "title": (content or {}).get("title") or {},
                "organisation": name,
                "submitted_on": timezone.localdate(submitted).isoformat(),
            },
        )


def scan_all(now: datetime.datetime) -> Iterator[Candidate]:
    today = timezone.localdate(now)
    yield from scan_actions(today)
    yield from scan_invitations(now)
    yield from scan_decisions(now)
    yield from scan_submissions()
    yield from scan_rounds(today)
    yield from scan_feedback(today)
    yield from scan_responses(today)


def _known(kinds: Iterable[str]) -> set[tuple[str, str, int]]:
    """What is already recorded for these kinds, so a second run does not even try."""
    rows = Notification.objects.filter(kind__in=list(kinds)).values_list("kind", "subject_key", "recipient_id")
    return set(rows.iterator(chunk_size=10 * BATCH))


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def record_due(now: datetime.datetime | None = None, candidates: Iterable[Candidate] | None = None) -> int:
    """Insert the notifications that are due and not yet recorded; the number inserted
    (an estimate when another run inserts the same ones at the same time)."""
    now = now or timezone.now()
    candidates = scan_all(now) if candidates is None else candidates
    known = _known(Kind.values)
    preferences = {p.user_id: p for p in Preference.objects.all().iterator(chunk_size=BATCH)}

    def rows():
        for candidate in candidates:
            for recipient in candidate.recipients:
                if (candidate.kind, candidate.subject_key, recipient) in known:
                    continue
                chosen = choices_for(preferences.get(recipient), candidate.kind)
                yield Notification(
                    kind=candidate.kind,
                    subject_key=candidate.subject_key,
                    recipient_id=recipient,
                    url_name=candidate.url_name,
                    url_args=candidate.url_args,
                    params=candidate.params,
                    created_at=now,
                    email_status=EmailStatus.PENDING if chosen["email"] else EmailStatus.OFF,
                    send_after=send_after(chosen["frequency"], now),
                )

    inserted = 0
    for chunk in _chunks(rows(), BATCH):
        Notification.objects.bulk_create(chunk, ignore_conflicts=True)
        inserted += len(chunk)
    return inserted


# --- the rhythm: rounds and feedback ---

ROUND_SOON_DAYS = 14
SURVEY_CLOSING_DAYS = 3
FEEDBACK_GAP_MONTHS = 6
CHANGES_AFTER_DAYS = 30


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def next_round_due(started: datetime.date, months: int) -> datetime.date | None:
    return add_months(started, months) if months else None


def scan_rounds(today: datetime.date) -> Iterator[Candidate]:
    """The latest round of a series with a rhythm → owners and editors, 14 days before the
    next round is due and on the day (not for dates more than 30 days past)."""
    latest = Assessment.objects.filter(organisation__isnull=False, next_round_months__gt=0, next__isnull=True)
    editors = _editors_by_organisation(Subquery(latest.values("organisation_id")))
    rows = latest.values_list(
        "pk",
        "public_id",
        "title",
        "round_number",
        "created_at",
        "next_round_months",
        "organisation_id",
        "organisation__name",
    )
    for pk, public_id, title, number, created_at, months, organisation_id, name in rows.iterator(chunk_size=BATCH):
        due = next_round_due(timezone.localdate(created_at), months)
        if due is None or today < due - datetime.timedelta(days=ROUND_SOON_DAYS) or today > due + RECENT:
            continue
        kind = Kind.ROUND_DUE if today >= due else Kind.ROUND_DUE_SOON
        yield Candidate(
            kind=kind,
            subject_key=f"round:{pk}:{due.isoformat()}",
            recipients=set(editors.get(organisation_id, ())),
            url_name="assessments:overview",
            url_args=[str(public_id)],
            params={"title": title, "round": number + 1, "due_date": due.isoformat(), "organisation": name},
        )


def _owners_by_organisation(organisation_ids) -> dict[int, set[int]]:
    owners = defaultdict(set)
    rows = Membership.objects.filter(organisation_id__in=organisation_ids, role=Role.OWNER)
    for organisation_id, user_id in rows.values_list("organisation_id", "user_id").iterator(chunk_size=BATCH):
        owners[organisation_id].add(user_id)
    return owners


def scan_feedback(today: datetime.date) -> Iterator[Candidate]:
    """The feedback rhythm the handbook asks for (at least twice a year)."""
    six_months_ago = add_months(today, -FEEDBACK_GAP_MONTHS)
    half = f"{today.year}h{1 if today.month <= 6 else 2}"
    # 1. No survey open or closed in the last 6 months → owners, at most once a half-year.
    quiet = Organisation.objects.exclude(
        Exists(Survey.objects.filter(organisation_id=OuterRef("pk"), closes_on__gte=six_months_ago))
    ).filter(created_at__date__lte=six_months_ago)
    owners = _owners_by_organisation(Subquery(quiet.values("pk")))
    for pk, slug, name in quiet.values_list("pk", "slug", "name").iterator(chunk_size=BATCH):
        if owners.get(pk):
            yield Candidate(
                kind=Kind.FEEDBACK_NONE,
                subject_key=f"feedback-none:{pk}:{half}",
                recipients=owners[pk],
                url_name="feedback:list",
                url_args=[slug],
                params={"organisation": name},
            )
    # 2. A survey closes within 3 days → its organisation's editors and owners.
    closing = Survey.objects.filter(
        closes_on__gte=today, closes_on__lte=today + datetime.timedelta(SURVEY_CLOSING_DAYS)
    )
    editors = _editors_by_organisation(Subquery(closing.values("organisation_id")))
    for pk, title, closes_on, organisation_id, slug in closing.values_list(
        "pk", "title", "closes_on", "organisation_id", "organisation__slug"
    ).iterator(chunk_size=BATCH):
        yield Candidate(
            kind=Kind.SURVEY_CLOSING,
            subject_key=f"survey-closing:{pk}:{closes_on.isoformat()}",
            recipients=set(editors.get(organisation_id, ())),
            url_name="feedback:detail",
            url_args=[slug, pk],
            params={"title": title, "closes_on": closes_on.isoformat()},
        )
    # 3. "You said, we did" not published 30 days after closing → owners (one month's window).
    late = Survey.objects.filter(
        changes_published=False,
        closes_on__lte=today - datetime.timedelta(CHANGES_AFTER_DAYS),
        closes_on__gt=today - datetime.timedelta(CHANGES_AFTER_DAYS) - RECENT,
    )
    owners = _owners_by_organisation(Subquery(late.values("organisation_id")))
    for pk, title, closes_on, organisation_id, slug in late.values_list(
        "pk", "title", "closes_on", "organisation_id", "organisation__slug"
    ).iterator(chunk_size=BATCH):
        yield Candidate(
            kind=Kind.CHANGES_NOT_PUBLISHED,
            subject_key=f"changes:{pk}",
            recipients=set(owners.get(organisation_id, ())),
            url_name="feedback:changes",
            url_args=[slug, pk],
            params={"title": title, "closes_on": closes_on.isoformat()},
        )


def scan_responses(today: datetime.date) -> Iterator[Candidate]:
    """New responses → editors and owners, in their digest. Only totals that may be shown
    (core.suppression) are announced, and only in steps of MIN_GROUP_SIZE: the difference
    between two announced totals is never a group smaller than that. Surveys open now or
    closed within the last week."""
    surveys = Survey.objects.filter(closes_on__gte=today - datetime.timedelta(days=7), opens_on__lte=today)
    counted = (
        Response.objects.filter(survey__in=surveys)
        .values("survey_id")
        .annotate(total=Count("pk"))
        .values_list("survey_id", "total")
    )
    totals = {survey_id: total for survey_id, total in counted if is_publishable(total)}
    if not totals:
        return
    editors = _editors_by_organisation(Subquery(surveys.values("organisation_id")))
    for pk, title, organisation_id, slug in surveys.filter(pk__in=list(totals)).values_list(
        "pk", "title", "organisation_id", "organisation__slug"
    ):
        announced = totals[pk] - totals[pk] % MIN_GROUP_SIZE
        yield Candidate(
            kind=Kind.SURVEY_RESPONSES,
            subject_key=f"responses:{pk}:{announced}",
            recipients=set(editors.get(organisation_id, ())),
            url_name="feedback:results",
            url_args=[slug, pk],
            params={"title": title, "total": shown_total(announced)},
        )
