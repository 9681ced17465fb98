"""Platform staff must protect their accounts with an authenticator app."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

# allauth's own account and MFA views stay reachable: signing in and out, re-authenticating,
# and the TOTP pages themselves.
ALLOWED_VIEW_MODULES = ("allauth.account.", "allauth.mfa.")


class StaffRequireMFAMiddleware:
    """Send a signed-in staff user without an active TOTP authenticator to the page that
    activates one, whatever they asked for, until they have one.

    Goes after allauth's AccountMiddleware (and so after authentication and messages).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_staff:
            return None
        if view_func.__module__.startswith(ALLOWED_VIEW_MODULES):
            return None
        if request.path.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
            return None
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            return None
        messages.warning(
            request,
            _("Platform staff must use two-factor authentication. Set up an authenticator app to continue."),
        )
        activate_url = reverse("mfa_activate_totp")
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(activate_url)
        return redirect(activate_url)
