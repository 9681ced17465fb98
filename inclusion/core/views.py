from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language

from inclusion.handbook.services import get_handbook


def home(request):
    edition = get_handbook().edition(get_language())
    return render(request, "core/home.html", {"edition": edition})


def healthz(request):
    """For load balancers and monitors: 200 when the database answers, 503 when not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": str(error.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "content_version": get_handbook().version})


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
