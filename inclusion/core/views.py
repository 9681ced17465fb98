"""Error pages for the whole site: HTML for people, the API's JSON error shape under /api/."""

from django.http import JsonResponse
from django.shortcuts import render


def _api_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return _api_error(404, "not_found", "Not found.")
    return render(request, "core/404.html", status=404)


def server_error(request):
    if request.path.startswith("/api/"):
        return _api_error(500, "server_error", "Something went wrong on our side. Please try again later.")
    return render(request, "core/500.html", status=500)
