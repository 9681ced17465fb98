"""Each member's choices, per kind: e-mail on or off and how often; and their language."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.utils import timezone

from .models import EmailStatus, Frequency, Kind, Notification, Preference

# Moderators read the queue once a day; everything else is worth knowing as it happens.
DEFAULTS = {kind: {"email": True, "frequency": Frequency.IMMEDIATE.value} for kind in Kind.values}
DEFAULTS[Kind.SUBMISSION_WAITING] = {"email": True, "frequency": Frequency.DAILY.value}
# Never one e-mail per response: new responses come in a daily digest unless chosen weekly.
DEFAULTS[Kind.SURVEY_RESPONSES] = {"email": True, "frequency": Frequency.DAILY.value}

# Digests leave at this local hour; weekly ones on Mondays.
DIGEST_HOUR = 7


def choices_for(preference: Preference | None, kind: str) -> dict:
    chosen = dict(DEFAULTS[kind])
    if preference is not None:
        chosen.update({k: v for k, v in (preference.kinds.get(kind) or {}).items() if k in chosen})
    return chosen


def preferences_of(user_ids: Iterable[int]) -> dict[int, Preference]:
    """The stored preferences of these users, in one query (absent: defaults)."""
    return {p.user_id: p for p in Preference.objects.filter(user_id__in=list(user_ids))}


def preference_for(user) -> Preference:
    preference = Preference.objects.filter(user=user).first()
    return preference or Preference(user=user, language=settings.LANGUAGE_CODE, kinds={})


def language_of(preference: Preference | None) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    if preference is not None and preference.language in codes:
        return preference.language
    return settings.LANGUAGE_CODE


def send_after(frequency: str, now: datetime.datetime) -> datetime.datetime:
    """When an item of this frequency may leave: now, the next digest hour, or next Monday's."""
    if frequency == Frequency.IMMEDIATE:
        return now
    local = timezone.localtime(now)
    at = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if at <= local:
        at += datetime.timedelta(days=1)
    if frequency == Frequency.WEEKLY:
        at += datetime.timedelta(days=(7 - at.weekday()) % 7)
    return at


def save_preferences(user, language: str, kinds: dict[str, dict]) -> Preference:
    """Store the choices and apply them to what is still waiting to be e-mailed."""
    preference, _created = Preference.objects.get_or_create(user=user)
    preference.language = language
    preference.kinds = {kind: {"email": bool(v["email"]), "frequency": v["frequency"]} for kind, v in kinds.items()}
    preference.save()
    now = timezone.now()
    for kind, chosen in preference.kinds.items():
        waiting = Notification.objects.filter(recipient=user, kind=kind, email_status=EmailStatus.PENDING)
        if not chosen["email"]:
            waiting.update(email_status=EmailStatus.OFF)
        else:
            waiting.update(send_after=send_after(chosen["frequency"], now))
    return preference


# --- one-click unsubscribe: a signed (user, kinds) pair, valid without signing in ---

UNSUBSCRIBE_SALT = "inclusion.notifications.unsubscribe"


def unsubscribe_token(user_id: int, kinds: Iterable[str]) -> str:
    return signing.dumps({"u": user_id, "k": sorted(set(kinds))}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, list[str]] | None:
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("u"), int):
        return None
    kinds = [kind for kind in value.get("k") or [] if kind in Kind.values]
    return (value["u"], kinds) if kinds else None


def unsubscribe(user, kinds: Iterable[str]) -> None:
    """Turn e-mail off for these kinds (in-app notifications stay)."""
    preference, _created = Preference.objects.get_or_create(user=user)
    for kind in kinds:
        chosen = choices_for(preference, kind)
        chosen["email"] = False
        preference.kinds[kind] = chosen
    preference.save(update_fields=["kinds"])
    Notification.objects.filter(recipient=user, kind__in=list(kinds), email_status=EmailStatus.PENDING).update(
        email_status=EmailStatus.OFF
    )
