import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inclusion.handbook.models import HandbookItem
from inclusion.organisations.models import Organisation, OrganisationKind

NOTE_MAX_LENGTH = 20_000
COMMENT_MAX_LENGTH = 2_000


class AnswerValue(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    NOT_APPLICABLE = "na", _("Not applicable")


NEXT_ROUND_CHOICES = [(0, _("No reminder")), (6, _("In 6 months")), (12, _("In 12 months"))]


class AnsweringMode(models.TextChoices):
    TOGETHER = "together", _("Together: everyone answers the same checklist")
    INDIVIDUAL = "individual", _("Each member first on their own, then together (consensus)")


class Assessment(models.Model):
    """One round of a self-assessment: answers to every key area's checklist, and notes.

    Rounds of the same self-assessment share a ``series``; a new round starts as a copy of
    the previous one. An assessment belongs to an organisation, or, when started without an
    account, to whoever holds its private link (only the link's hash is stored).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="assessments"
    )
    private_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    organisation_kind = models.CharField(_("kind of organisation"), max_length=20, choices=OrganisationKind.choices)
    series = models.UUIDField(default=uuid.uuid4, db_index=True)
    round_number = models.PositiveIntegerField(default=1)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next")
    content_version = models.CharField(max_length=20)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    # Indexed: the network aggregates' refresh reads the rounds changed since its last run.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # Grows with every change to the round (answers, notes, actions, the round itself):
    # what the cached summary is keyed on (assessments.history.bump).
    revision = models.PositiveIntegerField(default=0)
    # Closed when the next round starts; an owner may reopen it explicitly.
    closed = models.BooleanField(default=False)
    # How often the organisation means to run the next round (0: no rhythm set); the
    # reminders of inclusion/notifications count from the day this round started.
    next_round_months = models.PositiveSmallIntegerField(
        _("next round"), choices=NEXT_ROUND_CHOICES, default=0, blank=True
    )
    signed_off_on = models.DateField(_("signed off on"), null=True, blank=True)
    signed_off_name = models.CharField(_("signed off by"), max_length=200, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Individual mode: members answer privately (IndividualAnswer) until an owner opens the
    # consensus step; from then on the team records the agreed answers (Answer).
    answering_mode = models.CharField(
        _("how members answer"), max_length=12, choices=AnsweringMode.choices, default=AnsweringMode.TOGETHER
    )
    consensus_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | ~models.Q(private_token_hash=""),
                name="assessment_has_an_owner",
            ),
            models.UniqueConstraint(fields=["series", "round_number"], name="one_round_number_per_series"),
        ]

    def __str__(self):
        return f"{self.title} ({self.round_number})"

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_on is not None

    @property
    def is_read_only(self) -> bool:
        """A round that nobody may change: an earlier round since the next one started
        (until an owner reopens it), or a round signed off as final."""
        return self.closed or self.is_signed_off

    @property
    def is_individual(self) -> bool:
        return self.answering_mode == AnsweringMode.INDIVIDUAL

    @property
    def collects_individual_answers(self) -> bool:
        """Members answer on their own, privately: individual mode before the consensus step."""
        return self.is_individual and self.consensus_opened_at is None

    @property
    def in_consensus(self) -> bool:
        return self.is_individual and self.consensus_opened_at is not None


class Answer(models.Model):
    """An answer to one checklist item: stored per item, so two people never overwrite a whole form."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(
        HandbookItem, to_field="key", db_column="item_key", on_delete=models.PROTECT, related_name="+"
    )
    value = models.CharField(max_length=10, choices=AnswerValue.choices)
    comment = models.CharField(max_length=COMMENT_MAX_LENGTH, blank=True)
    # Grows with each save; a save based on an older version is refused as a conflict.
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="one_answer_per_item")]

    def __str__(self):
        return f"{self.item_id}: {self.value}"


class IndividualAnswer(models.Model):
    """One member's own answer to an item in individual mode: seen only by that member until
    an owner opens the consensus step, then side by side with the others' answers."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="individual_answers")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(
        HandbookItem, to_field="key", db_column="item_key", on_delete=models.PROTECT, related_name="+"
    )
    value = models.CharField(max_length=10, choices=AnswerValue.choices)
    comment = models.CharField(max_length=COMMENT_MAX_LENGTH, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "member", "item"], name="one_individual_answer_per_item")
        ]

    def __str__(self):
        return f"{self.member_id} {self.item_id}: {self.value}"


class AreaNote(models.Model):
    """Free notes on one key area. ``version`` grows with each save; a save based on an older
    version is a conflict that is shown to the user instead of silently overwriting."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="notes")
    area = models.CharField(max_length=4)
    text = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "area"], name="one_note_per_area")]

    def __str__(self):
        return f"{self.area} (v{self.version})"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# Steps that are still to be worked on: they move forward into the next round.
