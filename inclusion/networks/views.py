"""Network pages: parse the request, call the domain modules, render.

Coordinators' pages load the network through ``access.network_for_coordinator`` (404 for
everyone else); an organisation's own network settings go through
``organisations.access.membership_for`` (404 for outsiders, 403 below owner)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from inclusion.core.downloads import download
from inclusion.core.fragments import cached_fragment
from inclusion.feedback.report import results_with_charts
from inclusion.handbook.services import get_handbook
from inclusion.organisations.access import membership_for
from inclusion.organisations.models import Membership, Organisation, OrganisationKind, Role

from . import collection as practice_collection
from . import dashboard as board
from . import shared_surveys
from .access import (
    member_for_coordinator,
    member_for_owner,
    network_for_coordinator,
    network_for_reader,
    submission_for_coordinator,
    survey_for_coordinator,
)
from .forms import InviteOrganisationForm, JoinForm, NetworkForm, SharingForm
from .membership import (
    NetworkError,
    activate,
    close_join_link,
    create_network,
    network_for_join_token,
    new_join_link,
    request_to_join,
    set_sharing,
)
from .membership import invite as invite_organisation
from .membership import leave as leave_network
from .models import MemberStatus, Network, NetworkMember, Sharing, SharingChange
from .report import report_pdf, report_xlsx


def _edition():
    return get_handbook().edition(get_language())


def index(request):
    coordinated = Network.objects.filter(coordinators__user=request.user) if request.user.is_authenticated else []
    public = Network.objects.filter(is_public=True)
    return render(request, "networks/index.html", {"coordinated": coordinated, "public": public})


@login_required
def create(request):
    form = NetworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            network = create_network(request.user, **form.cleaned_data)
        except NetworkError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s has been created. You coordinate it.") % {"name": network.name})
            return redirect("networks:manage", network_slug=network.slug)
    return render(request, "networks/create.html", {"form": form})


def detail(request, network_slug):
    network, coordinator = network_for_reader(request.user, network_slug)
    members = NetworkMember.objects.filter(network=network, status=MemberStatus.ACTIVE).count()
    context = {
        "network": network,
        "is_coordinator": coordinator,
        "member_count": members,
        "practices": practice_collection.collection(network, limit=practice_collection.PAGE_LIMIT),
        "practice_count": practice_collection.collection_size(network),
    }
    return render(request, "networks/detail.html", context)


def _manage_context(network, form=None, invite_form=None):
    members = (
        NetworkMember.objects.filter(network=network)
        .select_related("organisation")
        .order_by("status", "organisation__name")
    )
    return {
        "network": network,
        "form": form or NetworkForm.for_network(network),
        "invite_form": invite_form or InviteOrganisationForm(),
        "members": members,
        "has_join_link": bool(network.join_token_hash),
    }


def manage(request, network_slug):
    network = network_for_coordinator(request.user, network_slug)
    form = NetworkForm.for_network(network, request.POST or None)
    if request.method == "POST" and form.is_valid():
        for field, value in form.cleaned_data.items():
            setattr(network, field, value)
        network.save(update_fields=list(form.cleaned_data))
        messages.success(request, _("The network's details have been saved."))
        return redirect("networks:manage", network_slug=network.slug)
    return render(request, "networks/manage.html", _manage_context(network, form=form))


def invite(request, network_slug):
    network = network_for_coordinator(request.user, network_slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = InviteOrganisationForm(request.POST)
    if form.is_valid():
        organisation = Organisation.objects.filter(slug=form.cleaned_data["organisation"]).first()
        if organisation is None:
            form.add_error("organisation", _("There is no organisation with that address name."))
        else:
            try:
                invite_organisation(network, organisation)
            except NetworkError as error:
                form.add_error("organisation", str(error))
            else:
                messages.success(
                    request,
                    _("%(name)s has been invited. One of its owners accepts for it.") % {"name": organisation.name},
                )
                return redirect("networks:manage", network_slug=network.slug)
    return render(request, "networks/manage.html", _manage_context(network, invite_form=form), status=400)


def join_link(request, network_slug):
    network = network_for_coordinator(request.user, network_slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if request.POST.get("action") == "close":
        close_join_link(network)
        messages.success(request, _("The join link no longer works."))
    else:
        token = new_join_link(network)
        url = request.build_absolute_uri(reverse("networks:join", kwargs={"token": token}))
        messages.success(
            request,
            _("The new join link (shown only now; the previous one no longer works): %(url)s") % {"url": url},
        )
    return redirect("networks:manage", network_slug=network.slug)


def approve(request, network_slug, entry_id):
    network = network_for_coordinator(request.user, network_slug)
    member = member_for_coordinator(network, entry_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if member.status == MemberStatus.REQUESTED:
        activate(member, request.user)
        messages.success(request, _("%(name)s is now a member.") % {"name": member.organisation.name})
    return redirect("networks:manage", network_slug=network.slug)


def practices(request, network_slug):
    """The practices member organisations submitted, featured first: coordinators feature them."""
    network = network_for_coordinator(request.user, network_slug)
    page = practice_collection.collection_page(network, request.GET.get("page"))
    return render(request, "networks/practices.html", {"network": network, "page": page})


def feature(request, network_slug, submission_id):
    network = network_for_coordinator(request.user, network_slug)
    entry = submission_for_coordinator(network, submission_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    featured = request.POST.get("featured") == "1"
    practice_collection.set_featured(entry, featured)
    if featured:
        messages.success(request, _("The practice is featured on the network's page."))
    else:
        messages.success(request, _("The practice is no longer featured."))
    return redirect("networks:practices", network_slug=network.slug)


def dashboard(request, network_slug):
    """The coordinator's dashboard. Its body depends only on the network, the filters and the
    language, so it is rendered once per state of the aggregates and of the members' sharing
    (board.dashboard_version) and then served from core.fragments."""
    network = network_for_coordinator(request.user, network_slug)
    key = board.dashboard_cache_key(network, get_language(), get_handbook().version, request.GET)
    body = cached_fragment(
        key,
        lambda: render_to_string(
            "networks/_dashboard_body.html", _dashboard_context(request, network), request=request
        ),
        board.DASHBOARD_CACHE_SECONDS,
    )
    return render(request, "networks/dashboard.html", {"network": network, "body": mark_safe(body)})  # noqa: S308


def _dashboard_context(request, network) -> dict:
    edition = _edition()
    areas = [area.id for area in edition.areas]
    regions, periods = board.filter_choices(network)
    filters = board.parse_filters(request.GET, regions, periods)
    page, rows = board.heatmap(network, areas, filters, request.GET.get("page"))
    factor_groups, factor_rows = board.factor_heatmap(page, edition)
    period_list, progress_rows, latest = board.progress(network, edition)
    counted, gaps = board.common_gaps(network, edition)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "network": network,
        "edition": edition,
        "filters": filters,
        "kinds": OrganisationKind.choices,
        "regions": regions,
        "periods": periods,
        "page": page,
        "rows": rows,
        "factor_groups": factor_groups,
        "factor_rows": factor_rows,
        "filter_query": query.urlencode(),
        "progress_periods": period_list,
        "progress_rows": progress_rows,
        "latest": latest,
        "chart": board.progress_chart(progress_rows, edition),
        "gap_organisations": counted,
        "gaps": gaps,
    }


def surveys(request, network_slug):
    """The member organisations that share their survey results now, with their surveys."""
    network = network_for_coordinator(request.user, network_slug)
    page, organisations = shared_surveys.organisations_page(network, request.GET.get("page"))
    return render(request, "networks/surveys.html", {"network": network, "page": page, "organisations": organisations})


def survey_results(request, network_slug, survey_id):
    """One shared survey's results as the organisation's readers see them: the suppressed
    counts and charts only. No written answers: an editor's review makes them readable inside
    the organisation, not outside it."""
    network = network_for_coordinator(request.user, network_slug)
    survey = survey_for_coordinator(network, survey_id)
    context = {
        **results_with_charts(survey, get_language()),
        "network": network,
        "organisation": survey.organisation,
        "survey": survey,
    }
    return render(request, "networks/survey_results.html", context)


def report(request, network_slug, fmt):
    """The network report in the page's language: XLSX or PDF."""
    network = network_for_coordinator(request.user, network_slug)
    if fmt not in {"xlsx", "pdf"}:
        raise Http404("No such format")
    language = "lv" if get_language() == "lv" else "en"
    build = report_xlsx if fmt == "xlsx" else report_pdf
    filename = f"{network.slug}-{language}-{timezone.localdate().isoformat()}.{fmt}"
    return download(build(network, language), fmt, filename)


