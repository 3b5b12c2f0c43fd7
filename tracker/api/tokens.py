"""Issuing, revoking and checking API tokens; only a token's SHA-256 is ever stored."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, NotAllowed
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


# What a changed token's cache entry holds until TOKEN_CACHE_SECONDS pass: "read me from the
# database". Copies are only ever *added*, so a request that read the token before the change
# committed cannot put its stale copy back over this.
STALE = "stale"


def _cache_key(key_hash: str) -> str:
    return f"tracker:token:{key_hash}"


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The usable token with this key (its user loaded), or None; records when it was used.

    Tokens are read from the shared cache when there (every API call needs one; the database
    lookup was a third of a small call's cost) and kept there at most TOKEN_CACHE_SECONDS.
    Saving or deleting a token or its user through Django replaces the cached copy with STALE
    at once and again on commit (revocation, deactivation); usability is checked on every
    call, so expiry is exact.
    """
    key_hash = ApiToken.hash_key(key)
    cached = cache.get(_cache_key(key_hash))
    token = cached if isinstance(cached, ApiToken) else None
    if token is None:
        token = ApiToken.objects.select_related("user").filter(key_hash=key_hash).first()
        if token is not None and cached is None:
            cache.add(_cache_key(key_hash), token, settings.TOKEN_CACHE_SECONDS)
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # A cached copy's last_used_at is as old as the copy: a marker per token and minute
        # makes it one write a minute whichever process serves the token.
        minute = int(now.timestamp() // LAST_USED_RESOLUTION.total_seconds())
        marker = f"tracker:token-used:{key_hash}:{minute}"
        if cache.add(marker, 1, LAST_USED_RESOLUTION.total_seconds() * 2) is not False:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
    return token


def _forget(key_hashes) -> None:
    """Mark these tokens' cached copies STALE now and once the change commits."""
    entries = {_cache_key(key_hash): STALE for key_hash in key_hashes}
    if not entries:
        return

    def mark():
        cache.set_many(entries, settings.TOKEN_CACHE_SECONDS)

    mark()
    transaction.on_commit(mark)


@receiver([post_save, post_delete], sender=ApiToken, dispatch_uid="token-cache-token")
def _token_changed(sender, instance, created=False, **kwargs):
    if not created:  # a new key was never cached
        _forget([instance.key_hash])


@receiver(
    [post_save, post_delete], sender=settings.AUTH_USER_MODEL, dispatch_uid="token-cache-user"
)
def _user_changed(sender, instance, **kwargs):
    # A cached token carries its user: deactivation, new preferences, deletion.
    _forget(ApiToken.objects.filter(user_id=instance.pk).values_list("key_hash", flat=True))
