"""Networks of organisations: coordinators, members and what each member shares, and the
aggregate tables that the refresh command (``refresh_network_aggregates``) keeps."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inclusion.assessments.models import Assessment
from inclusion.organisations.models import Organisation
from inclusion.practices.models import Practice


class Sharing(models.TextChoices):
    """What an organisation shares with one network, from least to most. Each level
    includes the ones before it (a named summary is also counted in the aggregates)."""

    NOTHING = "nothing", _("Nothing")
    AGGREGATES = "aggregates", _("Anonymous aggregates only")
    SUMMARY = "summary", _("Our named summary (area scores and readings per round)")
    SURVEY = "survey", _("Our named summary and our survey results (suppressed as everywhere)")

    @property
    def rank(self) -> int:
        return ["nothing", "aggregates", "summary", "survey"].index(self.value)


def sharing_at_least(level: str) -> list[str]:
    """The sharing choices that include ``level``."""
    return [choice.value for choice in Sharing if choice.rank >= Sharing(level).rank]


class Network(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    is_public = models.BooleanField(_("public page"), default=False)
    # The join link's secret, hashed (core.tokens); empty: no join link.
    join_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Coordinator(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="coordinators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinated_networks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "user"], name="one_coordinator_row_per_user")]

    def __str__(self):
        return f"{self.user} coordinates {self.network}"


class MemberStatus(models.TextChoices):
    INVITED = "invited", _("Invited by the coordinators")
    REQUESTED = "requested", _("Asked to join")
    ACTIVE = "active", _("Member")


class NetworkMember(models.Model):
    """An organisation in a network (or invited to it, or asking to join). Leaving deletes the
    row; the sharing history stays with the organisation."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="network_memberships")
    status = models.CharField(max_length=10, choices=MemberStatus.choices)
    sharing = models.CharField(max_length=10, choices=Sharing.choices, default=Sharing.AGGREGATES)
    created_at = models.DateTimeField(auto_now_add=True)
    joined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "organisation"], name="one_row_per_network_member")]
        indexes = [models.Index(fields=["network", "status", "sharing"])]

    def __str__(self):
        return f"{self.organisation} in {self.network} ({self.status}, {self.sharing})"


class SharingChange(models.Model):
    """One change of what an organisation shares with a network (joining and leaving too):
    the history its owners see."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    sharing = models.CharField(max_length=10, choices=Sharing.choices)
    event = models.CharField(max_length=10)  # joined, changed, left
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "network"])]

    def __str__(self):
        return f"{self.organisation} → {self.network}: {self.event} {self.sharing}"


# --- Aggregates: written only by aggregates.refresh ---


class RoundScore(models.Model):
    """What the area and success-factor scores of a round have in common. ``latest`` marks
    the organisation's latest round."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(null=True)
    reading = models.CharField(max_length=16)
    latest = models.BooleanField(default=False)

    class Meta:
        abstract = True


class RoundAreaScore(RoundScore):
    """One key area of one round, scored and read as the summary does."""

    area = models.CharField(max_length=4)
    period = models.CharField(max_length=7)  # half-year of the round: 2026-H1

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "area"], name="one_score_per_round_area")]
        indexes = [
            models.Index(fields=["organisation", "latest"]),
            # The latest rounds of a network's organisations, one key area at a time (the
            # dashboard's half-years): a sixth of the latest rows, not every round's.
            models.Index(fields=["area", "organisation"], condition=Q(latest=True), name="latest_area_scores"),
        ]

    def __str__(self):
        return f"{self.assessment_id} {self.area}: {self.reading}"


class RoundFactorScore(RoundScore):
    """One success factor of one round: its checklist items (``practices.library.gap_factor``)
    scored and read as a key area's are."""

    factor = models.CharField(max_length=10)  # a1.sf2

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "factor"], name="one_score_per_round_factor")]
        indexes = [models.Index(fields=["organisation", "latest"])]

    def __str__(self):
        return f"{self.assessment_id} {self.factor}: {self.reading}"


class LatestGap(models.Model):
    """An item answered No or Partly in an organisation's latest round."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    item_key = models.CharField(max_length=100)
    value = models.CharField(max_length=10)

    class Meta:
        indexes = [models.Index(fields=["organisation"])]

    def __str__(self):
        return f"{self.organisation_id} {self.item_key}: {self.value}"


class Benchmark(models.Model):
    """Latest-round scores of one key area for a comparison group: organisations of a kind
    in a country (``country`` empty: all countries) that allow anonymous aggregates."""

    kind = models.CharField(max_length=20)
    country = models.CharField(max_length=2, blank=True)
    area = models.CharField(max_length=4)
    organisations = models.PositiveIntegerField()
    q1 = models.FloatField(null=True)
    median = models.FloatField(null=True)
    q3 = models.FloatField(null=True)
    # False when showing it would let someone derive a smaller group by subtraction.
    publishable = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "country", "area"], name="one_benchmark_per_group")]

    def __str__(self):
        return f"{self.kind} {self.country or '*'} {self.area}: {self.organisations}"


class NetworkAreaStat(models.Model):
    """A network's organisations (those sharing at least aggregates) per key area and
    half-year: how many, and the median and quartiles of their scores."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=7)
    area = models.CharField(max_length=4)
    organisations = models.PositiveIntegerField()
    q1 = models.FloatField(null=True)
    median = models.FloatField(null=True)
    q3 = models.FloatField(null=True)

    class Meta:
        indexes = [models.Index(fields=["network", "period"])]

    def __str__(self):
        return f"{self.network_id} {self.period} {self.area}: {self.organisations}"


class NetworkItemGap(models.Model):
    """How many of a network's organisations answered an item No / Partly in their latest round."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    item_key = models.CharField(max_length=100)
    no = models.PositiveIntegerField()
    partly = models.PositiveIntegerField()
    organisations = models.PositiveIntegerField()  # the network's organisations counted

    class Meta:
        indexes = [models.Index(fields=["network"])]

    def __str__(self):
        return f"{self.network_id} {self.item_key}: {self.no}/{self.partly}"


class RefreshState(models.Model):
    """The refresh command's lease (one machine at a time) and watermark."""

    name = models.CharField(max_length=40, primary_key=True)
    holder = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    watermark = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.name


class NetworkPractice(models.Model):
    """A published practice an organisation submitted to a network's own collection; the
    coordinators may feature it. It leaves the collection when its organisation leaves."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="practices")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    featured = models.BooleanField(default=False)
    featured_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "practice"], name="one_row_per_network_practice")]
        indexes = [models.Index(fields=["network", "featured"])]

    def __str__(self):
        return f"{self.practice_id} in {self.network}"
