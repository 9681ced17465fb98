from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from inclusion.handbook.services import country_name, render_markdown

register = template.Library()


@register.filter
def markdown(text: str):
    """Content Markdown as sanitised HTML."""
    return mark_safe(render_markdown(text))  # noqa: S308 - render_markdown sanitises with nh3


@register.filter
def countries(codes: list[str]) -> str:
    """ISO country codes as names in the current language, comma-separated."""
    language = get_language()
    return ", ".join(country_name(code, language) for code in codes)
