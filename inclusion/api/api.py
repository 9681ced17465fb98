"""The JSON API: public handbook content, and an organisation's data with its access token.

Every error has one shape, ``{"error": {"code": ..., "message": ...}}``, and no request
can produce a 500 from bad input: validation, missing objects and bad tokens all map to a
4xx here.
"""

from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from inclusion.core.tokens import hash_token

from .models import AccessToken


class TokenAuth(HttpBearer):
    """Authorization: Bearer <token>. The token decides the organisation: nothing else can."""

    def authenticate(self, request, token):
        record = (
            AccessToken.objects.select_related("organisation")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True)
            .first()
        )
        if record is None:
            return None
        now = timezone.now()
        if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 60:
            # Written at most once a minute per token: a busy client does not write on every call.
            AccessToken.objects.filter(pk=record.pk).update(last_used_at=now)
        request.organisation = record.organisation
        return record


api = NinjaAPI(
    title="Inclusion Toolkit API",
    version="1",
    description=(
        "Public read access to the handbook content (key areas, checklists, the assessment table, "
        "the glossary, good practices) per language, and an organisation's own data with a personal "
        "access token scoped to that organisation (send it as `Authorization: Bearer <token>`). "
        'Errors are JSON: `{"error": {"code": "...", "message": "..."}}`.'
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error(request, status: int, code: str, message: str):
    return api.create_response(request, {"error": {"code": code, "message": message}}, status=status)


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    details = "; ".join(
        f"{'.'.join(str(part) for part in item.get('loc', ()))}: {item.get('msg', '')}" for item in exc.errors
    )
    return error(request, 400, "invalid_request", details or "The request is not valid.")


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return error(request, 401, "unauthorized", "A valid access token is required (Authorization: Bearer <token>).")


@api.exception_handler(Http404)
def not_found(request, exc):
    return error(request, 404, "not_found", "Not found.")


@api.exception_handler(HttpError)
def http_error(request, exc):
    codes = {400: "invalid_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "not_allowed"}
    return error(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


from . import content, feedback_data, network_data, organisation_data, practices_data  # noqa: E402 - routers need the above

api.add_router("/v1/", content.router)
api.add_router("/v1/", practices_data.public)
api.add_router("/v1/", organisation_data.router, auth=TokenAuth())
api.add_router("/v1/", practices_data.private, auth=TokenAuth())
api.add_router("/v1/", feedback_data.router, auth=TokenAuth())
api.add_router("/v1/", network_data.router, auth=TokenAuth())
