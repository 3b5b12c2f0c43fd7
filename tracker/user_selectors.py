"""Reads for the signed-in user's own pages: notifications."""

from django.db.models import QuerySet

from takedowns.models import Notification


def notification_unread_count(*, user) -> int:
    """How many of the user's notifications are unread (the bell's badge)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_recent(*, user, limit: int = 10) -> QuerySet[Notification]:
    """The user's latest notifications, with their request loaded."""
    return (
        Notification.objects.filter(user=user)
        .select_related("request", "request__platform")
        .order_by("-created_at", "-id")[:limit]
    )
