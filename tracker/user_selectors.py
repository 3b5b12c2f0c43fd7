"""Reads for the signed-in user's own pages: notifications."""

from django.db.models import QuerySet

from takedowns.models import Notification


def notification_recent(*, user, limit: int = 10) -> QuerySet[Notification]:
    """The user's latest notifications, with their request loaded."""
    return (
        Notification.objects.filter(user=user)
        .select_related("request", "request__platform")
        .order_by("-created_at", "-id")[:limit]
    )
