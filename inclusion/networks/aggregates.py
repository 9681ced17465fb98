"""The aggregate tables and their refresh: scores per round and key area (and success
factor), the latest
round's gaps, benchmarks per kind and country, and each network's statistics.

Pages read only these tables (never every answer). ``refresh()`` is run by the
``refresh_network_aggregates`` command on a timer: it rescores only the rounds changed
since the last run (every answer save touches ``Assessment.updated_at``), then recomputes
the small derived tables from the scores, so a withdrawn sharing choice or a member who
left is gone after the next run. A lease row keeps two machines from refreshing at once.
"""

from __future__ import annotations

import socket
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from inclusion.assessments.answers import applicable_items
from inclusion.assessments.models import Answer, AnswerValue, Assessment
from inclusion.assessments.summary import COMPREHENSIVE, IMPROVE, NOT_STARTED, POINTS, RETHINK
from inclusion.core.suppression import is_publishable
from inclusion.handbook.content import Edition
from inclusion.handbook.services import get_handbook
from inclusion.organisations.models import OrganisationKind
from inclusion.practices.library import gap_factor

from .models import (
    Benchmark,
    LatestGap,
    MemberStatus,
    NetworkAreaStat,
    NetworkItemGap,
    NetworkMember,
    RefreshState,
    RoundAreaScore,
    RoundFactorScore,
    Sharing,
    sharing_at_least,
)

LEASE = "aggregates"
LEASE_LENGTH = timedelta(hours=1)
BATCH = 2000
GAP_VALUES = (AnswerValue.NO, AnswerValue.PARTLY)
LATEST = "latest"  # the period of NetworkAreaStat rows about members' latest rounds
ROUND_SCORES = (RoundAreaScore, RoundFactorScore)  # written for the same rounds, marked latest together


def period_of(moment) -> str:
    """The half-year of a date: 2026-H1 (January–June) or 2026-H2."""
    return f"{moment.year}-H{1 if moment.month <= 6 else 2}"


def quartiles(values: list[int]) -> tuple[float, float, float]:
    if len(values) == 1:
        return (float(values[0]),) * 3
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, median, q3


# --- the lease ---


def acquire_lease(holder: str, now=None) -> bool:
    """Take the refresh lease unless another holder has it and it has not expired."""
    now = now or timezone.now()
    RefreshState.objects.get_or_create(name=LEASE)
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(holder=holder)
    return RefreshState.objects.filter(free, name=LEASE).update(holder=holder, lease_until=now + LEASE_LENGTH) == 1


def release_lease(holder: str) -> None:
    RefreshState.objects.filter(name=LEASE, holder=holder).update(holder="", lease_until=None)


# --- scoring rounds ---


def scored_factors(edition: Edition) -> list[str]:
    """The success factors some checklist item is about (``gap_factor``), in the handbook's
    order: the ones scored per round. The others would always read "not started"."""
    linked = {gap_factor(item.id) for area in edition.areas for item in area.checklist_items}
    return [factor.id for area in edition.areas for factor in area.success_factors if factor.id in linked]


class _Rules:
    """For each kind of organisation, the key area of every applicable checklist item and the
    success factors some applicable item is about; the success factor of every item."""

    def __init__(self):
        edition = get_handbook().reference_edition
        self.areas = [area.id for area in edition.areas]
        self.by_kind = {
            kind: {item.id: area.id for area in edition.areas for item in applicable_items(area, kind)}
            for kind in OrganisationKind.values
        }
        self.factor_of = {item.id: gap_factor(item.id) for area in edition.areas for item in area.checklist_items}
        factors = scored_factors(edition)
        self.factors_by_kind = {}
        for kind, items in self.by_kind.items():
            linked = {self.factor_of[item_id] for item_id in items}
            self.factors_by_kind[kind] = [factor for factor in factors if factor in linked]


