"""The mirror engine's tables: the watch list of removed accounts' signals, the versioned scoring
models (weights as data, never a pickle) and the signals supervisors suppressed.

Imported by accounts/models.py so that Django registers them in the accounts app; they refer to
the other models by name ("accounts.FlaggedAccount") and import nothing from accounts.models.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import WatchSignalKind
from .avatar_slices import SLICE_FIELDS


class WatchSignal(models.Model):
    """One signal of a removed account on the watch list (a folded handle, a name key, an avatar
    hash, a contact point, a group); new accounts are looked up against it."""

    account = models.ForeignKey(
        "accounts.FlaggedAccount",
        # A derived index: it goes with its account and is rebuilt from it.
        on_delete=models.CASCADE,
        related_name="watch_signals",
        verbose_name=_("removed account"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=WatchSignalKind)
    value = models.CharField(_("value"), max_length=255)
    created_at = models.DateTimeField(_("indexed at"), default=timezone.now)

    class Meta:
        verbose_name = _("watch-list signal")
        verbose_name_plural = _("watch-list signals")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "kind", "value"], name="watchsignal_unique_per_account"
            ),
        ]
        # Exact look-ups (contact points, document frequency). The pg_trgm GIN
        # index over the handle and name keys is created by migration 0007 on PostgreSQL only.
        indexes = [models.Index(fields=["kind", "value"], name="watchsignal_kind_value_idx")]

    def __str__(self):
        return f"{self.kind}:{self.value}"


class WatchKey(models.Model):
    """One blocking key of a removed account on the watch list: the 64-bit hash of a folded
    handle or display-name key, or of a variant one deletion away (accounts.mirrors.blocking).
    Looked up with `key = ANY(...)` through the b-tree; written and withdrawn with the signals."""

    account = models.ForeignKey(
        "accounts.FlaggedAccount",
        on_delete=models.CASCADE,
        related_name="watch_keys",
        verbose_name=_("removed account"),
        db_index=False,
    )
    key = models.BigIntegerField(_("key hash"))

    class Meta:
        verbose_name = _("watch-list blocking key")
        verbose_name_plural = _("watch-list blocking keys")
        # Named, so that the bench seeding can drop and rebuild them around its COPY.
        indexes = [
            models.Index(fields=["key"], name="watchkey_key_idx"),
            models.Index(fields=["account"], name="watchkey_account_idx"),
        ]

    def __str__(self):
        return str(self.key)


class PdqBits(models.Field):
    """A 256-bit PDQ hash as PostgreSQL bit(256), which the distance test XORs as it is (no
    conversion per row); the 256 '0'/'1' characters (accounts.mirrors.avatars.bit_string) on
    other databases."""

    description = _("256-bit hash")

    def db_type(self, connection):
        return "bit(256)" if connection.vendor == "postgresql" else "varchar(256)"


class WatchAvatar(models.Model):
    """One avatar hash of a removed account on the watch list (its PDQ hash, a centre crop's, or
    a rotation or flip of either: FlaggedAccount.avatar_variants), with its 16 look-up slices of
    16 bits (accounts.mirrors.avatars.slices), one b-tree each that also carries the account and
    the hash: a check probes the slices of the upload's own hash and compares the full hashes in
    SQL (bit_count of the XOR) from the indexes alone, so only the accounts within the match
    distance come back and no table row is read."""

    account = models.ForeignKey(
        "accounts.FlaggedAccount",
        on_delete=models.CASCADE,
        related_name="watch_avatars",
        verbose_name=_("removed account"),
    )
    pdq = models.CharField(_("PDQ hash"), max_length=64)
    bits = PdqBits(_("PDQ hash bits"))
    s0 = models.IntegerField()
    s1 = models.IntegerField()
    s2 = models.IntegerField()
    s3 = models.IntegerField()
    s4 = models.IntegerField()
    s5 = models.IntegerField()
    s6 = models.IntegerField()
    s7 = models.IntegerField()
    s8 = models.IntegerField()
    s9 = models.IntegerField()
    s10 = models.IntegerField()
    s11 = models.IntegerField()
    s12 = models.IntegerField()
    s13 = models.IntegerField()
    s14 = models.IntegerField()
    s15 = models.IntegerField()

    # The columns of accounts.mirrors.avatars.SLICE_FIELDS (a test checks they are these).
    SLICE_FIELDS = SLICE_FIELDS

    class Meta:
        verbose_name = _("watch-list avatar")
        verbose_name_plural = _("watch-list avatars")
        # Covering (INCLUDE, PostgreSQL only): index-only scans, the table's rows never read.
        indexes = [
            models.Index(
                fields=[field], name=f"watchavatar_{field}_idx", include=["account", "bits"]
            )
            for field in SLICE_FIELDS
        ]

    def __str__(self):
        return self.pdq


class MirrorModel(models.Model):
    """One version of the mirror-scoring logistic regression: its weights as data, what it was
    trained on and its precision and recall on held-back decisions; one version is active."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    weights = models.JSONField(_("weights"), default=dict)
    intercept = models.FloatField(_("intercept"))
    trained_on = models.PositiveIntegerField(_("decisions trained on"), default=0)
    held_back = models.PositiveIntegerField(_("decisions held back"), default=0)
    precision = models.FloatField(_("precision on held-back decisions"), null=True, blank=True)
    recall = models.FloatField(_("recall on held-back decisions"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mirror scoring model")
        verbose_name_plural = _("mirror scoring models")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="mirrormodel_one_active"
            ),
        ]

    def __str__(self):
        return f"v{self.version}"


class SuppressedSignal(models.Model):
    """A signal a supervisor declared meaningless (a platform's default avatar, a shared phrase):
    the scorer ignores it, like a "negative bank" of Meta's HMA."""

    kind = models.CharField(_("kind"), max_length=16, choices=WatchSignalKind)
    value = models.CharField(_("value"), max_length=255)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suppressed_signals",
        verbose_name=_("suppressed by"),
    )
    at = models.DateTimeField(_("suppressed at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("suppressed signal")
        verbose_name_plural = _("suppressed signals")
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="suppressedsignal_unique"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.value}"
