"""Per-user language and time zone: what the user chose in their preferences, else the defaults."""

import zoneinfo
from datetime import UTC
from functools import lru_cache

from django.conf import settings
from django.utils import timezone, translation

API_PREFIX = "/api/"


@lru_cache(maxsize=64)
def user_zone(name: str) -> zoneinfo.ZoneInfo:
    """The ZoneInfo for a stored zone name; the default zone when the name is unknown."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


class UserPreferencesMiddleware:
    """Activate the signed-in user's language and time zone for the request.

    Placed after AuthenticationMiddleware; LocaleMiddleware has already chosen a language from
    the browser, which stays in effect for anonymous users (the login page). Datetimes are stored
    in UTC and only converted for display.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        user = request.user
        zone_name = settings.TIME_ZONE
        if user.is_authenticated:
            if user.language in self.languages:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            zone_name = user.time_zone or settings.TIME_ZONE
        if request.path_info.startswith(API_PREFIX):
            # Systems get UTC whoever owns the token or session: the same instant is always
            # written the same way (".._Z"), whatever a person chose for their pages.
            timezone.activate(UTC)
        else:
            timezone.activate(user_zone(zone_name))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
