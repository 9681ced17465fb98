"""Endpoints of the whole deployment rather than of one app."""

from django.db import connection
from django.http import JsonResponse

from inclusion.handbook.services import get_handbook


def healthz(request):
    """For load balancers and monitors: 200 when the database answers, 503 when not.

    The content version says which handbook a server is serving, so that a deployment can
    be checked to have picked up new content on every server.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": str(error.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "content_version": get_handbook().version})
