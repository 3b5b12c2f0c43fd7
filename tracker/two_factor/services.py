"""Enrolling a TOTP device, checking a code (TOTP or backup), and backup codes."""

import base64
from urllib.parse import quote

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker.models import SecurityEvent
from tracker.security_log import security_record
from tracker.sessions import user_sessions_end

from .policy import second_factor_required

TOTP_NAME = "authenticator"
BACKUP_NAME = "backup codes"


def totp_device_pending(*, user) -> TOTPDevice:
    """The user's device being enrolled (unconfirmed), created on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The key as people type it into an authenticator app (base32, no padding)."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """The enrolment QR code as an inline SVG data: URI (no external service, no script)."""
    issuer = settings.OTP_TOTP_ISSUER
    label = quote(f"{issuer}:{device.user.get_username()}")
    url = (
        f"otpauth://totp/{label}?secret={totp_secret(device)}&issuer={quote(issuer)}"
        f"&digits={device.digits}&period={device.step}"
    )
    return segno.make(url, error="m").svg_data_uri(scale=5, border=2)


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm a pending device with a code from the app: the new backup codes, or None."""
    if not device.verify_token(code.strip()):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return backup_codes_replace(user=device.user)


@transaction.atomic
def backup_codes_replace(*, user) -> list[str]:
    """Fresh one-time backup codes, replacing any earlier ones; shown to the user once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.OTP_BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def second_factor_match(*, user, code: str):
    """The confirmed device this code is valid for (a backup code is used up), or None."""
    code = "".join(code.split())
    if not code:
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            return device
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code.lower()):
            return device
    return None


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="otp-device-deleted-totp")
@receiver(post_delete, sender=StaticDevice, dispatch_uid="otp-device-deleted-static")
def _device_deleted(sender, instance, **kwargs):
    # An administrator resetting a lost device: sessions verified with it end at once (the
    # sessions trust the mark django_otp.login left, see middleware.SessionOTPMiddleware).
    if instance.confirmed:
        user_sessions_end(user=instance.user)


def unverified_sessions_end(*, user) -> int:
    """When the user now needs a second factor (made supervisor, administrator or staff), end
    their sessions that never passed one: the requirement is decided at sign-in and kept in the
    session, so such a session would otherwise keep its new rights without the factor until it
    ended. Returns how many ended; logged when any did."""
    user = get_user_model().objects.get(pk=user.pk)  # fresh roles, not a memo from before
    if not second_factor_required(user):
        return 0
    ended = user_sessions_end(user=user, spare=lambda data: bool(data.get(DEVICE_ID_SESSION_KEY)))
    if ended:
        security_record(
            SecurityEvent.Kind.SESSIONS_ENDED,
            obj=user,
            detail=f"{ended} session(s) without a second factor ended: one is now required",
        )
    return ended


@receiver(m2m_changed, sender=get_user_model().groups.through, dispatch_uid="otp-role-added")
def _role_added(sender, instance, action, reverse, pk_set, **kwargs):
    # Either side: user.groups.add(group) or group.user_set.add(user).
    if action != "post_add":
        return
    users = [instance] if not reverse else get_user_model().objects.filter(pk__in=pk_set or ())
    for user in users:
        unverified_sessions_end(user=user)


_STAFF_FLAGS = ("is_staff", "is_superuser")


def _flag_fields(update_fields) -> set[str]:
    return set(_STAFF_FLAGS) if update_fields is None else set(_STAFF_FLAGS) & set(update_fields)


@receiver(pre_save, sender=get_user_model(), dispatch_uid="otp-staff-flag-before")
def _staff_flags_before(sender, instance, raw=False, update_fields=None, **kwargs):
    # Which flags this save turns on: only those end sessions (a staff user's every full save,
    # a password change included, would otherwise read every live session). One query, on
    # saves of an existing user that set a flag.
    instance._staff_flags_turned_on = set()
    fields = _flag_fields(update_fields)
    if raw or instance.pk is None or not any(getattr(instance, f) for f in fields):
        return
    before = sender.objects.filter(pk=instance.pk).values(*_STAFF_FLAGS).first()
    if before is not None:
        instance._staff_flags_turned_on = {
            f for f in fields if getattr(instance, f) and not before[f]
        }


@receiver(post_save, sender=get_user_model(), dispatch_uid="otp-staff-flag")
def _staff_flags_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    # A flag turned on by this save (not last_login at each sign-in, not a save that leaves the
    # flags as they were).
    if raw or created or not getattr(instance, "_staff_flags_turned_on", None):
        return
    instance._staff_flags_turned_on = set()
    unverified_sessions_end(user=instance)
