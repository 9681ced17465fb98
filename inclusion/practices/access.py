"""Who may open an organisation's practice, and who may moderate.

A practice that an organisation is writing (its drafts, ratings, messages) is visible to
that organisation's members only, through organisations.access: outsiders get 404 from
every URL and method, members whose role is too low 403. Moderation pages answer 404 to
anyone without the moderator permission, so that they do not even learn what is waiting.
"""

from django.http import Http404

from inclusion.organisations.access import member_view
from inclusion.organisations.models import Role

from .models import Practice, PracticeVersion
from .moderation import can_moderate

MEMBER_PRACTICES = Practice.objects.select_related("current_version", "published_version")


def with_practice(role: str = Role.VIEWER):
    """Decorate ``view(request, practice, membership, **kwargs)`` for URLs with ``practice_id``."""
    return member_view(MEMBER_PRACTICES, role=role, url_kwarg="practice_id")


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
