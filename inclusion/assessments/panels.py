"""The self-assessments panel on an organisation's page. The organisations app asks for
panels through a signal, so that it does not import the apps that provide them."""

from .rounds import latest_rounds


def organisation_panel(sender, organisation, membership, request=None, **kwargs) -> dict:
    """The organisation's self-assessments (the latest round of each) for its detail page."""
    return {
        "template": "assessments/_organisation_panel.html",
        "context": {"assessments": latest_rounds(organisation), "membership": membership, "organisation": organisation},
        "order": 10,
    }
