"""Writes of a user's own things: display preferences."""

import zoneinfo

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError


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
