"""Kiosk mode: a shared tablet locked to one survey with a device code, which queues
responses while offline and sends them in batches when the connection returns.

The device code is the tablet's credential. It is shown once, stored only as its hash, and
sent by the tablet in the ``Authorization: Kiosk <code>`` header of each sync request; no
user session or cookie is involved. Each queued response carries a key made on the device
(a UUID): ``responses.submit_response`` stores a key once, so a batch sent twice (the
connection dropped before the answer arrived) is stored once.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inclusion.core import ratelimit
from inclusion.core.tokens import hash_token

from .forms import ResponseForm
from .models import KioskDevice, Survey
from .questions import present_questions
from .responses import submit_responses
from .surveys import survey_state

# Letters and digits that cannot be mistaken for each other when typed from a screen:
# 12 of 31 symbols, about 59 bits, and every sync request counts against a rate limit.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_GROUPS, CODE_GROUP_LENGTH = 3, 4
MAX_BATCH = 100
# Sync requests allowed per network (IPv4 /24, IPv6 /48) within the window, in seconds: a
# few tablets in one waiting room each sending a backlog, and guessing codes stays hopeless.
DEFAULT_SYNC_RATE_LIMIT = (300, 600)


class KioskError(Exception):
    """The sync request is refused as a whole: ``code`` for the tablet, ``message``
    translated for the person holding it, ``status`` the HTTP status."""

    def __init__(self, code: str, message: str, status: int):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def new_device_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LENGTH))
    return "-".join(raw[i : i + CODE_GROUP_LENGTH] for i in range(0, len(raw), CODE_GROUP_LENGTH))


def normalise_code(code: str) -> str:
    """As typed: case, spaces and dashes do not matter; O and 0, I and 1 read as the letters
    they can be mistaken for are not in the alphabet at all."""
    raw = "".join(char for char in code.upper() if char.isalnum())
    return "-".join(raw[i : i + CODE_GROUP_LENGTH] for i in range(0, len(raw), CODE_GROUP_LENGTH))


def create_device(survey: Survey, name: str, user=None) -> tuple[KioskDevice, str]:
    """A new device and its code in clear, which the caller shows once and never stores."""
    code = new_device_code()
    device = KioskDevice.objects.create(
        survey=survey,
        name=name,
        code_hash=hash_token(code),
        created_by=user if user is not None and user.is_authenticated else None,
    )
    return device, code


def revoke_device(device: KioskDevice) -> KioskDevice:
    if device.revoked_at is None:
        device.revoked_at = timezone.now()
        device.save(update_fields=["revoked_at"])
    return device


def devices_for(survey: Survey) -> list[KioskDevice]:
    return list(survey.kiosks.all())


def allow_sync(address: str) -> bool:
    limit, window = getattr(settings, "KIOSK_SYNC_RATE_LIMIT", DEFAULT_SYNC_RATE_LIMIT)
    return ratelimit.allow("kiosk", address, limit, window)


def code_from_header(header: str) -> str:
    scheme, _sep, value = header.strip().partition(" ")
    return normalise_code(value) if scheme.lower() == "kiosk" else ""


def authenticate(survey: Survey, code: str) -> KioskDevice:
    """The device this code belongs to, for this survey; KioskError when there is none, it
    was revoked, or the survey does not take responses now."""
    device = KioskDevice.objects.filter(survey=survey, code_hash=hash_token(code)).first() if code else None
    if device is None:
        raise KioskError("unknown_device", _("This device code is not valid for this survey."), 401)
    if device.revoked_at is not None:
        raise KioskError(
            "revoked", _("This tablet's device code was revoked. The answers stay saved on the tablet."), 403
        )
    state = survey_state(survey)
    if state == "closed":
        raise KioskError("closed", _("The survey is closed. The answers stay saved on the tablet."), 410)
    if state != "open":
        raise KioskError("not_open", _("The survey is not open yet. The answers stay saved on the tablet."), 409)
    return device


@dataclass
class SyncResult:
    stored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"stored": self.stored, "duplicates": self.duplicates, "rejected": self.rejected}


def parse_batch(payload) -> list:
    """The list of queued responses in a sync request body, or KioskError (400)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("responses"), list):
        raise KioskError("malformed", _('The request must be a JSON object with a list "responses".'), 400)
    if len(payload["responses"]) > MAX_BATCH:
        raise KioskError("too_large", _("Send at most %(count)s responses in one request.") % {"count": MAX_BATCH}, 400)
    return payload["responses"]


def _form_data(answers) -> dict | None:
    """``{"q12": "5", "q13": ["a", "b"]}`` as form data, or None if any value is not text."""
    if not isinstance(answers, dict):
        return None
    data = {}
    for name, value in answers.items():
        is_text = isinstance(value, str)
        if not (is_text or (isinstance(value, list) and all(isinstance(item, str) for item in value))):
            return None
        data[name] = value
    return data


def sync(device: KioskDevice, items: list) -> SyncResult:
    """Store each queued response once, the whole batch in a few queries. Each item: ``{"key": uuid, "language": code,
    "answers": {question name: value or [values]}}``, validated as the respondent form
    validates a posted one. A key already stored is reported as a duplicate (sent before:
    the tablet may forget it); an invalid item is rejected with a reason and stores
    nothing."""
    survey = device.survey
    questions = list(survey.questions.all())
    presented: dict[str, list] = {}
    result = SyncResult()
    valid = []
    for item in items:
        key = item.get("key") if isinstance(item, dict) else None
        try:
            submission_key = uuid.UUID(str(key))
        except ValueError:
            result.rejected.append({"key": key if isinstance(key, str) else None, "error": "invalid_key"})
            continue
        language = item.get("language")
        data = _form_data(item.get("answers"))
        if language not in survey.languages or data is None:
            result.rejected.append({"key": key, "error": "invalid"})
            continue
        with translation.override(language):
            if language not in presented:
                presented[language] = present_questions(survey, questions, language)
            form = ResponseForm(data, questions=presented[language])
            if not form.is_valid():
                result.rejected.append({"key": key, "error": "invalid"})
                continue
        valid.append((key, submission_key, language, form.answers()))
    stored_now = submit_responses(
        survey, [(submission_key, language, answers) for _k, submission_key, language, answers in valid]
    )
    for key, submission_key, _language, _answers in valid:
        if submission_key in stored_now:
            stored_now.discard(submission_key)
            result.stored.append(key)
        else:
            result.duplicates.append(key)
    KioskDevice.objects.filter(pk=device.pk).update(last_sync_at=timezone.now())
    return result
