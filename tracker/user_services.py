"""Writes of a user's own things (display preferences) and ending a disabled user's access."""

import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError

from .models import ApiToken, SecurityEvent
from .security_log import security_record
from .sessions import user_sessions_end


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
def user_other_sessions_end(*, user, session_key: str, request=None) -> int:
    """Sign the user out everywhere but the session `session_key` (their current one); logged
    in the security log with how many ended. Returns that number."""
    if not session_key:
        raise DomainError(_("This session has no key; sign in again."), code="no_session")
    ended = user_sessions_end(user=user, keep=session_key)
    security_record(
        SecurityEvent.Kind.SESSIONS_ENDED,
        request=request,
        user=user,
        detail=f"{ended} other session(s) ended",
    )
    return ended


@transaction.atomic
def user_deactivate(*, user) -> None:
    """Disable a user: they can no longer sign in, their sessions end and tokens are revoked."""
    user.is_active = False
    user.save(update_fields=["is_active"])  # the receivers below end access and log it


@transaction.atomic
def user_access_end(*, user) -> tuple[int, int]:
    """End every session and revoke every live API token of `user`: (sessions, tokens)."""
    sessions = user_sessions_end(user=user)
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    now = timezone.now()
    for token in tokens:  # one save each, so every token's cached copy is dropped too
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
    return sessions, len(tokens)


User = get_user_model()


@receiver(pre_save, sender=User, dispatch_uid="user-was-active")
def _remember_active(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or instance.pk is None or (update_fields and "is_active" not in update_fields):
        return
    instance._was_active = (
        User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
    )


@receiver(post_save, sender=User, dispatch_uid="user-disabled-ends-access")
def _disabled(sender, instance, created=False, raw=False, **kwargs):
    # Whatever door disabled the user (the admin, the service, a shell), access ends at once.
    if raw or created or instance.is_active or not getattr(instance, "_was_active", False):
        return
    instance._was_active = False
    sessions, tokens = user_access_end(user=instance)
    # By whoever is signed in to the request that did it (an administrator in the admin).
    security_record(
        SecurityEvent.Kind.USER_DISABLED,
        obj=instance,
        detail=f"{sessions} sessions ended, {tokens} tokens revoked",
    )
