"""`Authorization: Token <key>` for other systems, checked against hashed ApiToken rows."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from tracker.security_log import token_used

from .tokens import api_token_authenticate


class ApiTokenAuthentication(BaseAuthentication):
    """Token authentication; request.auth is the ApiToken, so permissions can read its scope."""

    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the header as “Authorization: Token <key>”, with no spaces in the key."),
                code="invalid_token_header",
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(
                _("The token has characters a token never has."), code="invalid_token"
            ) from None
        token = api_token_authenticate(key=key)
        if token is None:
            # One message for unknown, revoked and expired keys: no hint to someone guessing.
            raise exceptions.AuthenticationFailed(
                _("Invalid, expired or revoked token."), code="invalid_token"
            )
        token_used(request=request, token=token)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
