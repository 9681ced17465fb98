from .models import Notification


def unread(request):
    """The unread count for the header, only for signed-in people (one COUNT query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

    return {"notifications_unread": count}
