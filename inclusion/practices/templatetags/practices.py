from django import template
from django.utils.translation import get_language

from inclusion.core import i18n
from inclusion.handbook.services import get_handbook

from ..models import IndicatorScore, OrganisationType, TargetGroup, VersionStatus
from ..scoring import BAND_LABELS

register = template.Library()


@register.filter
def localised(value) -> str:
    """User text in the reader's language, falling back to another language it was written in."""
    return i18n.localised(value)


@register.filter
def text_lang(value) -> str:
    """The language of what ``localised`` shows, for a ``lang`` attribute."""
    return i18n.pick(value)[1]


def _entries():
    return get_handbook().edition(get_language()).entries


@register.filter
def factor_name(factor_id: str) -> str:
    entry = _entries().get(factor_id)
    return entry.label if entry else ""


@register.filter
def area_label(area_id: str) -> str:
    entry = _entries().get(area_id)
    return f"{entry.node.number}. {entry.label}" if entry else ""


@register.filter
def organisation_type_label(value: str) -> str:
    return OrganisationType(value).label if value in OrganisationType.values else ""


@register.filter
def target_group_labels(values) -> str:
    return ", ".join(str(TargetGroup(value).label) for value in values or [] if value in TargetGroup.values)


@register.filter
def status_label(value: str) -> str:
    return VersionStatus(value).label if value in VersionStatus.values else ""


@register.filter
def score_label(value) -> str:
    return IndicatorScore(value).label if value in IndicatorScore.values else ""


@register.filter
def band_label(value: str) -> str:
    return BAND_LABELS.get(value, "")


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def country_label(code: str) -> str:
    from inclusion.handbook.services import country_name

    return country_name(code, get_language())
