from django.utils.translation import gettext as _


class AssessmentError(ValueError):
    """Input that cannot be saved; the message is for the user."""


def require_open(assessment) -> None:
    """Refuse changes to a round that is read-only (closed by the next round, or signed off)."""
    if assessment.is_read_only:
        raise AssessmentError(_("This round is closed and can only be read. An owner can reopen it."))
