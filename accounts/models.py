"""Platforms, proscribed groups and their designations, flagged accounts, evidence, mirrors."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import AccountStatus, AdapterKind, Authority, EvidenceKind, MirrorStatus
from .querysets import ProscribedGroupQuerySet


class Platform(models.Model):
    """A social-media platform that accounts live on and takedown requests are sent to."""

    slug = models.SlugField(_("slug"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    submission_url = models.URLField(_("request portal URL"), blank=True)
    submission_email = models.EmailField(_("request e-mail address"), blank=True)
    adapter = models.CharField(
        _("status adapter"), max_length=16, choices=AdapterKind, default=AdapterKind.MANUAL
    )
    adapter_config = models.JSONField(
        _("adapter settings"),
        default=dict,
        blank=True,
        help_text=_(
            "For the HTTP adapter: base_url, token_env (variable holding the token), timeout."
        ),
    )
    rate_limit_per_minute = models.PositiveIntegerField(_("adapter calls per minute"), default=30)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProscribedGroup(models.Model):
    """An organisation designated by at least one authority; one row however many lists name it."""

    name = models.CharField(_("canonical name"), max_length=255, unique=True)
    name_key = models.CharField(_("comparison key"), max_length=255, db_index=True, editable=False)
    country = models.CharField(_("country"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = ProscribedGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("proscribed group")
        verbose_name_plural = _("proscribed groups")
        ordering = ["name"]

    def __str__(self):
        return self.name


class GroupAlias(models.Model):
    """Another name of a group, in any script (Latin, Arabic, Urdu...)."""

    group = models.ForeignKey(
        ProscribedGroup, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("group")
    )
    name = models.CharField(_("alias"), max_length=255)
    name_key = models.CharField(_("comparison key"), max_length=255, db_index=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("group alias")
        verbose_name_plural = _("group aliases")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "name"], name="groupalias_unique_per_group"),
        ]

    def __str__(self):
        return self.name


class DesignationImport(models.Model):
    """One run of a designation-list import: its source, file hash, counts and errors."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    source = models.CharField(_("source"), max_length=16)
    file_name = models.CharField(_("file or URL"), max_length=500)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.RUNNING)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="designation_imports",
        verbose_name=_("started by"),
    )
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    delisted_count = models.PositiveIntegerField(_("delisted"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    review_count = models.PositiveIntegerField(_("sent to review"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        verbose_name = _("designation import")
        verbose_name_plural = _("designation imports")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def summary(self) -> str:
        """The counts in one line, for messages and lists."""
        return _(
            "%(new)d new, %(updated)d updated, %(delisted)d delisted, %(unchanged)d unchanged, "
            "%(skipped)d skipped, %(review)d sent to review"
        ) % {
            "new": self.created_count,
            "updated": self.updated_count,
            "delisted": self.delisted_count,
            "unchanged": self.unchanged_count,
            "skipped": self.skipped_count,
            "review": self.review_count,
        }


class Designation(models.Model):
    """A group's listing by one authority, as imported from that authority's official list."""

    group = models.ForeignKey(
        ProscribedGroup,
        on_delete=models.PROTECT,
        related_name="designations",
        verbose_name=_("group"),
    )
    authority = models.CharField(_("authority"), max_length=16, choices=Authority)
    reference = models.CharField(_("list reference"), max_length=64, blank=True)
    name_as_listed = models.CharField(_("name as listed"), max_length=255, blank=True)
    # What this list gives, so that a re-import sees a changed alias; the group's aliases are
    # the union over its lists and are never removed by an import.
    aliases_as_listed = models.JSONField(_("aliases as listed"), default=list, blank=True)
    listed_on = models.DateField(_("listed on"), null=True, blank=True)
    delisted_on = models.DateField(_("delisted on"), null=True, blank=True)
    programs = models.JSONField(_("programmes"), default=list, blank=True)
    source_url = models.CharField(_("source"), max_length=500, blank=True)
    source_record_id = models.CharField(_("source record id"), max_length=64)
    last_import = models.ForeignKey(
        DesignationImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="designations",
        verbose_name=_("last import"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        ordering = ["authority", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "source_record_id"], name="designation_unique_source_record"
            ),
        ]
        indexes = [models.Index(fields=["group", "authority"], name="designation_group_auth_idx")]

    def __str__(self):
        return f"{self.get_authority_display()} {self.reference}".strip()

    @property
    def is_current(self) -> bool:
        return self.delisted_on is None


class GroupMatchReview(models.Model):
    """An uncertain cross-list match held for a person to merge or keep apart."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        MERGED = "merged", _("Merged")
        KEPT_APART = "kept_apart", _("Kept apart")

    import_run = models.ForeignKey(
        DesignationImport,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("import"),
    )
    designation = models.ForeignKey(
        Designation,
        on_delete=models.CASCADE,
        related_name="match_reviews",
        verbose_name=_("designation"),
    )
    candidate = models.ForeignKey(
        ProscribedGroup,
        on_delete=models.CASCADE,
        related_name="match_reviews",
        verbose_name=_("possible same group"),
    )
    score = models.FloatField(_("score"))
    matched_name = models.CharField(_("matched name"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("group match review")
        verbose_name_plural = _("group match reviews")
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["designation", "candidate"], name="groupmatch_unique_pair"
            ),
        ]

    def __str__(self):
        return f"{self.designation} ~ {self.candidate} ({self.score:.2f})"


class Tag(models.Model):
    """A free label analysts put on accounts (campaign, language, operation name)."""

    name = models.CharField(_("name"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


class FlaggedAccount(models.Model):
    """A social-media account traced to a proscribed group."""

    platform = models.ForeignKey(
        Platform, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("platform")
    )
    handle = models.CharField(_("handle"), max_length=255)
    handle_normalized = models.CharField(_("normalised handle"), max_length=255, editable=False)
    # The handle without digits and separators: mirrors re-register "name_2", "name.official".
    handle_stem = models.CharField(_("handle stem"), max_length=255, editable=False, blank=True)
    platform_account_id = models.CharField(_("platform account id"), max_length=128, blank=True)
    profile_url = models.URLField(_("profile URL"), max_length=500, blank=True)
    display_name = models.CharField(_("display name"), max_length=255, blank=True)
    bio = models.TextField(_("bio"), blank=True)
    avatar = models.FileField(_("avatar"), upload_to="avatars/%Y/%m/", blank=True)
    # PDQ perceptual hash of the avatar (64 hex digits) and its quality (0-100), for mirrors.
    avatar_pdq = models.CharField(_("avatar PDQ hash"), max_length=64, blank=True, editable=False)
    avatar_quality = models.PositiveSmallIntegerField(
        _("avatar hash quality"), null=True, blank=True, editable=False
    )
    # PDQ hashes of centre crops of the avatar (accounts.mirrors.avatars.CROPS).
    avatar_crops = models.JSONField(
        _("avatar crop hashes"), default=list, blank=True, editable=False
    )
    # PDQ hashes of the avatar's eight rotations and flips, then of each crop's eight
    # (accounts.mirrors.avatars.AvatarHash.watched): the watch list stores them all, so that a
    # check probes with the upload's own hash only.
    avatar_variants = models.JSONField(
        _("avatar variant hashes"), default=list, blank=True, editable=False
    )
    groups = models.ManyToManyField(
        ProscribedGroup, related_name="accounts", blank=True, verbose_name=_("linked groups")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AccountStatus, default=AccountStatus.ACTIVE
    )
    first_seen_at = models.DateTimeField(_("first seen"), default=timezone.now)
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="flagged_accounts",
        verbose_name=_("flagged by"),
    )
    tags = models.ManyToManyField(Tag, related_name="accounts", blank=True, verbose_name=_("tags"))
    notes = models.TextField(_("notes"), blank=True)
    mirror_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mirrors",
        verbose_name=_("mirror of"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[groups])

    class Meta:
        verbose_name = _("flagged account")
        verbose_name_plural = _("flagged accounts")
        ordering = ["-first_seen_at", "-id"]
        constraints = [
            # A removed account frees its handle: a mirror may re-register the very same name.
            models.UniqueConstraint(
                fields=["platform", "handle_normalized"],
                condition=~Q(status=AccountStatus.REMOVED),
                name="account_unique_live_handle",
            ),
            models.UniqueConstraint(
                fields=["platform", "platform_account_id"],
                condition=~Q(platform_account_id=""),
                name="account_unique_platform_id",
            ),
        ]
        indexes = [
            # Filter columns, then the list order (newest first, id breaking ties): a keyset page
            # is then a range of one index, however deep.
            models.Index(
                fields=["platform", "status", "-first_seen_at", "-id"],
                name="account_platform_status_idx",
            ),
            models.Index(
                fields=["status", "-first_seen_at", "-id"], name="account_status_seen_idx"
            ),
            models.Index(fields=["-first_seen_at", "-id"], name="account_seen_idx"),
            models.Index(fields=["handle_normalized"], name="account_handle_idx"),
            models.Index(fields=["platform", "handle_stem"], name="account_stem_idx"),
            models.Index(fields=["flagged_by", "-first_seen_at"], name="account_flagger_idx"),
            models.Index(fields=["removed_at"], name="account_removed_idx"),
        ]

    def __str__(self):
        return f"{self.platform.slug}:{self.handle}"


class EvidenceQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("Evidence cannot be changed after capture."))


class Evidence(models.Model):
    """A file, URL or text captured about an account; never changed after capture (custody)."""

    account = models.ForeignKey(
        FlaggedAccount, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("account")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=EvidenceKind)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", blank=True)
    display_file = models.FileField(
        _("re-encoded copy"),
        upload_to="evidence/%Y/%m/",
        blank=True,
        help_text=_("What readers download for an image: its pixels only, without metadata."),
    )
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    text = models.TextField(_("captured text"), blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="captured_evidence",
        verbose_name=_("captured by"),
    )
    captured_at = models.DateTimeField(_("captured at"), default=timezone.now)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["-captured_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.sha256[:12]}"

    def save(self, *args, **kwargs):
        # Chain of custody: a stored row is never rewritten (the database enforces it on
        # PostgreSQL as well, see migration 0002).
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("Evidence cannot be changed after capture."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Evidence cannot be deleted."))


class MirrorCandidate(models.Model):
    """A suggestion that a newly flagged account re-creates a removed one, awaiting a supervisor."""

    account = models.ForeignKey(
        FlaggedAccount,
        on_delete=models.CASCADE,
        related_name="mirror_candidates",
        verbose_name=_("new account"),
    )
    removed_account = models.ForeignKey(
        FlaggedAccount,
        on_delete=models.CASCADE,
        related_name="mirror_suspects",
        verbose_name=_("removed account"),
    )
    score = models.FloatField(_("score"))
    strong = models.BooleanField(_("strong match"), default=False)
    # [{name, value, contribution, detail}]: each feature and what it added to the logit.
    features = models.JSONField(_("features"), default=list)
    model_version = models.PositiveIntegerField(_("scoring model version"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MirrorStatus, default=MirrorStatus.SUGGESTED
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mirror candidate")
        verbose_name_plural = _("mirror candidates")
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "removed_account"], name="mirror_unique_pair"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-score"], name="mirror_status_idx"),
            models.Index(fields=["removed_account", "status"], name="mirror_removed_status_idx"),
        ]

    def __str__(self):
        return f"{self.account} ~ {self.removed_account}"


# An uploaded account list, kept between the steps of the upload page.
from .imports.models import AccountUpload  # noqa: E402, F401

# The watch list, the scoring models and the suppressed signals live with the mirror engine.
from .mirrors.models import (  # noqa: E402, F401
    MirrorModel,
    SuppressedSignal,
    WatchAvatar,
    WatchKey,
    WatchSignal,
)
