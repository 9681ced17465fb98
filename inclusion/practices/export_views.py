"""Downloads of a rating (PDF, XLSX): members of the practice's organisation only."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from inclusion.core import exporters

from . import exports
from .models import Rating
from .views import with_practice

CONTENT_TYPES = {"pdf": "application/pdf", "xlsx": exporters.XLSX_CONTENT_TYPE}


@with_practice()
def rating_export(request, practice, membership, rating_id, fmt):
    if fmt not in CONTENT_TYPES:
        raise Http404("No such export format")
    rating = get_object_or_404(Rating.objects.select_related("rater"), pk=rating_id, practice=practice)
    language = get_language()
    if fmt == "pdf":
        data = exports.rating_pdf(rating, language)
    else:
        data = exporters.to_xlsx(*exports.rating_tables(rating, language))
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    filename = f"practice-{practice.pk}-rating-{rating.pk}-{timezone.localdate().isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True)
    return response
