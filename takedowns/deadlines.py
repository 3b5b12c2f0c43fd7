"""Deadline arithmetic: how long a platform has, when to remind, when the sweep next looks."""

from datetime import datetime, timedelta

from django.conf import settings

from .choices import WITH_PLATFORM_STATUSES, Priority, RequestKind
from .models import PlatformDeadline, TakedownRequest


def deadline_hours(*, platform, kind: str, priority: str) -> int:
    """The platform's configured hours for this kind and priority, else the national default."""
    configured = (
        PlatformDeadline.objects.filter(platform=platform, kind=kind, priority=priority)
        .values_list("hours", flat=True)
        .first()
    )
    if configured is not None:
        return configured
    defaults = settings.TAKEDOWN_DEFAULT_DEADLINE_HOURS
    if priority == Priority.EMERGENCY or kind == RequestKind.EMERGENCY_DISCLOSURE:
        return defaults["emergency"]
    return defaults.get(kind, defaults["removal"])


def reminder_time(*, start: datetime, due: datetime) -> datetime:
    """When DEADLINE_REMINDER_SHARE of the time is left."""
    return due - (due - start) * settings.DEADLINE_REMINDER_SHARE


def next_check(takedown: TakedownRequest) -> datetime | None:
    """The next moment the deadline sweep has something to do for this request, or None."""
    if takedown.status not in WITH_PLATFORM_STATUSES or takedown.paused_at or not takedown.due_at:
        return None
    if takedown.reminder_sent_at is None and takedown.reminder_at:
        return takedown.reminder_at
    if takedown.overdue_at is None:
        return takedown.due_at
    if takedown.escalation_level < 2:
        return takedown.overdue_at + settings.ESCALATION_LEVEL2_AFTER
    return None


def shift_after_pause(takedown: TakedownRequest, paused_for: timedelta) -> None:
    """Move the deadline and the reminder forward by the time the clock was stopped."""
    if takedown.due_at:
        takedown.due_at += paused_for
    if takedown.reminder_at and takedown.reminder_sent_at is None:
        takedown.reminder_at += paused_for
