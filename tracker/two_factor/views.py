"""The second-factor pages: verification after the password, and enrolment with backup codes.

A wrong code counts as a failed sign-in for django-axes (per user and per address), so the
second step cannot be guessed any faster than the password.
"""

from urllib.parse import quote

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice

from core.views import safe_next
from tracker.models import SecurityEvent
from tracker.security_log import security_record

from . import services
from .forms import CodeForm


def _credentials(user) -> dict:
    return {"username": user.get_username(), "second_factor": True}


def _locked_out(request, user):
    credentials = _credentials(user)
    if not AxesProxyHandler.is_locked(request, credentials):
        return None
    logout(request)
    return get_lockout_response(request, credentials=credentials)


def _refused(request, user, form):
    """Count a wrong code like a wrong password; the lockout page once the limit is reached."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
    if getattr(request, "axes_locked_out", False) or AxesProxyHandler.is_locked(
        request, _credentials(user)
    ):
        logout(request)
        return get_lockout_response(request, credentials=_credentials(user))
    form.add_error("code", _("That code is not valid. Try again."))
    return None


@login_required
def otp_verify(request):
    """Second step of signing in: a code from the authenticator app or one backup code."""
    user = request.user
    next_url = safe_next(request, reverse("home"))
    if user.is_verified():
        return redirect(next_url)
    if not user_has_device(user, confirmed=True):
        return redirect(f"{reverse('otp_setup')}?next={quote(next_url)}")
    if (locked := _locked_out(request, user)) is not None:
        return locked
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.second_factor_match(user=user, code=form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            kind = (
                SecurityEvent.Kind.BACKUP_CODE_USED
                if isinstance(device, StaticDevice)
                else SecurityEvent.Kind.OTP_VERIFIED
            )
            security_record(kind, request=request, user=user)
            return redirect(next_url)
        if (locked := _refused(request, user, form)) is not None:
            return locked
    return render(request, "registration/otp_verify.html", {"form": form, "next": next_url})


@login_required
def otp_setup(request):
    """Enrol an authenticator app (QR code or typed key), then show the backup codes once."""
    user = request.user
    next_url = safe_next(request, reverse("home"))
    if user_has_device(user, confirmed=True):
        # Enrolled already: verify, or carry on. A lost device is reset by an administrator.
        if user.is_verified():
            return redirect(next_url)
        return redirect(f"{reverse('otp_verify')}?next={quote(next_url)}")
    if (locked := _locked_out(request, user)) is not None:
        return locked
    device = services.totp_device_pending(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_device_confirm(device=device, code=form.cleaned_data["code"])
        if codes is not None:
            django_otp.login(request, device)
            security_record(SecurityEvent.Kind.OTP_ENROLLED, request=request, user=user)
            return render(
                request,
                "registration/otp_backup_codes.html",
                {"codes": codes, "next": next_url},
            )
        if (locked := _refused(request, user, form)) is not None:
            return locked
    return render(
        request,
        "registration/otp_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr": services.totp_qr_data_uri(device),
            "secret": services.totp_secret(device),
        },
    )
