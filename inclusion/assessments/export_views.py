"""Downloads of a self-assessment (PDF, XLSX, CSV, JSON) and the JSON import."""

import json

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from inclusion.core import exporters
from inclusion.core.downloads import download
from inclusion.handbook.services import get_handbook
from inclusion.organisations.services import editor_memberships

from . import exports
from .access import assessment_for
from .forms import ImportForm
from .private_link import private_link_page

FORMATS = ("pdf", "xlsx", "csv", "json")


def export_filename(assessment, extension: str) -> str:
    """e.g. rigas-socialais-dienests-round-2-2025-06-30.pdf: ASCII, so every browser keeps it."""
    slug = slugify(assessment.title)[:60].strip("-") or "self-assessment"
    return f"{slug}-round-{assessment.round_number}-{timezone.localdate().isoformat()}.{extension}"


def _build(assessment, fmt: str, language: str, individual: bool = False) -> bytes:
    if fmt == "pdf":
        return exports.summary_pdf(assessment, language)
    if fmt == "json":
        data = exports.export_json(assessment, individual=individual)
        return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    edition = get_handbook().edition(language)
    if fmt == "csv":
        return exporters.to_csv(exports.assessment_table(assessment, edition, individual=individual))
    tables = [
        exports.assessment_table(assessment, edition),
        exports.action_table(assessment, edition),
        exports.evidence_table(assessment, edition),
    ]
    if individual:
        tables.append(exports.individual_table(assessment, edition))
    return exporters.to_xlsx(*tables)


def shows_individual_answers(assessment) -> bool:
    """Members' own answers go into exports for an owner only, and only once the consensus
    step has made them visible at all."""
    return bool(getattr(assessment, "is_owner", False)) and assessment.in_consensus


def export(request, public_id, fmt):
    """Anyone who may read the assessment may download it; outsiders get 404."""
    if fmt not in FORMATS:
        raise Http404("No such export format")
    assessment, _can_edit = assessment_for(request, public_id)
    data = _build(assessment, fmt, get_language(), shows_individual_answers(assessment))
    return download(data, fmt, export_filename(assessment, fmt))


def import_assessment(request):
    memberships = editor_memberships(request.user)
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None, memberships=memberships)
    if posted:
        if form.is_valid():
            try:
                assessment, token = exports.import_json(
                    form.cleaned_data["file"], organisation=form.cleaned_data.get("organisation"), user=request.user
                )
            except exports.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                if token:
                    return private_link_page(request, assessment, token)
                messages.success(request, _("The self-assessment was imported."))
                return redirect("assessments:overview", assessment.public_id)
        return render(request, "assessments/import.html", {"form": form}, status=400)
    return render(request, "assessments/import.html", {"form": form})
