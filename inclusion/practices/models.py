"""Good practices: the library's records, their versions, moderation messages and ratings.

A ``Practice`` row carries its *published* content in plain columns (denormalised from the
published version) so that the library can filter, search and page 10,000 records with two
queries. What members edit is the latest ``PracticeVersion``; a published practice keeps
showing its published content until a newer version is approved.

User-written text is stored per language as a JSON map (``{"lv": "…", "en": "…"}``), the
pretix ``I18nTextField`` idea; see ``i18n.localised`` for the fallback.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inclusion.organisations.models import Organisation, OrganisationKind

TITLE_MAX_LENGTH = 200
ORGANISATION_NAME_MAX_LENGTH = 200
CITY_MAX_LENGTH = 120
TEXT_MAX_LENGTH = 10_000
LINK_MAX_LENGTH = 500
MAX_LINKS = 10
EVIDENCE_MAX_LENGTH = 2_000
MESSAGE_MAX_LENGTH = 4_000
# Handbook examples come first within a key area, in the handbook's order; members' after.
COMMUNITY_SORT_ORDER = 1000


# The handbook's organisation types of a practice (docs/content.md): the kinds of
# organisation that answer a self-assessment, and two that only run practices.
OrganisationType = models.TextChoices(
    "OrganisationType",
    [
        *[(kind.name, (kind.value, kind.label)) for kind in OrganisationKind if kind != OrganisationKind.OTHER],
        ("INTERNATIONAL", ("international", _("International organisation"))),
        ("PARTNERSHIP", ("partnership", _("Partnership of several organisations"))),
        ("OTHER", (OrganisationKind.OTHER.value, OrganisationKind.OTHER.label)),
    ],
)


class TargetGroup(models.TextChoices):
    REFUGEES = "refugees", _("Refugees")
    ASYLUM_SEEKERS = "asylum_seekers", _("Asylum-seekers")
    WOMEN = "women", _("Women")
    CHILDREN = "children", _("Children")
    YOUTH = "youth", _("Young people")
    UNACCOMPANIED_MINORS = "unaccompanied_minors", _("Unaccompanied minors")
    FAMILIES = "families", _("Families")
    LGBTIQ = "lgbtiq", _("LGBTIQ+ people")
    DISABLED = "disabled", _("People with disabilities")
    ELDERLY = "elderly", _("Older people")
    HOST_COMMUNITY = "host_community", _("Host community")
    PROFESSIONALS = "professionals", _("Professionals")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Waiting for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class IndicatorScore(models.TextChoices):
    NOT_IN_PLACE = "0", _("Not in place")
    PARTLY = "1", _("Partly")
    FULLY = "2", _("Fully")
    NOT_APPLICABLE = "na", _("Not applicable")


class Practice(models.Model):
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="practices"
    )
    # "a1.p1" for the handbook's examples (imported from the content), empty for members'.
    handbook_key = models.CharField(max_length=20, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    current_version = models.ForeignKey(
        "PracticeVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_version = models.ForeignKey(
        "PracticeVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The published content, copied from the published version.
    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    title = models.JSONField(default=dict)
    organisation_name = models.JSONField(default=dict)
    city = models.JSONField(default=dict)
    text = models.JSONField(default=dict)
    excerpt = models.JSONField(default=dict)
    area = models.CharField(max_length=4, blank=True)
    success_factor = models.CharField(max_length=12, blank=True)
    organisation_type = models.CharField(max_length=20, choices=OrganisationType.choices, blank=True)
    countries = models.JSONField(default=list)
    target_groups = models.JSONField(default=list)
    links = models.JSONField(default=list)
    scores = models.JSONField(default=dict)
    # "|LV|EE|": list membership as a LIKE on plain text, identical on SQLite and PostgreSQL.
    country_index = models.CharField(max_length=400, blank=True)
    target_group_index = models.CharField(max_length=400, blank=True)
    # Every language's title, organisation, city and text, folded (handbook.search.fold).
    search_text = models.TextField(blank=True)
    sort_order = models.PositiveIntegerField(default=COMMUNITY_SORT_ORDER)

    class Meta:
        permissions = [("moderate_practice", "Can moderate submitted good practices")]
        indexes = [
            # The library's order over published practices only, so that a page is read from
            # the index instead of sorting every row (a partial index: the WHERE matches it).
            models.Index(
                fields=["area", "sort_order", "-published_at", "id"],
                condition=models.Q(is_published=True),
                name="practice_order",
            ),
            models.Index(fields=["is_published", "success_factor"], name="practice_factor"),
        ]

    def __str__(self):
        return self.handbook_key or f"practice {self.pk}"


class PracticeVersion(models.Model):
    """One version of a practice as its organisation wrote it. Every version is kept; the
    ``content`` snapshot holds all fields and the assessment table scores."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    content = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["practice", "number"]
        constraints = [models.UniqueConstraint(fields=["practice", "number"], name="one_version_number_per_practice")]
        indexes = [models.Index(fields=["status", "submitted_at"], name="practice_version_queue")]

    def __str__(self):
        return f"{self.practice} v{self.number} ({self.status})"


class ReviewMessage(models.Model):
    """What happened to a version in review, with the moderator's or submitter's words."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Sent for review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="messages")
    version = models.ForeignKey(PracticeVersion, on_delete=models.CASCADE, related_name="messages")
    action = models.CharField(max_length=20, choices=Action.choices)
    text = models.TextField(max_length=MESSAGE_MAX_LENGTH, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.action} on {self.version}"


class Rating(models.Model):
    """A scoring of a practice against the assessment table: one per member, each on their
    own, and one agreed (consensus) rating recorded by an editor.

    ``scores`` maps indicator IDs to IndicatorScore values; an indicator not in the map is
    not scored yet. ``evidence`` maps key question IDs to a note."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="practice_ratings"
    )
    is_consensus = models.BooleanField(default=False)
    scores = models.JSONField(default=dict)
    evidence = models.JSONField(default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "rater"], condition=models.Q(is_consensus=False), name="one_rating_per_member"
            ),
            models.UniqueConstraint(
                fields=["practice"], condition=models.Q(is_consensus=True), name="one_consensus_per_practice"
            ),
            models.CheckConstraint(
                condition=models.Q(is_consensus=True) | models.Q(rater__isnull=False), name="rating_has_a_rater"
            ),
        ]

    def __str__(self):
        return f"rating of {self.practice} ({'agreed' if self.is_consensus else self.rater_id})"
