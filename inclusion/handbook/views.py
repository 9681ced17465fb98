"""The handbook reader: thin views over the loaded content."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import cache_page

from inclusion.core.ranges import ranged_file_response

from . import pdf
from .search import MAX_QUERY_LENGTH, highlight, search
from .services import get_handbook
from .videos import catalogue as videos

# Reader pages are the same for everyone who sends no cookie (Vary: Cookie keeps signed-in
# people's pages apart), so whole responses are kept for a few minutes. A new content
# version shows within that time; the rendered area bodies are keyed on the version.
READER_CACHE_SECONDS = 300
reader_page = cache_page(READER_CACHE_SECONDS, key_prefix="handbook")


def _edition():
    return get_handbook().edition(get_language())


def home(request):
    return render(request, "handbook/home.html", {"edition": _edition(), "videos": videos.available(get_language())})


@reader_page
def contents(request):
    return render(request, "handbook/contents.html", {"edition": _edition()})


@reader_page
def foreword(request):
    return render(request, "handbook/foreword.html", {"edition": _edition()})


def privacy(request):
    """The platform's own privacy notice for accounts, in Latvian and English (the text is in
    the template, one version per language)."""
    return render(request, "handbook/privacy.html")


@reader_page
def introduction(request):
    context = {"edition": _edition(), "videos": videos.available(get_language())}
    return render(request, "handbook/introduction.html", context)


@reader_page
def area(request, number: int):
    edition = _edition()
    if number not in range(1, len(edition.areas) + 1):
        raise Http404("No such key area")
    current = edition.area(number)
    return render(
        request,
        "handbook/area.html",
        {
            "edition": edition,
            "area": current,
            "previous_area": edition.area(number - 1) if number > 1 else None,
            "next_area": edition.area(number + 1) if number < len(edition.areas) else None,
        },
    )


@reader_page
def summary_checklist(request):
    edition = _edition()
    areas = {area.id: area for area in edition.areas}
    items = [(item, [areas[area_id] for area_id in item.areas]) for item in edition.summary.items]
    return render(request, "handbook/summary.html", {"edition": edition, "items": items})


@reader_page
def assessment_table(request):
    return render(request, "handbook/criteria.html", {"edition": _edition()})


@reader_page
def glossary(request):
    return render(request, "handbook/glossary.html", {"edition": _edition()})


def search_view(request):
    language = get_language()
    result = search(language, request.GET.get("q", ""))
    hits = [(hit, highlight(hit.document.title, result.terms)) for hit in result.hits]
    other_language_hits = {}
    if result.terms and not result.hits:
        # Nothing here: say whether the other editions would have found something.
        for code in get_handbook().languages:
            if code != language:
                other_language_hits[code] = len(search(code, result.query).hits)
    return render(
        request,
        "handbook/search.html",
        {
            "edition": _edition(),
            "result": result,
            "hits": hits,
            "other_language_hits": other_language_hits,
            "max_query_length": MAX_QUERY_LENGTH,
        },
    )


def handbook_pdf(request):
    path = pdf.handbook_pdf(get_language())
    return FileResponse(path.open("rb"), content_type="application/pdf", filename=path.name)


def area_pdf(request, number: int):
    edition = _edition()
    if number not in range(1, len(edition.areas) + 1):
        raise Http404("No such key area")
    path = pdf.area_pdf(get_language(), number)
    return FileResponse(path.open("rb"), content_type="application/pdf", filename=path.name)


def video_file(request, filename: str):
    """A built video, its captions or its poster, with range requests so that seeking works;
    ``?download=1`` saves it. Long-lived: the name changes with the content."""
    found = videos.resolve_file(filename)
    if found is None:
        raise Http404("No such video")
    path, content_type = found
    download = filename if request.GET.get("download") == "1" else None
    response = ranged_file_response(request, path, content_type, download_name=download)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
