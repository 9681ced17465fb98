from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import calendar
from .forms import PreferencesForm
from .kinds import describe
from .models import CalendarFeed, Kind, Notification
from .preferences import language_of, preference_for, read_unsubscribe_token, save_preferences, unsubscribe

PER_PAGE = 50


@login_required
def notification_list(request):
    page = Paginator(Notification.objects.filter(recipient=request.user), PER_PAGE).get_page(request.GET.get("page"))
    entries = [(notification, describe(notification)) for notification in page]
    context = {"page": page, "entries": entries, "unread": unread_count(request.user)}
    return render(request, "notifications/list.html", context)


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_badge(request):
    """The header's unread count, fetched by htmx after the page has loaded."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    return render(request, "notifications/_unread.html", {"count": unread_count(request.user)})


@login_required
def open_notification(request, notification_id: int):
    """Mark one's own notification read and go to what it speaks of."""
    notification = get_object_or_404(Notification, pk=notification_id, recipient=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
    return redirect(describe(notification).url or "notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@login_required
def preferences(request):
    preference = preference_for(request.user)
    form = PreferencesForm(request.POST or None, preference=preference)
    if request.method == "POST" and form.is_valid():
        save_preferences(request.user, form.cleaned_data["language"], form.kinds())
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form}, status=400 if form.errors else 200)


@csrf_exempt  # the signed token is the key; mail clients post here without a session (RFC 8058)
def unsubscribe_view(request, token: str):
    """One-click unsubscribe from the kinds named in a signed token, without signing in."""
    found = read_unsubscribe_token(token)
    user = get_user_model().objects.filter(pk=found[0]).first() if found else None
    if user is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    labels = [Kind(kind).label for kind in found[1]]
    if request.method == "POST":
        unsubscribe(user, found[1])
        return render(request, "notifications/unsubscribe.html", {"done": True, "labels": labels})
    return render(request, "notifications/unsubscribe.html", {"labels": labels})


@login_required
def calendar_settings(request):
    """Make, replace or revoke one's secret calendar address; the address is shown once."""
    feed_url = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            calendar.revoke_feed(request.user)
            messages.success(request, _("Your calendar address no longer works."))
            return redirect("notifications:calendar")
        token = calendar.new_feed(request.user)
        feed_url = request.build_absolute_uri(reverse("notifications:calendar_feed", args=[token]))
    has_feed = CalendarFeed.objects.filter(user=request.user).exists()
    return render(request, "notifications/calendar.html", {"feed_url": feed_url, "has_feed": has_feed})


def calendar_feed(request, token: str):
    """The iCalendar feed behind a secret address; 404 for a wrong or revoked one."""
    user = calendar.user_for_token(token)
    if user is None:
        raise Http404("No such calendar")
    language = translation.get_language() or language_of(preference_for(user))
    response = HttpResponse(calendar.feed_for(user, language), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
