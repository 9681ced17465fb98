"""Downloads of a rating (PDF, XLSX): members of the practice's organisation only."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language

from inclusion.core import exporters
from inclusion.core.downloads import download

from . import exports
from .access import with_practice
from .models import Rating

FORMATS = ("pdf", "xlsx")


@with_practice()
def rating_export(request, practice, membership, rating_id, fmt):
    if fmt not in FORMATS:
        raise Http404("No such export format")
    rating = get_object_or_404(Rating.objects.select_related("rater"), pk=rating_id, practice=practice)
    language = get_language()
    if fmt == "pdf":
        data = exports.rating_pdf(rating, language)
    else:
        data = exporters.to_xlsx(*exports.rating_tables(rating, language))
    return download(data, fmt, f"practice-{practice.pk}-rating-{rating.pk}-{timezone.localdate().isoformat()}.{fmt}")
