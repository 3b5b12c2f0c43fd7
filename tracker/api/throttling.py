"""API rate limits per token, per signed-in user and per client address (DRF throttles).

Counts live in the shared cache (Redis in production), so every web process shares them. Rates
come from settings.API_THROTTLE_RATES, read on every call so a test or an operator can change
them; an empty rate switches that limit off. A refusal is a 429 with Retry-After.
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from tracker.models import ApiToken
from tracker.security_log import client_address


class _SettingsRateThrottle(SimpleRateThrottle):
    def __init__(self):  # the rate is read per request, not once at import
        pass

    def allow_request(self, request, view):
        self.rate = settings.API_THROTTLE_RATES.get(self.scope) or None
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class TokenRateThrottle(_SettingsRateThrottle):
    """Calls made with one API token."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class UserRateThrottle(_SettingsRateThrottle):
    """Calls made with one browser session."""

    scope = "user"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken) or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AddressRateThrottle(_SettingsRateThrottle):
    """Every call from one client address, whoever makes it (guessing tokens included)."""

    scope = "address"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}
