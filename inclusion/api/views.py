"""Owners manage their organisation's API access tokens."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from inclusion.organisations.access import membership_for
from inclusion.organisations.models import Role

from .models import AccessToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “Council dashboard”."),
    )


@login_required
def tokens(request, slug):
    membership = membership_for(request.user, slug, Role.OWNER)
    organisation = membership.organisation
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _record, new_token = AccessToken.issue(organisation, request.user, form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "organisation": organisation,
            "membership": membership,
            "form": form,
            "new_token": new_token,
            "tokens": organisation.access_tokens.select_related("created_by"),
        },
    )


@login_required
@require_POST
def revoke(request, slug, token_id):
    membership = membership_for(request.user, slug, Role.OWNER)
    record = get_object_or_404(AccessToken, pk=token_id, organisation=membership.organisation)
    if record.revoked_at is None:
        record.revoked_at = timezone.now()
        record.save(update_fields=["revoked_at"])
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": record.name})
    return redirect("api_tokens:tokens", slug=slug)
