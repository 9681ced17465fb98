"""Platform staff and moderators of the practice library must protect their accounts with an
authenticator app."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

# allauth's own account and MFA views stay reachable: signing in and out, re-authenticating,
# and the TOTP pages themselves.
ALLOWED_VIEW_MODULES = ("allauth.account.", "allauth.mfa.")
# Whether the signed-in user moderates the practice library, worked out once per sign-in:
# asking for permissions on every request would cost two queries on every page.
MODERATOR_SESSION_KEY = "inclusion.accounts.moderator"
# The moderation pages themselves ask afresh, for a permission granted since sign-in.
MODERATION_VIEWS = {"practices:moderation", "practices:review"}


def is_moderator(user) -> bool:
    from inclusion.practices.moderation import can_moderate  # practices builds on accounts, not back

    return can_moderate(user)


@receiver(user_logged_in, dispatch_uid="inclusion.accounts.remember_moderator")
def _remember_moderator(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[MODERATOR_SESSION_KEY] = is_moderator(user)


def _moderates(request, user) -> bool:
    session = getattr(request, "session", None)
    if session is None:
        return is_moderator(user)
    if session.get(MODERATOR_SESSION_KEY) is None:  # a session from before this check existed
        session[MODERATOR_SESSION_KEY] = is_moderator(user)
    if session[MODERATOR_SESSION_KEY]:
        return True
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in MODERATION_VIEWS and is_moderator(user):
        session[MODERATOR_SESSION_KEY] = True
        return True
    return False


class StaffRequireMFAMiddleware:
    """Send a signed-in staff user or moderator without an active TOTP authenticator to the
    page that activates one, whatever they asked for, until they have one.

    Goes after allauth's AccountMiddleware (and so after authentication and messages).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if view_func.__module__.startswith(ALLOWED_VIEW_MODULES):
            return None
        if request.path.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
            return None
        if user.is_staff:
            message = _("Platform staff must use two-factor authentication. Set up an authenticator app to continue.")
        elif _moderates(request, user):
            message = _(
                "Moderators of the practice library must use two-factor authentication. "
                "Set up an authenticator app to continue."
            )
        else:
            return None
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            return None
        messages.warning(request, message)
        activate_url = reverse("mfa_activate_totp")
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(activate_url)
        return redirect(activate_url)
