"""Who may open an organisation's practice, and who may moderate.

A practice that an organisation is writing (its drafts, ratings, messages) is visible to
that organisation's members only: outsiders get 404 through organisations.access, members
whose role is too low 403. Moderation pages answer 404 to anyone without the moderator
permission, so that they do not even learn what is waiting.
"""

from django.http import Http404

from inclusion.organisations.access import membership_for
from inclusion.organisations.models import Role

from .models import Practice, PracticeVersion
from .services import can_moderate


def practice_for(user, practice_id: int, role: str = Role.VIEWER):
    """(practice, membership) for a member of the practice's organisation, or 404/403."""
    practice = (
        Practice.objects.select_related("organisation", "current_version", "published_version")
        .filter(pk=practice_id, organisation__isnull=False)
        .first()
    )
    if practice is None or not user.is_authenticated:
        raise Http404("No such practice")
    membership = membership_for(user, practice.organisation.slug, role)
    return practice, membership


def require_moderator(user) -> None:
    if not can_moderate(user):
        raise Http404("No such page")


def version_for_review(user, version_id: int) -> PracticeVersion:
    require_moderator(user)
    version = (
        PracticeVersion.objects.select_related("practice__organisation", "practice__published_version")
        .filter(pk=version_id, practice__organisation__isnull=False)
        .first()
    )
    if version is None:
        raise Http404("No such version")
    return version
