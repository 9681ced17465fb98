from django import template

from .. import results

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


@register.inclusion_tag("feedback/_summary_area.html", takes_context=True)
def refugee_feedback(context, assessment, area):
    """What refugees said about one key area, beside a self-assessment's answers.

    Computed for every area at once on the first call and kept in the template's render
    context, so the summary page makes the same queries however many areas it shows.
    """
    cache = context.render_context
    key = ("refugee_feedback", assessment.pk)
    if key not in cache:
        organisation_id = assessment.organisation_id
        cache[key] = (
            results.organisation_feedback(assessment.organisation, context.get("LANGUAGE_CODE") or "en")
            if organisation_id
            else None
        )
    feedback = cache[key]
    if feedback is None:
        return {"show": False}
    return {
        "show": True,
        "area": area,
        "questions": feedback.by_area.get(area.id, []),
        "activity": feedback.activity if area.id == feedback.activity.area else None,
        "min_group_size": results.MIN_GROUP_SIZE,
        "organisation": assessment.organisation,
        "shared": context.get("shared", False),
    }
