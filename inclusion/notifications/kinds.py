"""What each kind of notification says, written at display time in the reader's language.

A notification stores only its kind and plain parameters (a description, a date, a name);
the sentence is made here, so the page and the e-mail say the same thing in the language of
whoever reads it. Nothing about a survey respondent is ever among the parameters.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from inclusion.core.i18n import localised

from .models import Kind, Notification


@dataclass(frozen=True)
class Text:
    title: str
    body: str
    url: str


def _date(value: str) -> str:
    try:
        return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
    except (TypeError, ValueError):
        return ""


def _decision(decision: str) -> str:
    return {
        "published": _("published"),
        "changes_requested": _("sent back for changes"),
        "rejected": _("rejected"),
    }.get(decision, decision)


def _sentences(notification: Notification, language: str) -> tuple[str, str]:
    p = notification.params
    kind = notification.kind
    if kind == Kind.ACTION_DUE:
        return (
            _("Action due on %(date)s") % {"date": _date(p.get("due_date"))},
            _("“%(action)s” (%(organisation)s) is due on %(date)s.")
            % {
                "action": p.get("description", ""),
                "organisation": p.get("organisation", ""),
                "date": _date(p.get("due_date")),
            },
        )
    if kind == Kind.ACTION_OVERDUE:
        return (
            _("Action overdue since %(date)s") % {"date": _date(p.get("due_date"))},
            _("“%(action)s” (%(organisation)s) was due on %(date)s and is not done yet.")
            % {
                "action": p.get("description", ""),
                "organisation": p.get("organisation", ""),
                "date": _date(p.get("due_date")),
            },
        )
    if kind == Kind.INVITATION_ACCEPTED:
        return (
            _("%(email)s joined %(organisation)s")
            % {"email": p.get("email", ""), "organisation": p.get("organisation", "")},
            _("%(email)s accepted your invitation and is now a member of %(organisation)s.")
            % {"email": p.get("email", ""), "organisation": p.get("organisation", "")},
        )
    if kind == Kind.PRACTICE_DECISION:
        title = localised(p.get("title"), language)
        body = _("A moderator has %(decision)s your practice “%(title)s”.") % {
            "decision": _decision(p.get("decision", "")),
            "title": title,
        }
        if p.get("message"):
            body += "\n\n" + _("The moderator's message:") + "\n" + p["message"]
        return _("Your practice “%(title)s” was %(decision)s") % {
            "title": title,
            "decision": _decision(p.get("decision", "")),
        }, body
    if kind == Kind.SUBMISSION_WAITING:
        title = localised(p.get("title"), language)
        return (
            _("A practice waits for review"),
            _("“%(title)s” from %(organisation)s waits for review since %(date)s.")
            % {"title": title, "organisation": p.get("organisation", ""), "date": _date(p.get("submitted_on"))},
        )
    return notification.get_kind_display(), ""


def describe(notification: Notification, language: str | None = None) -> Text:
    """The title, body and link of a notification in ``language`` (default: the active one)."""
    language = language or translation.get_language()
    with translation.override(language):
        title, body = _sentences(notification, language)
        try:
            url = reverse(notification.url_name, args=notification.url_args) if notification.url_name else ""
        except NoReverseMatch:
            url = ""
    return Text(title=title, body=body, url=url)
