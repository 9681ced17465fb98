"""Formatting for self-assessment templates; no queries (data comes from the views)."""

from django import template
from django.utils.safestring import mark_safe

from inclusion.assessments.models import AnswerValue
from inclusion.assessments.notes import sanitise_note

register = template.Library()
ANSWER_LABELS = dict(AnswerValue.choices)


@register.filter
def answer_label(value: str | None) -> str:
    return ANSWER_LABELS[value] if value else ""


@register.filter
def note_html(text: str):
    """Notes are sanitised when saved; sanitise again when shown, in case of older data."""
    return mark_safe(sanitise_note(text))  # noqa: S308 - sanitised by nh3 just above


@register.filter
def area_entry(mapping: dict, area_id: str):
    """What the view computed for one key area (``mapping[area_id]``), or None."""
    return (mapping or {}).get(area_id)