def _score(values: list[str]) -> tuple[int | None, str]:
    counted = [value for value in values if value != AnswerValue.NOT_APPLICABLE]
    if not counted:
        return None, NOT_STARTED
    points = sum(POINTS[AnswerValue(value)] for value in counted)
    score = int((points / len(counted) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    kinds = set(counted)
    if kinds == {AnswerValue.YES}:
        return score, COMPREHENSIVE
    if kinds == {AnswerValue.NO}:
        return score, RETHINK
    return score, IMPROVE


def _rescore(assessment_ids: list[int], rules: _Rules) -> set[int]:
    """Score these rounds again; the organisations they belong to."""
    organisations: set[int] = set()
    for start in range(0, len(assessment_ids), BATCH):
        batch = assessment_ids[start : start + BATCH]
        rounds = {
            row["pk"]: row
            for row in Assessment.objects.filter(pk__in=batch, organisation__isnull=False).values(
                "pk", "organisation_id", "organisation_kind", "created_at"
            )
        }
        # An applicable item counts toward its key area and toward its success factor, if any.
        answers: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for assessment_id, item_id, value in Answer.objects.filter(assessment_id__in=list(rounds)).values_list(
            "assessment_id", "item_id", "value"
        ):
            area = rules.by_kind.get(rounds[assessment_id]["organisation_kind"], {}).get(item_id)
            if area:
                answers[assessment_id][area].append(value)
                if factor := rules.factor_of.get(item_id):
                    answers[assessment_id][factor].append(value)
        area_rows, factor_rows = [], []
        for assessment_id, info in rounds.items():
            organisations.add(info["organisation_id"])
            common = {"assessment_id": assessment_id, "organisation_id": info["organisation_id"]}
            for area in rules.areas:
                score, reading = _score(answers[assessment_id][area])
                area_rows.append(
                    RoundAreaScore(
                        **common, area=area, score=score, reading=reading, period=period_of(info["created_at"])
                    )
                )
            # A factor none of whose items applies to the kind gets no row: "not applicable".
            for factor in rules.factors_by_kind.get(info["organisation_kind"], ()):
                score, reading = _score(answers[assessment_id][factor])
                factor_rows.append(RoundFactorScore(**common, factor=factor, score=score, reading=reading))
        with transaction.atomic():
            for model, rows in ((RoundAreaScore, area_rows), (RoundFactorScore, factor_rows)):
                model.objects.filter(assessment_id__in=batch).delete()
                _write(model, rows)
    return organisations


def _mark_latest(organisation_ids: set[int], rules: _Rules) -> None:
    """Mark each organisation's latest round (area and factor scores), and keep that round's gaps."""
    ids = sorted(organisation_ids)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        latest: dict[int, tuple[int, str]] = {}
        for organisation_id, pk, kind in (
            Assessment.objects.filter(organisation_id__in=batch)
            .order_by("organisation_id", "-created_at", "-pk")
            .values_list("organisation_id", "pk", "organisation_kind")
        ):
            latest.setdefault(organisation_id, (pk, kind))
        gaps = [
            LatestGap(organisation_id=organisation_id, item_key=item_id, value=value)
            for assessment_id, organisation_id, item_id, value in Answer.objects.filter(
                assessment_id__in=[pk for pk, _kind in latest.values()], value__in=GAP_VALUES
            ).values_list("assessment_id", "assessment__organisation_id", "item_id", "value")
            if item_id in rules.by_kind.get(latest[organisation_id][1], {})
        ]
        with transaction.atomic():
            for model in ROUND_SCORES:
                model.objects.filter(organisation_id__in=batch, latest=True).update(latest=False)
                model.objects.filter(assessment_id__in=[pk for pk, _kind in latest.values()]).update(latest=True)
            LatestGap.objects.filter(organisation_id__in=batch).delete()
            _write(LatestGap, gaps)


# --- derived tables ---


def benchmark_contributors() -> set[int]:
    """Organisations that allow anonymous aggregates: in at least one network with at least
    that choice, and sharing nothing with none (withdrawing anywhere withdraws here)."""
    sharing = set(
        NetworkMember.objects.filter(
            status=MemberStatus.ACTIVE, sharing__in=sharing_at_least(Sharing.AGGREGATES)
        ).values_list("organisation_id", flat=True)
    )
    withdrawn = set(
        NetworkMember.objects.filter(status=MemberStatus.ACTIVE, sharing=Sharing.NOTHING).values_list(
            "organisation_id", flat=True
        )
    )
    return sharing - withdrawn


def _benchmarks() -> list[Benchmark]:
    contributors = benchmark_contributors()
    scores: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for organisation_id, kind, country, area, score in RoundAreaScore.objects.filter(
        latest=True, score__isnull=False
    ).values_list("organisation_id", "organisation__kind", "organisation__country", "area", "score"):
        if organisation_id in contributors:
            if country:
                scores[(kind, country, area)].append(score)
            scores[(kind, "", area)].append(score)
    rows = []
    for (kind, country, area), values in scores.items():
        count = len(values)
        publishable = is_publishable(count)
        if publishable and not country:
            # Complementary suppression: the group of all countries must not let anyone
            # subtract a published country's group and read a group of fewer than five.
            for (other_kind, other_country, other_area), others in scores.items():
                if (other_kind, other_area) == (kind, area) and other_country and is_publishable(len(others)):
                    rest = count - len(others)
                    if rest > 0 and not is_publishable(rest):
                        publishable = False
        q1, median, q3 = quartiles(values) if publishable else (None, None, None)
        rows.append(
            Benchmark(
                kind=kind,
                country=country,
                area=area,
                organisations=count,
                q1=q1,
                median=median,
                q3=q3,
                publishable=publishable,
            )
        )
    return rows


def _network_tables() -> tuple[list[NetworkAreaStat], list[NetworkItemGap]]:
    members: dict[int, list[int]] = defaultdict(list)
    for network_id, organisation_id in NetworkMember.objects.filter(
        status=MemberStatus.ACTIVE, sharing__in=sharing_at_least(Sharing.AGGREGATES)
    ).values_list("network_id", "organisation_id"):
        members[network_id].append(organisation_id)
    everyone = {organisation_id for ids in members.values() for organisation_id in ids}

    # Per organisation, per half-year, per area: the score of its last round in that half-year.
    by_period: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    latest: dict[int, dict[str, int]] = defaultdict(dict)
    for organisation_id, area, score, period, is_latest in (
        RoundAreaScore.objects.filter(organisation_id__in=everyone, score__isnull=False)
        .order_by("assessment__created_at", "assessment_id")
        .values_list("organisation_id", "area", "score", "period", "latest")
        .iterator(chunk_size=20_000)
    ):
        by_period[organisation_id][(period, area)] = score
        if is_latest:
            latest[organisation_id][area] = score
    gaps: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for organisation_id, item_key, value in LatestGap.objects.filter(organisation_id__in=everyone).values_list(
        "organisation_id", "item_key", "value"
    ):
        gaps[organisation_id].append((item_key, value))

    stats, item_gaps = [], []
    for network_id, organisation_ids in members.items():
        values: dict[tuple[str, str], list[int]] = defaultdict(list)
        for organisation_id in organisation_ids:
            for key, score in by_period.get(organisation_id, {}).items():
                values[key].append(score)
            for area, score in latest.get(organisation_id, {}).items():
                values[(LATEST, area)].append(score)
        for (period, area), scores in values.items():
            q1, median, q3 = quartiles(scores) if is_publishable(len(scores)) else (None, None, None)
            stats.append(
                NetworkAreaStat(
                    network_id=network_id,
                    period=period,
                    area=area,
                    organisations=len(scores),
                    q1=q1,
                    median=median,
                    q3=q3,
                )
            )
        counted = [organisation_id for organisation_id in organisation_ids if organisation_id in latest]
        per_item: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for organisation_id in counted:
            for item_key, value in gaps.get(organisation_id, ()):
                per_item[item_key][0 if value == AnswerValue.NO else 1] += 1
        item_gaps.extend(
            NetworkItemGap(network_id=network_id, item_key=key, no=no, partly=partly, organisations=len(counted))
            for key, (no, partly) in per_item.items()
        )
    return stats, item_gaps


def _write(model, rows: list) -> None:
    """Insert many rows: COPY on PostgreSQL (several times faster than INSERT), else bulk_create."""
    if connection.vendor != "postgresql" or not rows:
        model.objects.bulk_create(rows, batch_size=5000)
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key or field.name != "id"]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    sql = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([getattr(row, field.attname) for field in fields])


@dataclass
class RefreshResult:
    rounds: int
    organisations: int
    benchmarks: int
    network_rows: int


def refresh(*, full: bool = False, holder: str | None = None) -> RefreshResult | None:
    """Bring every aggregate table up to date; None when another machine holds the lease."""
    holder = holder or f"{socket.gethostname()}:{id(object())}"
    if not acquire_lease(holder):
        return None
    try:
        state = RefreshState.objects.get(name=LEASE)
        started = timezone.now()
        rules = _Rules()
        rounds = Assessment.objects.filter(organisation__isnull=False)
        if state.watermark and not full:
            # A second of overlap: a save that committed while the last run started is not missed.
            rounds = rounds.filter(updated_at__gte=state.watermark - timedelta(seconds=1))
        else:
            # Rounds deleted or moved out of an organisation since: drop their rows.
            for model in ROUND_SCORES:
                model.objects.exclude(assessment__organisation_id__isnull=False).delete()
        round_ids = list(rounds.values_list("pk", flat=True))
        touched = _rescore(round_ids, rules)
        scored = set(RoundAreaScore.objects.values_list("organisation_id", flat=True).distinct())
        if full:
            touched |= scored
        else:
            # Organisations whose latest round was deleted: an earlier round is now the latest.
            touched |= scored - set(
                RoundAreaScore.objects.filter(latest=True).values_list("organisation_id", flat=True).distinct()
            )
        _mark_latest(touched, rules)
        benchmarks = _benchmarks()
        stats, item_gaps = _network_tables()
        with transaction.atomic():
            Benchmark.objects.all().delete()
            _write(Benchmark, benchmarks)
            NetworkAreaStat.objects.all().delete()
            _write(NetworkAreaStat, stats)
            NetworkItemGap.objects.all().delete()
            _write(NetworkItemGap, item_gaps)
        RefreshState.objects.filter(name=LEASE).update(watermark=started, refreshed_at=timezone.now())
        return RefreshResult(
            rounds=len(round_ids),
            organisations=len(touched),
            benchmarks=len(benchmarks),
            network_rows=len(stats) + len(item_gaps),
        )
    finally:
        release_lease(holder)