@login_required
def join(request, token):
    network = network_for_join_token(token)
    if network is None:
        return render(request, "networks/join_invalid.html", status=404)
    owned = Organisation.objects.filter(memberships__user=request.user, memberships__role=Role.OWNER).order_by("name")
    form = JoinForm(request.POST or None, organisations=owned)
    if request.method == "POST" and form.is_valid():
        membership = membership_for(request.user, form.cleaned_data["organisation"], Role.OWNER)
        try:
            member = request_to_join(network, membership.organisation)
        except NetworkError as error:
            form.add_error("organisation", str(error))
        else:
            if member.status == MemberStatus.ACTIVE:
                messages.success(
                    request, _("%(name)s has joined the network.") % {"name": membership.organisation.name}
                )
            else:
                messages.success(request, _("The network's coordinators will consider your request."))
            return redirect("networks:organisation_networks", slug=membership.organisation.slug)
    return render(request, "networks/join.html", {"network": network, "form": form, "owned": owned})


def _owner_entry(request, slug, entry_id) -> tuple[Membership, NetworkMember]:
    """For the POST-only organisation URLs: 404 for outsiders, then 405, then 403 below owner."""
    membership = membership_for(request.user, slug)
    member = member_for_owner(membership, entry_id)
    if request.method != "POST":
        raise _NotAllowed
    if not membership.can(Role.OWNER):
        raise PermissionDenied(_("Only the organisation's owners decide about its networks."))
    return membership, member


