"""A feed's signing keys and its tokens: generated here, shown once, stored encrypted (keys)
or as a SHA-256 (tokens); rotation, issue and revocation are audited (simple-history)."""

import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.encryption import decrypt_text, encrypt_text
from core.errors import Conflict, DomainError
from core.history import audited
from core.permissions import require_permission

from ..models import FeedKey, FeedToken, PlatformFeed
from .log import feed_for

LAST_USED_RESOLUTION = timedelta(minutes=1)


def _client_user(feed: PlatformFeed):
    """The user a feed's tokens act as: no password, no role, so it can do nothing else."""
    if feed.client_id is not None:
        return feed.client
    username = f"feed-{feed.platform.slug}"[:150]
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    feed.client = user
    feed.save(update_fields=["client"])
    return user


def _feed(feed: PlatformFeed | None, platform) -> PlatformFeed:
    """The feed given, or the platform's (created here, inside the caller's transaction, so
    that a refused call leaves no new feed behind)."""
    return feed if feed is not None else feed_for(platform)


@transaction.atomic
def feed_key_rotate(
    *, user, feed: PlatformFeed | None = None, platform=None
) -> tuple[FeedKey, str]:
    """A new signing key for the feed, or the platform's feed (the one before it is retired);
    returns it with its secret, which is shown this once only."""
    require_permission(user, "sharing.change_platformfeed")
    feed = PlatformFeed.objects.select_for_update().get(pk=_feed(feed, platform).pk)
    now = timezone.now()
    for old in FeedKey.objects.filter(feed=feed, retired_at__isnull=True):
        old.retired_at = now
        audited(old, user, "rotated").save(update_fields=["retired_at"])
    secret = secrets.token_urlsafe(32)
    key = FeedKey(
        feed=feed,
        key_id=f"{feed.platform.slug}-{now:%Y%m%d}-{secrets.token_hex(3)}",
        secret_encrypted=encrypt_text(secret),
        created_by=user,
    )
    audited(key, user, "created").save()
    return key, secret


def feed_signing_key(feed: PlatformFeed) -> tuple[str, str]:
    """(key id, secret) of the feed's active key; Conflict when it has none yet."""
    key = FeedKey.objects.filter(feed=feed, retired_at__isnull=True).first()
    if key is None:
        raise Conflict(
            _(
                "This feed has no signing key yet: an administrator creates one on the feeds "
                "page before the platform can pull it."
            ),
            code="no_feed_key",
        )
    return key.key_id, decrypt_text(key.secret_encrypted)


@transaction.atomic
def feed_token_issue(
    *, user, name: str, feed: PlatformFeed | None = None, platform=None
) -> tuple[FeedToken, str]:
    """A token that reads this feed (or the platform's feed) only; returns it with its key,
    shown this once only."""
    require_permission(user, "sharing.add_feedtoken")
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("A token needs a name."), field="name")
    if "\x00" in name:  # PostgreSQL keeps no NUL in a text column: a 500 otherwise
        raise DomainError(_("The text holds a NUL character."), field="name")
    feed = _feed(feed, platform)
    _client_user(feed)
    key = FeedToken.generate_key()
    token = FeedToken(
        feed=feed,
        name=name[:100],
        prefix=key[: FeedToken.PREFIX_LENGTH],
        key_hash=FeedToken.hash_key(key),
        created_by=user,
    )
    audited(token, user, "issued").save()
    return token, key


@transaction.atomic
def feed_token_revoke(*, token: FeedToken, user) -> FeedToken:
    """Revoke a feed token for good; revoking twice keeps the first time."""
    require_permission(user, "sharing.change_feedtoken")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        audited(token, user, "revoked").save(update_fields=["revoked_at"])
    return token


def feed_token_authenticate(*, key: str) -> FeedToken | None:
    """The unrevoked token with this key (its feed, platform and client user loaded)."""
    token = (
        FeedToken.objects.select_related("feed__platform", "feed__client")
        .filter(key_hash=FeedToken.hash_key(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or token.feed.client is None or not token.feed.client.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        FeedToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
