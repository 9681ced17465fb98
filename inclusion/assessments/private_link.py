"""The page that shows a new private link, shared by starting and importing a self-assessment."""

from django.shortcuts import render
from django.urls import reverse

from .access import unlock


def private_link_page(request, assessment, token, next_url=None):
    """The one time a private link is shown; this browser is let in straight away."""
    unlock(request, token)
    return render(
        request,
        "assessments/private_link.html",
        {
            "assessment": assessment,
            "url": request.build_absolute_uri(reverse("assessments:private_link", args=[token])),
            "next_url": next_url or reverse("assessments:overview", args=[assessment.public_id]),
        },
    )
