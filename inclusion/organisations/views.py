"""Organisation pages: parse the request, call a service, render. Every page that belongs to an
organisation loads it through `access.membership_for`, so outsiders get 404 and members whose
role is too low get 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .access import membership_for
from .forms import InviteForm, OrganisationForm, RoleForm
from .models import Invitation, Membership, Organisation, Role
from .signals import organisation_panels


@login_required
def dashboard(request):
    return render(request, "organisations/dashboard.html", {"memberships": services.memberships_of(request.user)})


@login_required
def create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.create_organisation(request.user, **form.cleaned_data)
        messages.success(request, _("%(name)s has been created. You are its owner.") % {"name": organisation.name})
        return redirect("organisations:detail", slug=organisation.slug)
    return render(request, "organisations/create.html", {"form": form})


def _panels(request, organisation: Organisation, membership: Membership) -> list[str]:
    """The sections other apps add to the organisation page, rendered, in their order.

    Each receiver of `organisation_panels` returns {"template", "context", "order"}; the
    template gets the organisation, the membership and its own context, with the request
    (CSRF token, language)."""
    responses = organisation_panels.send(
        sender=Organisation, organisation=organisation, membership=membership, request=request
    )
    panels = sorted((panel for _receiver, panel in responses if panel), key=lambda panel: panel["order"])
    base = {"organisation": organisation, "membership": membership}
    return [render_to_string(panel["template"], {**base, **panel["context"]}, request=request) for panel in panels]


@login_required
def detail(request, slug):
    membership = membership_for(request.user, slug)
    organisation = membership.organisation
    context = {
        "organisation": organisation,
        "membership": membership,
        "member_count": organisation.memberships.count(),
        "panels": _panels(request, organisation, membership),
    }
    return render(request, "organisations/detail.html", context)


@login_required
def edit(request, slug):
    membership = membership_for(request.user, slug, Role.OWNER)
    organisation = membership.organisation
    form = OrganisationForm.for_organisation(organisation, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.update_organisation(membership, **form.cleaned_data)
        messages.success(request, _("The organisation’s details have been saved."))
        return redirect("organisations:detail", slug=organisation.slug)
    context = {"organisation": organisation, "membership": membership, "form": form}
    return render(request, "organisations/edit.html", context)


@login_required
def members(request, slug):
    """The member list for everyone in the organisation; inviting (POST) is for owners."""
    needed = Role.OWNER if request.method == "POST" else Role.VIEWER
    membership = membership_for(request.user, slug, needed)
    organisation = membership.organisation
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite(
                organisation,
                membership,
                form.cleaned_data["email"],
                form.cleaned_data["role"],
                base_url=request.build_absolute_uri("/"),
            )
        except services.InvitationError as error:
            form.add_error("email", error.message)
        else:
            messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": invitation.email})
            return redirect("organisations:members", slug=organisation.slug)
    is_owner = membership.can(Role.OWNER)
    context = {
        "organisation": organisation,
        "membership": membership,
        "is_owner": is_owner,
        "members": organisation.memberships.select_related("user").order_by("user__email"),
        "invitations": services.pending_invitations(organisation) if is_owner else [],
        "roles": Role.choices,
        "form": form,
    }
    return render(request, "organisations/members.html", context)


@login_required
@require_POST
def change_role(request, slug, membership_id):
    by_membership = membership_for(request.user, slug, Role.OWNER)
    target = get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=membership_id,
        organisation=by_membership.organisation,
    )
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
    else:
        try:
            services.change_role(by_membership, target, form.cleaned_data["role"])
        except services.OrganisationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(email)s now has the role “%(role)s”.")
                % {"email": target.user.email, "role": Role(target.role).label},
            )
    return redirect("organisations:members", slug=slug)


@login_required
@require_POST
def remove_member(request, slug, membership_id):
    by_membership = membership_for(request.user, slug, Role.OWNER)
    target = get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=membership_id,
        organisation=by_membership.organisation,
    )
    removes_self = target.pk == by_membership.pk
    try:
        services.remove_member(by_membership, target)
    except services.OrganisationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(email)s has been removed from the organisation.") % {"email": target.user.email})
        if removes_self:
            return redirect("organisations:dashboard")
    return redirect("organisations:members", slug=slug)


@login_required
def leave(request, slug):
    membership = membership_for(request.user, slug)
    organisation = membership.organisation
    if request.method == "POST":
        try:
            services.leave(membership)
        except services.OrganisationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("You have left %(name)s.") % {"name": organisation.name})
            return redirect("organisations:dashboard")
    return render(request, "organisations/leave.html", {"organisation": organisation, "membership": membership})


@login_required
def delete(request, slug):
    membership = membership_for(request.user, slug, Role.OWNER)
    organisation = membership.organisation
    if request.method == "POST":
        try:
            name = services.delete_organisation(membership, request.POST.get("confirmation", ""))
        except services.OrganisationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(name)s and everything it held have been deleted.") % {"name": name})
            return redirect("organisations:dashboard")
    return render(
        request,
        "organisations/delete.html",
        {"organisation": organisation, "membership": membership, "typed": request.POST.get("confirmation", "")},
    )


@login_required
@require_POST
def revoke_invitation(request, slug, invitation_id):
    by_membership = membership_for(request.user, slug, Role.OWNER)
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation"), pk=invitation_id, organisation=by_membership.organisation
    )
    services.revoke_invitation(by_membership, invitation)
    messages.success(request, _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email})
    return redirect("organisations:members", slug=slug)


def _invitation_for_another_address(request, email: str):
    """403 that names the address the invitation was sent to, and how to accept it."""
    context = {"invited_email": email, "signed_in_as": request.user.email}
    return render(request, "organisations/invitation_wrong_address.html", context, status=403)


def accept_invitation(request, token):
    """The link and a confirmed address are both needed: only the invited person may accept."""
    try:
        invitation = services.pending_invitation(token)
    except services.InvitationError as error:
        status = 404 if isinstance(error, services.InvitationNotFound) else 410
        return render(request, "organisations/invitation_invalid.html", {"error": error.message}, status=status)
    if not request.user.is_authenticated:
        # Say who invited them and why an account is needed, instead of a bare sign-in form.
        context = {"invitation": invitation, "role": Role(invitation.role), "next": request.path}
        return render(request, "organisations/invitation_sign_in.html", context)
    if not services.is_addressed_to(invitation, request.user):
        return _invitation_for_another_address(request, invitation.email)
    if request.method == "POST":
        try:
            membership = services.accept_invitation(token, request.user)
        except services.InvitationForAnotherAddress as error:
            return _invitation_for_another_address(request, error.email)
        except services.InvitationError as error:
            return render(request, "organisations/invitation_invalid.html", {"error": error.message}, status=410)
        messages.success(request, _("Welcome to %(name)s.") % {"name": membership.organisation.name})
        return redirect("organisations:detail", slug=membership.organisation.slug)
    existing = services.membership_of(request.user, invitation.organisation)
    context = {"invitation": invitation, "role": Role(invitation.role), "existing": existing}
    return render(request, "organisations/accept_invitation.html", context)
