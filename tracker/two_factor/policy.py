"""Who must pass a second factor: supervisors and administrators always, analysts by policy."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django_otp import user_has_device

from tracker.roles import ADMINISTRATOR, SUPERVISOR

# Decided once at sign-in and kept in the session: no query per request.
REQUIRED_SESSION_KEY = "tracker_otp_required"


def second_factor_required(user) -> bool:
    """True for supervisors, administrators and superusers; for analysts when the policy
    (OTP_REQUIRED_FOR_ANALYSTS) says so or when they enrolled a device of their own."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff or user.has_role(SUPERVISOR, ADMINISTRATOR):
        return True
    return settings.OTP_REQUIRED_FOR_ANALYSTS or user_has_device(user, confirmed=True)


def session_requires_second_factor(request) -> bool:
    """The sign-in's decision, computed now for a session from before this rule."""
    session = request.session
    if REQUIRED_SESSION_KEY not in session:
        session[REQUIRED_SESSION_KEY] = second_factor_required(request.user)
    return session[REQUIRED_SESSION_KEY]


@receiver(user_logged_in, dispatch_uid="otp-required-at-login")
def _decide_at_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[REQUIRED_SESSION_KEY] = second_factor_required(user)
