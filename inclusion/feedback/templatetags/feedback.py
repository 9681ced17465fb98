from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template: a dict entry or a form's bound field."""
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return None


@register.filter
def is_selected(value, current) -> bool:
    """Whether a choice was picked: current is one value or a list (several choices)."""
    if isinstance(current, list | tuple):
        return value in current
    return value == current


@register.filter
def people(count):
    """A count about people as the suppression rule allows: None or 1–4 read "fewer than 5"."""
    from django.utils.translation import gettext

    from inclusion.core.suppression import is_publishable

    if count is None or (count and not is_publishable(count)):
        return gettext("fewer than 5")
    return count


@register.filter
def bdi(value):
    """User or organisation text inside a translated sentence, isolated so that its direction
    does not reorder the words around it ("Cēsu novada :نظر شما")."""
    from django.utils.html import format_html

    return format_html('<bdi dir="auto">{}</bdi>', value)


@register.filter
def isolate(value):
    """The same for plain text where no element may stand (a page's <title>): Unicode first
    strong isolate … pop directional isolate."""
    return f"\u2068{value}\u2069"
