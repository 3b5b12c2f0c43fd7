"""Writes of a user's own things: display preferences and in-app notifications."""

import zoneinfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from takedowns.models import Notification


@transaction.atomic
def user_preferences_update(
    *, user, language: str, time_zone: str, email_notifications: bool
) -> None:
    """Store the user's language, display time zone and e-mail choice; refuses unknown values."""
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise DomainError(_("Unknown language “%s”.") % language, field="language")
    if time_zone not in zoneinfo.available_timezones():
        raise DomainError(_("Unknown time zone “%s”.") % time_zone, field="time_zone")
    user.language = language
    user.time_zone = time_zone
    user.email_notifications = email_notifications
    user.save(update_fields=["language", "time_zone", "email_notifications"])


@transaction.atomic
def notifications_mark_read(*, user, pk: int | None = None) -> int:
    """Mark one of the user's notifications (or all of them) read; returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())
