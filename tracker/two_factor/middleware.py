"""Keep a signed-in user who still owes the second factor on the second-factor pages."""

from urllib.parse import quote

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django_htmx.http import HttpResponseClientRedirect
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from django_otp.middleware import OTPMiddleware

from .policy import session_requires_second_factor

# Pages a half-signed-in user may open: the second-factor steps, signing out, switching language.
OPEN_VIEWS = {"login", "logout", "otp_verify", "otp_setup", "set_language", "health"}
# The API proper and TAXII (machine clients both); the API docs pages (/api/docs/, /api/redoc/)
# are pages for people.
API_PREFIXES = ("/api/v1/", "/api/schema/", "/taxii2/")


class SessionOTPMiddleware(OTPMiddleware):
    """django-otp's middleware without its query per request: a session is verified when
    django_otp.login marked it. That mark is only written for the signed-in user's own
    confirmed device, a new sign-in flushes the session, and deleting a device ends its user's
    sessions (services.py), so the device need not be loaded again on every request.
    `user.otp_device` stays None; use `user.is_verified()`."""

    def _verify_user_sync(self, request, user):
        self._init_user_fields(user)
        if user.is_authenticated and request.session.get(DEVICE_ID_SESSION_KEY):
            user.is_verified = _verified
        return user


def _verified() -> bool:
    return True


class SecondFactorMiddleware:
    """After AuthenticationMiddleware and django-otp's OTPMiddleware.

    Pages redirect to the verification step (or to enrolment when the user has no device yet);
    for the API, a session without its second factor is no credential at all (401), while API
    tokens, a separate credential, are untouched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and session_requires_second_factor(request)
        ):
            if request.path_info.startswith(API_PREFIXES):
                request.user = AnonymousUser()
            elif not self._open(request):
                step = "otp_verify" if user_has_device(user, confirmed=True) else "otp_setup"
                target = f"{reverse(step)}?next={quote(request.get_full_path())}"
                if request.headers.get("HX-Request"):
                    return HttpResponseClientRedirect(target)
                return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _open(request) -> bool:
        try:
            return resolve(request.path_info).url_name in OPEN_VIEWS
        except Resolver404:
            return False
