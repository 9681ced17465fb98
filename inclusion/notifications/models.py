"""Notifications: one record per (kind, subject, recipient), shown in the app and e-mailed.

The unique constraint is what makes ``send_notifications`` idempotent: computing what is due
twice, or on two machines at once, inserts each notification once; a notification is then
claimed by exactly one run before it is e-mailed (see ``delivery.py``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ACTION_DUE = "action_due", _("An action is due in 7 days")
    ACTION_OVERDUE = "action_overdue", _("An action is overdue")
    INVITATION_ACCEPTED = "invitation_accepted", _("Someone accepted your invitation")
    PRACTICE_DECISION = "practice_decision", _("A decision on a practice you submitted")
    SUBMISSION_WAITING = "submission_waiting", _("Practices waiting for review (moderators)")
    ROUND_DUE_SOON = "round_due_soon", _("The next self-assessment round is due in 14 days")
    ROUND_DUE = "round_due", _("The next self-assessment round is due")
    FEEDBACK_NONE = "feedback_none", _("No feedback survey in the last 6 months")
    SURVEY_CLOSING = "survey_closing", _("A survey closes in 3 days")
    SURVEY_RESPONSES = "survey_responses", _("New survey responses")
    CHANGES_NOT_PUBLISHED = "changes_not_published", _("“You said, we did” not published yet")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("As it happens")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    OFF = "off", _("Not e-mailed")


class Notification(models.Model):
    kind = models.CharField(max_length=40, choices=Kind.choices)
    # What it speaks of, e.g. "action:12:2026-12-01"; with kind and recipient, unique.
    subject_key = models.CharField(max_length=120)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # The link to the thing it speaks of: a URL name and its arguments, reversed in the
    # reader's language; the text is written from ``params`` at display time.
    url_name = models.CharField(max_length=80, blank=True)
    url_args = models.JSONField(default=list, blank=True)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    email_status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    # Not e-mailed before this moment: now, or the next daily / weekly digest.
    send_after = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    claim = models.CharField(max_length=40, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject_key", "recipient"], name="one_notification_per_recipient")
        ]
        indexes = [
            models.Index(fields=["email_status", "send_after"], name="notification_outbox"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self):
        return f"{self.kind} {self.subject_key} → {self.recipient_id}"


class Preference(models.Model):
    """A member's choices: the language of their e-mails and, per kind, e-mail on/off and
    how often (as it happens, daily or weekly digest). Kinds not in ``kinds`` use the defaults
    of ``preferences.DEFAULTS``."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(_("language of e-mails"), max_length=8, default=settings.LANGUAGE_CODE)
    kinds = models.JSONField(default=dict, blank=True)

    def __str__(self):
        return f"preferences of {self.user_id}"


class CalendarFeed(models.Model):
    """A member's secret calendar address (iCalendar): only the token's hash is stored; a new
    token replaces the old one, deleting the row revokes it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"calendar of {self.user_id}"
