"""Session limits: an idle timeout and an absolute lifetime, and ending a user's sessions.

Hand-written because the maintained options (django-session-timeout, django-auto-logout) do
only the idle half and predate Django 6; this is twenty lines.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.dispatch import receiver
from django.urls import Resolver404, resolve
from django.utils import timezone

from .models import SecurityEvent
from .security_log import security_record

STARTED = "tracker_session_started"
LAST_SEEN = "tracker_session_last_seen"
# Writing the last-seen time on every request would save the session on every request; a
# minute's resolution is enough for a 30-minute idle limit.
LAST_SEEN_RESOLUTION = 60


@receiver(user_logged_in, dispatch_uid="session-limits-start")
def _session_started(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED] = now
        request.session[LAST_SEEN] = now


def session_expiry_reason(session, now: int) -> str | None:
    """Why this signed-in session is over ("idle", "lifetime"), or None if it is still valid."""
    started = session.get(STARTED)
    last_seen = session.get(LAST_SEEN, started)
    if started is None:
        return None
    if now - started > settings.SESSION_ABSOLUTE_MINUTES * 60:
        return "lifetime"
    if now - last_seen > settings.SESSION_IDLE_MINUTES * 60:
        return "idle"
    return None


class SessionLimitsMiddleware:
    """Sign out a session idle for SESSION_IDLE_MINUTES or older than SESSION_ABSOLUTE_MINUTES.

    After AuthenticationMiddleware. Background polls (SESSION_PASSIVE_URL_NAMES, the bell) do
    not count as activity, or an open tab would never idle out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            if STARTED not in session:  # a session from before these limits: starts now
                session[STARTED] = session[LAST_SEEN] = now
            reason = session_expiry_reason(session, now)
            if reason is not None:
                security_record(
                    SecurityEvent.Kind.SESSION_EXPIRED, request=request, user=user, detail=reason
                )
                logout(request)
            elif now - session.get(LAST_SEEN, now) >= LAST_SEEN_RESOLUTION and not (
                self._passive(request)
            ):
                session[LAST_SEEN] = now
        return self.get_response(request)

    @staticmethod
    def _passive(request) -> bool:
        try:
            name = resolve(request.path_info).view_name
        except Resolver404:
            return False
        return name in settings.SESSION_PASSIVE_URL_NAMES


def user_sessions_end(*, user, keep: str | None = None, spare=None) -> int:
    """Delete every live database session of `user` but the one keyed `keep` and those whose
    data `spare(data)` is true for; returns how many were ended."""
    ended = 0
    user_id = str(user.pk)
    sessions = Session.objects.filter(expire_date__gt=timezone.now())
    if keep:
        sessions = sessions.exclude(session_key=keep)
    for session in sessions.iterator():
        data = session.get_decoded()
        if data.get("_auth_user_id") == user_id and not (spare and spare(data)):
            session.delete()
            ended += 1
    return ended
