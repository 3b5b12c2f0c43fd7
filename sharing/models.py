"""The prevention feed's tables: one feed per platform (its sequence counter), the feed's signing
keys (stored encrypted), the tokens that read it, its signal events and the log of its pulls."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.tokens import token_generate, token_hash

from .choices import FeedFormat, SignalAction


class PlatformFeed(models.Model):
    """A platform's prevention feed: the last sequence number given to one of its events (the
    row is locked while an event is written, so sequence numbers follow commit order)."""

    platform = models.OneToOneField(
        "accounts.Platform",
        on_delete=models.PROTECT,
        related_name="feed",
        verbose_name=_("platform"),
    )
    last_sequence = models.PositiveBigIntegerField(_("last sequence number"), default=0)
    # The user a platform's feed tokens act as: no password, no role, nothing but this feed.
    client = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feed",
        verbose_name=_("feed client user"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    history = HistoricalRecords(excluded_fields=["last_sequence"])

    class Meta:
        verbose_name = _("platform feed")
        verbose_name_plural = _("platform feeds")
        ordering = ["platform__name"]

    def __str__(self):
        return str(self.platform)


class FeedKey(models.Model):
    """A feed's HMAC-SHA256 signing key, encrypted at rest (core.encryption); the newest one
    not retired signs the pages, and rotation retires the one before it."""

    feed = models.ForeignKey(
        PlatformFeed, on_delete=models.CASCADE, related_name="keys", verbose_name=_("feed")
    )
    key_id = models.CharField(_("key id"), max_length=32, unique=True, editable=False)
    secret_encrypted = models.TextField(_("secret (encrypted)"), editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["secret_encrypted"])

    class Meta:
        verbose_name = _("feed signing key")
        verbose_name_plural = _("feed signing keys")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["feed"],
                condition=models.Q(retired_at__isnull=True),
                name="feedkey_one_active_per_feed",
            ),
        ]

    def __str__(self):
        return self.key_id


class FeedToken(models.Model):
    """A token that reads one platform's feed and nothing else; only its SHA-256 is stored."""

    PREFIX_LENGTH = 8

    feed = models.ForeignKey(
        PlatformFeed, on_delete=models.CASCADE, related_name="tokens", verbose_name=_("feed")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = _("feed token")
        verbose_name_plural = _("feed tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return token_hash(key)

    @staticmethod
    def generate_key() -> str:
        return token_generate("feed_")


class SignalEvent(models.Model):
    """One entry of a platform's feed: an account's signals added, changed or withdrawn, with
    the signals as they were (a withdrawn entry repeats what the platform should drop)."""

    feed = models.ForeignKey(
        PlatformFeed, on_delete=models.PROTECT, related_name="events", verbose_name=_("feed")
    )
    sequence = models.PositiveBigIntegerField(_("sequence number"))
    account = models.ForeignKey(
        "accounts.FlaggedAccount",
        # The entry keeps its own copy of the signals; a deleted account leaves it standing.
        on_delete=models.SET_NULL,
        null=True,
        related_name="signal_events",
        verbose_name=_("account"),
    )
    action = models.CharField(_("action"), max_length=16, choices=SignalAction)
    reason = models.CharField(_("reason"), max_length=32, blank=True)
    signals = models.JSONField(_("signals"), default=dict)
    # PostgreSQL's transaction id: changes within one transaction update its own entry.
    transaction_id = models.BigIntegerField(_("transaction id"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("feed signal")
        verbose_name_plural = _("feed signals")
        ordering = ["feed", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["feed", "sequence"], name="signalevent_unique_seq"),
        ]
        indexes = [
            models.Index(fields=["account", "-sequence"], name="signalevent_account_idx"),
        ]

    def __str__(self):
        return f"{self.feed} #{self.sequence} {self.action}"


class FeedPull(models.Model):
    """One read of a feed (a page or a download): who, with which token, from which cursor,
    how many entries; what the feeds page shows as "which platform pulls what"."""

    feed = models.ForeignKey(
        PlatformFeed, on_delete=models.CASCADE, related_name="pulls", verbose_name=_("feed")
    )
    token = models.ForeignKey(
        FeedToken,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pulls",
        verbose_name=_("token"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    format = models.CharField(_("format"), max_length=8, choices=FeedFormat)
    cursor = models.PositiveBigIntegerField(_("from cursor"), default=0)
    next_cursor = models.PositiveBigIntegerField(_("next cursor"), default=0)
    count = models.PositiveIntegerField(_("entries"), default=0)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("feed pull")
        verbose_name_plural = _("feed pulls")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["feed", "-at"], name="feedpull_feed_at_idx")]

    def __str__(self):
        return f"{self.feed} {self.at:%Y-%m-%d %H:%M}"


class VariantWeights(models.Model):
    """One version of the predicted handle variants' ranking, learned from supervisor-confirmed
    mirror pairs: how many pairs each (trick, form) explained, as data; one version is active.
    The default priors (sharing/variants.py) are added when it is read."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    # {"<trick>/<form>": pairs explained (a pair several forms explain counts a share to each)}
    counts = models.JSONField(_("pairs explained per form"), default=dict)
    trained_on = models.PositiveIntegerField(_("confirmed pairs read"), default=0)
    explained = models.PositiveIntegerField(_("pairs some form explains"), default=0)
    active = models.BooleanField(_("active"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("variant ranking")
        verbose_name_plural = _("variant rankings")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=models.Q(active=True), name="variantweights_one_active"
            ),
        ]

    def __str__(self):
        return f"v{self.version}"
