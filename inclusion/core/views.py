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


def not_found(request, exception=None):
    return render(request, "core/404.html", status=404)


def server_error(request):
    return render(request, "core/500.html", status=500)
