"""Issuing, revoking and checking API tokens; only a token's SHA-256 is ever stored."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError, NotAllowed
from tracker.models import ApiToken

# Writing last_used_at on every request would turn every read into a write; a minute is
# precise enough to tell a live integration from a forgotten one.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@transaction.atomic
def api_token_issue(
    *, user, name: str, scope: str = ApiToken.Scope.READ, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns it with its key, which is shown this once only."""
    name = " ".join(name.split())
    if not name:
        raise DomainError(_("A token needs a name."), field="name")
    if scope not in ApiToken.Scope.values:
        raise DomainError(
            _("Unknown scope “%s”: use read or write.") % scope,
            code="invalid_choice",
            field="scope",
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError(_("The expiry date is in the past."), field="expires_at")
    if not user.is_active:
        raise NotAllowed(_("Tokens cannot be issued to an inactive user."))
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=key[: ApiToken.PREFIX_LENGTH],
        key_hash=ApiToken.hash_key(key),
        scope=scope,
        expires_at=expires_at,
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token for good; revoking twice keeps the first revocation time."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The usable token with this key (its user loaded), or None; records when it was used."""
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
