"""Users with their preferences, and hashed, scoped API tokens for other systems."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.tokens import token_generate, token_hash


class User(AbstractUser):
    """A person using the tracker; the role comes from the Analyst, Supervisor or Admin group."""

    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Karachi")
    email_notifications = models.BooleanField(_("e-mail notifications"), default=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def has_role(self, *roles: str) -> bool:
        if self.is_superuser:
            return True
        names = getattr(self, "_role_names", None)
        if names is None:
            names = self._role_names = set(self.groups.values_list("name", flat=True))
        return bool(names.intersection(roles))


class ApiToken(models.Model):
    """A named, revocable, optionally expiring token; only its SHA-256 is stored."""

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Read and write")

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    scope = models.CharField(_("scope"), max_length=8, choices=Scope, default=Scope.READ)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return token_hash(key)

    @staticmethod
    def generate_key() -> str:
        return token_generate()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )


class OutboxMessage(models.Model):
    """A task call written with the caller's transaction and published after commit; a row left
    behind (the broker was down, the process died) is published later by the outbox drain."""

    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    options = models.JSONField(_("publish options"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("failed publish attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["id"]

    def __str__(self):
        return f"{self.task_name} #{self.pk}"


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker ran the heartbeat task; the health check reads it."""

    hostname = models.CharField(_("worker"), max_length=255, unique=True)
    seen_at = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-seen_at"]

    def __str__(self):
        return f"{self.hostname} {self.seen_at:%Y-%m-%d %H:%M:%S}"


class SecurityEvent(models.Model):
    """One row of the append-only security log: who did what, from where, to which object.

    The user is kept by id and name without a foreign-key constraint, so the log outlives the
    user and never needs an UPDATE (a PostgreSQL trigger refuses UPDATE and DELETE).
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("Signed in")
        LOGIN_FAILED = "login_failed", _("Sign-in failed")
        LOCKOUT = "lockout", _("Locked out")
        LOGOUT = "logout", _("Signed out")
        SESSION_EXPIRED = "session_expired", _("Session expired")
        SESSIONS_ENDED = "sessions_ended", _("Other sessions ended")
        OTP_ENROLLED = "otp_enrolled", _("Second factor enrolled")
        OTP_VERIFIED = "otp_verified", _("Second factor verified")
        OTP_FAILED = "otp_failed", _("Second factor refused")
        BACKUP_CODE_USED = "backup_code_used", _("Backup code used")
        PERMISSION_DENIED = "permission_denied", _("Permission denied")
        TOKEN_USED = "token_used", _("API token used")
        USER_DISABLED = "user_disabled", _("User disabled")
        EXPORT = "export", _("Export")
        FEED_PULL = "feed_pull", _("Feed pulled")
        DISCLOSURE_READ = "disclosure_read", _("Disclosure read")

    at = models.DateTimeField(_("at (UTC)"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=32, choices=Kind, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"], name="security_event_user_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.username}"


# Compliance reports live in tracker/reports/; imported here so Django registers the model.
from .reports.models import ComplianceReport  # noqa: E402, F401
