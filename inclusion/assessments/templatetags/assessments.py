"""Formatting for self-assessment templates; no queries (data comes from the views)."""

from django import template
from django.utils.safestring import mark_safe

from inclusion.assessments.models import AnswerValue
from inclusion.core.markdown import typed_text_to_html

register = template.Library()
ANSWER_LABELS = dict(AnswerValue.choices)


@register.filter
def answer_label(value: str | None) -> str:
    return ANSWER_LABELS[value] if value else ""


@register.filter
def note_html(text: str):
    """Notes as typed (paragraphs, "- " lists, **bold**) as the same safe HTML subset on
    every page and in the PDF; sanitised when saved and again here."""
    return mark_safe(typed_text_to_html(text))  # noqa: S308 - sanitised by core.markdown (nh3)


@register.filter
def area_entry(mapping: dict, area_id: str):
    """What the view computed for one key area (``mapping[area_id]``), or None."""
    return (mapping or {}).get(area_id)
