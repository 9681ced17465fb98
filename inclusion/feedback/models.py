"""Anonymous feedback surveys. A response holds no IP address, user agent or cookie, and its
time only to the day: nothing in these tables can point back to the person who answered."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from inclusion.organisations.models import Organisation

TEXT_ANSWER_MAX_LENGTH = 2_000
QUESTION_TEXT_MAX_LENGTH = 300
OPTION_TEXT_MAX_LENGTH = 120


def new_survey_token() -> str:
    """Short enough for a simple QR code and for typing from a poster, too long to guess."""
    return secrets.token_urlsafe(9)


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale from 1 to 5 with faces")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    YES_NO = "yesno", _("Yes or no")
    TEXT = "text", _("Written answer")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")


CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE}


class Channel(models.TextChoices):
    """How a response reached us: typed by the respondent on the web, copied from a paper
    form, or queued on a kiosk tablet (and sent when it was online)."""

    WEB = "web", _("Web")
    PAPER = "paper", _("Paper")
    KIOSK = "kiosk", _("Kiosk tablet")


class Survey(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(_("title"), max_length=200)
    token = models.CharField(max_length=20, unique=True, default=new_survey_token)
    # Language codes in the order the organisation chose; the first is the fallback.
    languages = models.JSONField(default=list)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    # "You said, we did": language code -> text, shown on a public page once published.
    changes = models.JSONField(default=dict, blank=True)
    changes_published = models.BooleanField(default=False)
    # The privacy notice: who collects the answers and how to reach them. A survey cannot
    # open without both (surveys.survey_state).
    contact_name = models.CharField(_("who collects the answers"), max_length=200, blank=True)
    contact = models.CharField(_("contact for questions about privacy"), max_length=200, blank=True)
    retention_months = models.PositiveSmallIntegerField(
        _("keep responses for (months)"), default=24, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="survey_closes_after_opening"
            )
        ]

    def __str__(self):
        return self.title


class SurveyQuestion(models.Model):
    """A survey question: from the question bank (``bank_id``, wording in the content files)
    or the organisation's own (``text`` and ``options`` as language -> text maps)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    bank_id = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    text = models.JSONField(default=dict, blank=True)
    # [{"id": "o1", "text": {"en": "…", "uk": "…"}}, …] for the organisation's choice questions.
    options = models.JSONField(default=list, blank=True)
    # Skip logic: shown only to those who gave the answer ``show_if_choice`` to the earlier
    # single-choice (or yes/no, scale) question ``show_if_question``.
    show_if_question = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="dependent_questions"
    )
    show_if_choice = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.bank_id or f"question {self.pk}"


class QuestionRevision(models.Model):
    """A wording fix made after the first response: who, when, the old and the new text."""

    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="revisions")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(auto_now_add=True)
    old_text = models.JSONField(default=dict)
    new_text = models.JSONField(default=dict)
    old_options = models.JSONField(default=list)
    new_options = models.JSONField(default=list)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"revision {self.pk} of question {self.question_id}"


class Response(models.Model):
    """One person's answers. Deliberately no IP, user agent, session or time of day."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    language = models.CharField(max_length=8)
    submitted_on = models.DateField()
    # A random key the form carried (uuid4, made when the form was rendered, never logged):
    # the same form sent twice is stored once.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)

    class Meta:
        indexes = [models.Index(fields=["survey", "submitted_on"], name="feedback_response_day")]
        constraints = [
            models.UniqueConstraint(fields=["survey", "submission_key"], name="one_response_per_submission_key")
        ]

    def __str__(self):
        return f"response {self.pk}"


class SurveyAnswer(models.Model):
    """One answer: ``choice`` holds a scale value ("1"–"5"), "yes"/"no" or an option ID (one row
    per chosen option of a multiple choice); ``text`` a written answer, shown to viewers only
    once an editor has ``reviewed`` it."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    choice = models.CharField(max_length=60, blank=True)
    text = models.TextField(max_length=TEXT_ANSWER_MAX_LENGTH, blank=True)
    reviewed = models.BooleanField(default=False)

    class Meta:
        # Results are counts per question and choice: answered from this index alone.
        indexes = [models.Index(fields=["question", "choice"], name="feedback_answer_choice")]

    def __str__(self):
        return f"{self.question_id}: {self.choice or self.text[:20]}"


class KioskDevice(models.Model):
    """A shared tablet locked to one survey. Its code is the tablet's credential: shown once
    to the editor who made it, typed once on the tablet, stored here only as its hash
    (core.tokens.hash_token). Nothing about the people who answer on it is kept."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="kiosks")
    name = models.CharField(_("name"), max_length=100)
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_sync_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.name


def recording_path(instance, filename: str) -> str:
    # A random name: the file's address says nothing about the survey or the organisation.
    return f"feedback/recordings/{secrets.token_hex(16)}"


class QuestionRecording(models.Model):
    """A short recording of a question (and its answers) in one language, uploaded by the
    organisation for people who read little; checked to be audio by its content
    (recordings.audio_type)."""

    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="recordings")
    language = models.CharField(max_length=8)
    file = models.FileField(upload_to=recording_path)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "language"], name="one_recording_per_language")]

    def __str__(self):
        return f"{self.question_id} ({self.language})"