UNFINISHED_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class Action(models.Model):
    """A step in the action plan, usually made from a gap in the checklist."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(
        HandbookItem,
        to_field="key",
        db_column="item_key",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    area = models.CharField(max_length=4)
    description = models.CharField(_("what will be done"), max_length=1000)
    # Who is responsible: a member of the organisation, or free text for someone outside it.
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner = models.CharField(_("who is responsible"), max_length=200, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # The round in which the step was first planned (it moves forward while unfinished).
    planned_in_round = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [models.F("due_date").asc(nulls_last=True), "created_at"]

    def __str__(self):
        return self.description

    @property
    def owner_label(self) -> str:
        if self.owner_user_id and self.owner_user is not None:
            return self.owner_user.get_full_name() or self.owner_user.email or self.owner_user.get_username()
        return self.owner


class ActionEvent(models.Model):
    """One change of a step's status: the step's history, which travels with it between rounds."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=12, choices=ActionStatus.choices)
    round_number = models.PositiveIntegerField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.action_id}: {self.status}"


class ShareLink(models.Model):
    """A read-only link to an assessment's summary for partners: no login, revocable."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("who it is for"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.label or f"share link {self.pk}"


EVIDENCE_TEXT_MAX_LENGTH = 500


class Evidence(models.Model):
    """What shows that a checklist item is met: a link, a short text and/or a file.

    The file itself is kept in the ``evidence`` storage (STORAGES) under ``stored_name``;
    ``file_name``, ``content_type`` and ``size`` are what we checked when it was attached.
    It is served only through our view, to members, as a download."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    item = models.ForeignKey(
        HandbookItem, to_field="key", db_column="item_key", on_delete=models.PROTECT, related_name="+"
    )
    url = models.URLField(_("link"), max_length=2000, blank=True)
    text = models.CharField(_("short description"), max_length=EVIDENCE_TEXT_MAX_LENGTH, blank=True)
    stored_name = models.CharField(max_length=300, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    # Kept from the previous round's evidence (the file, if any, is shared, not copied).
    kept_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["added_at", "pk"]
        indexes = [models.Index(fields=["assessment", "item"], name="evidence_by_item")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(url="") | ~models.Q(text="") | ~models.Q(stored_name=""),
                name="evidence_is_not_empty",
            ),
            # A round keeps a piece of earlier evidence once, however often "keep" is sent.
            models.UniqueConstraint(
                fields=["assessment", "kept_from"],
                condition=models.Q(kept_from__isnull=False),
                name="evidence_kept_once_per_round",
            ),
        ]

    def __str__(self):
        return self.file_name or self.url or self.text[:50]


class HistoryKind(models.TextChoices):
    ROUND_STARTED = "round_started", _("started a round")
    ROUND_REOPENED = "round_reopened", _("reopened a round")
    ROUND_SIGNED_OFF = "round_signed_off", _("signed off a round")
    ROUND_DELETED = "round_deleted", _("deleted a round")
    ANSWERED = "answered", _("answered")
    ANSWER_CHANGED = "answer_changed", _("changed an answer")
    ANSWER_CLEARED = "answer_cleared", _("removed an answer")
    NOTE_SAVED = "note_saved", _("changed the notes")
    ACTION_ADDED = "action_added", _("added an action")
    ACTION_CHANGED = "action_changed", _("changed an action")
    ACTION_DELETED = "action_deleted", _("removed an action")
    IMPORTED = "imported", _("imported the self-assessment")
    CONSENSUS_OPENED = "consensus_opened", _("opened the consensus step")
    EVIDENCE_ADDED = "evidence_added", _("added evidence")
    EVIDENCE_REMOVED = "evidence_removed", _("removed evidence")


class HistoryEvent(models.Model):
    """One change to a self-assessment, on record: who, what and when. Kept for the whole
    series of rounds (also when a round is deleted) and when the person leaves or is deleted
    (``actor_name`` keeps the name they had)."""

    series = models.UUIDField(db_index=True)
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="history_events"
    )
    round_number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=HistoryKind.choices)
    item_id = models.CharField(max_length=20, blank=True)
    area = models.CharField(max_length=4, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["series", "-at", "-id"], name="history_by_series"),
            models.Index(fields=["series", "item_id"], name="history_by_item"),
        ]

    def __str__(self):
        return f"{self.kind} ({self.round_number})"
