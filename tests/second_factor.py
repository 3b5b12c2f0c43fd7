"""Second-factor helpers for the tests: an enrolled device, a verified session, a valid code.

tests/conftest.py makes every test client's force_login produce a verified session for users
who need the second factor, so tests of other things log in as before; a test of the second
factor itself sets `client.otp_auto_verify = False` before logging in.
"""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker.two_factor.policy import REQUIRED_SESSION_KEY, second_factor_required


def totp_device_for(user) -> TOTPDevice:
    """The user's confirmed authenticator device, enrolled now if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return device


def totp_code(device: TOTPDevice) -> str:
    """The code the user's app shows now; the device forgets its last used code first, so a
    test may sign the same user in twice within one 30-second step."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    device.refresh_from_db()
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{code:0{device.digits}d}"


def verify_session(client: Client, user) -> None:
    """Mark the client's session as having passed the second factor with the user's device."""
    device = totp_device_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[REQUIRED_SESSION_KEY] = True
    session.save()


def install_auto_verify(monkeypatch) -> None:
    """Patch the test client's login so that it yields a verified session where needed."""
    original = Client._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        if getattr(self, "otp_auto_verify", True) and second_factor_required(user):
            verify_session(self, user)

    monkeypatch.setattr(Client, "_login", _login)
