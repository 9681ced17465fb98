"""Who may open an assessment.

An organisation's assessment: its members (outsiders get 404, through organisations.access).
An assessment started without an account: whoever opened its private link in this browser
session. The link itself is never stored: the session remembers the link's hash, which is
what the assessment stores too.
"""

from django.http import Http404

from inclusion.core.tokens import hash_token
from inclusion.organisations.access import membership_for
from inclusion.organisations.models import Role

from .models import Assessment

SESSION_KEY = "unlocked_assessments"


def unlock(request, token: str) -> Assessment:
    """Open the latest round of the series that a private link belongs to, or 404."""
    token_hash = hash_token(token)
    latest = (
        Assessment.objects.filter(private_token_hash=token_hash, organisation__isnull=True)
        .order_by("-round_number")
        .first()
    )
    if latest is None:
        raise Http404("No such assessment")
    unlocked = request.session.get(SESSION_KEY, [])
    if token_hash not in unlocked:
        request.session[SESSION_KEY] = [*unlocked, token_hash][-20:]
    return latest


def assessment_for(request, public_id, role: str = Role.VIEWER) -> tuple[Assessment, bool]:
    """The assessment and whether this user may change it; 404 for anyone without access."""
    assessment = Assessment.objects.select_related("organisation").filter(public_id=public_id).first()
    if assessment is None:
        raise Http404("No such assessment")
    if assessment.organisation_id:
        membership = membership_for(request.user, assessment.organisation.slug, role)
        return assessment, membership.can(Role.EDITOR)
    if assessment.private_token_hash and assessment.private_token_hash in request.session.get(SESSION_KEY, []):
        return assessment, True
    raise Http404("No such assessment")
