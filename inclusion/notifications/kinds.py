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
from inclusion.core.suppression import MIN_GROUP_SIZE

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
    if kind == Kind.ROUND_DUE_SOON:
        return (
            _("Round %(round)s of “%(title)s” is due on %(date)s")
            % {"round": p.get("round"), "title": p.get("title", ""), "date": _date(p.get("due_date"))},
            _("%(organisation)s planned the next round of the self-assessment “%(title)s” for %(date)s.")
            % {
                "organisation": p.get("organisation", ""),
                "title": p.get("title", ""),
                "date": _date(p.get("due_date")),
            },
        )
    if kind == Kind.ROUND_DUE:
        return (
            _("Round %(round)s of “%(title)s” is due") % {"round": p.get("round"), "title": p.get("title", "")},
            _(
                "%(organisation)s planned the next round of the self-assessment “%(title)s” for %(date)s. "
                "Start it from the last round."
            )
            % {
                "organisation": p.get("organisation", ""),
                "title": p.get("title", ""),
                "date": _date(p.get("due_date")),
            },
        )
    if kind == Kind.FEEDBACK_NONE:
        return (
            _("Time to hear refugees again"),
            _(
                "%(organisation)s has had no feedback survey open in the last 6 months. "
                "The handbook asks for feedback at least twice a year."
            )
            % {"organisation": p.get("organisation", "")},
        )
    if kind == Kind.SURVEY_CLOSING:
        return (
            _("The survey “%(title)s” closes on %(date)s")
            % {"title": p.get("title", ""), "date": _date(p.get("closes_on"))},
            _("The survey “%(title)s” closes on %(date)s. Share the link once more if you want more answers.")
            % {"title": p.get("title", ""), "date": _date(p.get("closes_on"))},
        )
    if kind == Kind.SURVEY_RESPONSES:
        total = p.get("total")
        if total is None:  # never stored so, but never shown either
            count = _("fewer than %(count)s") % {"count": MIN_GROUP_SIZE}
        else:
            count = _("at least %(count)s") % {"count": total}
        return (
            _("New responses to “%(title)s”") % {"title": p.get("title", "")},
            _("The survey “%(title)s” has %(count)s responses so far.") % {"title": p.get("title", ""), "count": count},
        )
    if kind == Kind.CHANGES_NOT_PUBLISHED:
        return (
            _("Tell respondents what changed: “%(title)s”") % {"title": p.get("title", "")},
            _("The survey “%(title)s” closed on %(date)s and its “You said, we did” page is not published yet.")
            % {"title": p.get("title", ""), "date": _date(p.get("closes_on"))},
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
