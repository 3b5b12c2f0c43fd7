"""The append-only security log: what is recorded, from which signal, and the client address.

Sources: Django's auth signals (sign-in, failure, sign-out), django-axes' lockout signal, the
second-factor views, 403 answers (SecurityLogMiddleware), the first use of an API token each
hour, and `core.security.security_report` for the lower apps (exports, feeds, disclosure
reads). Writing the log never breaks the request it describes.
"""

import csv
import io
import logging
from datetime import UTC

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.security import security_event
from core.spreadsheets import guard

from .models import SecurityEvent

logger = logging.getLogger(__name__)
Kind = SecurityEvent.Kind


def client_address(request) -> str | None:
    """The client's IP: REMOTE_ADDR, or the address TRACKER_TRUSTED_PROXIES proxies saw."""
    if request is None:
        return None
    hops = settings.TRACKER_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(chain) >= hops:
            return chain[-hops]
    return request.META.get("REMOTE_ADDR") or None


def axes_client_address(request) -> str | None:
    """django-axes' AXES_CLIENT_IP_CALLABLE: lockouts per the same address the log shows."""
    return client_address(request)


def security_record(
    kind: str, *, request=None, user=None, obj=None, username: str = "", detail: str = ""
) -> SecurityEvent | None:
    """Append one event; the user defaults to the request's, the address is the client's.

    Without a request (a service reporting), the request being served is taken from
    simple-history's middleware, which keeps it for the audit trail anyway.
    """
    events = security_record_many(
        kind, objects=[obj], request=request, user=user, username=username, detail=detail
    )
    return events[0] if events else None


def security_record_many(
    kind: str, *, objects, request=None, user=None, username: str = "", detail: str = ""
) -> list[SecurityEvent]:
    """One event per object (None: no object), written in one statement."""
    if request is None:
        request = getattr(HistoricalRecords.context, "request", None)
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    if user is not None and not username:
        username = user.get_username()
    now, address = timezone.now(), client_address(request)
    try:
        return SecurityEvent.objects.bulk_create(
            [
                SecurityEvent(
                    at=now,
                    kind=kind,
                    user_id=getattr(user, "pk", None),
                    username=username[:150],
                    address=address,
                    object_type=obj._meta.label_lower if obj is not None else "",
                    object_id=str(obj.pk) if obj is not None else "",
                    detail=str(detail)[:500],
                )
                for obj in objects
            ]
        )
    except Exception:  # the log must never break what it describes
        logger.exception("Could not write the security event %s", kind)
        return []


def security_record_once(key: str, seconds: int, kind: str, **kwargs) -> None:
    """Record the event only if no event under `key` was recorded in the last `seconds`."""
    try:
        first = cache.add(f"tracker:seclog:{key}", 1, seconds)
    except Exception:  # an unreachable cache: record rather than lose the event
        first = True
    if first:
        security_record(kind, **kwargs)


def token_used(*, request, token) -> None:
    """The first use of an API token in each hour."""
    security_record_once(
        f"token:{token.pk}", 3600, Kind.TOKEN_USED, request=request, user=token.user, obj=token
    )


@receiver(user_logged_in, dispatch_uid="seclog-login")
def _logged_in(sender, request, user, **kwargs):
    security_record(Kind.LOGIN, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="seclog-logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        security_record(Kind.LOGOUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="seclog-login-failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get(get_user_model().USERNAME_FIELD) or "")
    user = get_user_model().objects.filter(username=username).first() if username else None
    kind = Kind.OTP_FAILED if credentials.get("second_factor") else Kind.LOGIN_FAILED
    security_record(kind, request=request, user=user, username=username)


@receiver(user_locked_out, dispatch_uid="seclog-lockout")
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    user = get_user_model().objects.filter(username=username).first() if username else None
    security_record(Kind.LOCKOUT, request=request, user=user, username=username or "")


@receiver(security_event, dispatch_uid="seclog-core")
def _reported(sender, kind, objects, user=None, request=None, detail="", **kwargs):
    security_record_many(kind, objects=objects, request=request, user=user, detail=detail)


class SecurityLogMiddleware:
    """Log every 403 answer (pages, admin and API alike) with the path that was refused."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            security_record(
                Kind.PERMISSION_DENIED,
                request=request,
                detail=f"{request.method} {request.path}"[:500],
            )
        return response


CSV_COLUMNS = ("at", "kind", "user_id", "username", "address", "object_type", "object_id", "detail")


def security_events_csv(events):
    """The events as CSV lines (UTC times in ISO 8601), header first; for the admin export."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values):
        buffer.seek(0)
        buffer.truncate()
        # A cell a spreadsheet would run as a formula gets the one guard every export uses.
        writer.writerow([guard(v) if isinstance(v, str) else v for v in values])
        return buffer.getvalue()

    yield line(CSV_COLUMNS)
    for event in events:
        yield line(
            [
                event.at.astimezone(UTC).isoformat(),
                event.kind,
                event.user_id or "",
                event.username,
                event.address or "",
                event.object_type,
                event.object_id,
                event.detail,
            ]
        )