class _NotAllowed(Exception):
    pass


def _post_only(view):
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _NotAllowed:
            return HttpResponseNotAllowed(["POST"])

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@login_required
def organisation_networks(request, slug):
    """The organisation's networks, what it shares with each and the history: owners only."""
    membership = membership_for(request.user, slug, Role.OWNER)
    organisation = membership.organisation
    entries = list(
        NetworkMember.objects.filter(organisation=organisation).select_related("network").order_by("network__name")
    )
    for entry in entries:
        entry.form = SharingForm(initial={"sharing": entry.sharing}, prefix=f"n{entry.pk}")
    history = SharingChange.objects.filter(organisation=organisation).select_related("network", "changed_by")[:100]
    context = {"organisation": organisation, "membership": membership, "entries": entries, "history": history}
    return render(request, "networks/organisation_networks.html", context)


@login_required
@_post_only
def accept(request, slug, entry_id):
    _membership, member = _owner_entry(request, slug, entry_id)
    if member.status == MemberStatus.INVITED:
        activate(member, request.user)
        messages.success(request, _("You have joined %(name)s.") % {"name": member.network.name})
    return redirect("networks:organisation_networks", slug=slug)


@login_required
@_post_only
def change_sharing(request, slug, entry_id):
    _membership, member = _owner_entry(request, slug, entry_id)
    form = SharingForm(request.POST, prefix=f"n{member.pk}")
    if not form.is_valid():
        form = SharingForm(request.POST)
    if form.is_valid():
        set_sharing(member, form.cleaned_data["sharing"], request.user)
        messages.success(
            request,
            _("From now on you share with %(name)s: %(choice)s.")
            % {"name": member.network.name, "choice": Sharing(form.cleaned_data["sharing"]).label},
        )
    else:
        messages.error(request, _("Choose what you share with this network."))
    return redirect("networks:organisation_networks", slug=slug)


@login_required
@_post_only
def leave(request, slug, entry_id):
    _membership, member = _owner_entry(request, slug, entry_id)
    leave_network(member, request.user)
    messages.success(request, _("You are no longer in %(name)s.") % {"name": member.network.name})
    return redirect("networks:organisation_networks", slug=slug)


@login_required
def organisation_practices(request, slug, entry_id):
    """An organisation's editors submit its published practices to one of its networks."""
    membership = membership_for(request.user, slug, Role.EDITOR)
    member = member_for_owner(membership, entry_id)
    if request.method == "POST":
        try:
            _entry, created = practice_collection.submit(member, request.POST.get("practice"), request.user)
        except NetworkError as error:
            messages.error(request, str(error))
        else:
            name = {"name": member.network.name}
            if created:
                messages.success(request, _("The practice is now in %(name)s's collection.") % name)
            else:
                messages.info(request, _("The practice was already in %(name)s's collection.") % name)
        return redirect("networks:organisation_practices", slug=slug, entry_id=member.pk)
    published = practice_collection.published_practices(membership.organisation_id)
    submitted = practice_collection.submitted_ids(member.network_id, membership.organisation_id)
    for practice in published:
        practice.submitted = practice.pk in submitted
    context = {
        "organisation": membership.organisation,
        "member": member,
        "network": member.network,
        "is_active": member.status == MemberStatus.ACTIVE,
        "published": published,
    }
    return render(request, "networks/organisation_practices.html", context)
