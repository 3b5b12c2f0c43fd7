"""Takedown requests, their per-account items, timeline events, deadlines, disclosures,
notifications and webhook subscriptions."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import FlaggedAccount, Platform
from core.encryption import EncryptedJSONField

from .choices import (
    OPEN_STATUSES,
    EventKind,
    ItemOutcome,
    Priority,
    RequestKind,
    RequestStatus,
)
from .querysets import OVERDUE, Deadline, TakedownQuerySet, deadline_of


class PlatformDeadline(models.Model):
    """How long a platform has to act on one kind and priority of request."""

    platform = models.ForeignKey(
        Platform, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("platform")
    )
    kind = models.CharField(_("request kind"), max_length=24, choices=RequestKind)
    priority = models.CharField(_("priority"), max_length=16, choices=Priority)
    hours = models.PositiveIntegerField(_("hours to act"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("platform deadline")
        verbose_name_plural = _("platform deadlines")
        ordering = ["platform", "kind", "priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "kind", "priority"], name="deadline_unique_kind_priority"
            ),
        ]

    def __str__(self):
        return f"{self.platform} {self.kind}/{self.priority}: {self.hours} h"


class TakedownRequest(models.Model):
    """A request to one platform about one or more accounts, with its deadline clock."""

    platform = models.ForeignKey(
        Platform, on_delete=models.PROTECT, related_name="takedowns", verbose_name=_("platform")
    )
    kind = models.CharField(
        _("kind"), max_length=24, choices=RequestKind, default=RequestKind.REMOVAL
    )
    priority = models.CharField(
        _("priority"), max_length=16, choices=Priority, default=Priority.NORMAL
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=24, choices=RequestStatus, default=RequestStatus.DRAFT
    )
    accounts = models.ManyToManyField(
        FlaggedAccount, through="TakedownItem", related_name="takedowns", verbose_name=_("accounts")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="takedowns_created",
        verbose_name=_("drafted by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="takedowns_approved",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="takedowns_submitted",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    preserve_until = models.DateTimeField(_("preserve until"), null=True, blank=True)
    platform_ticket = models.CharField(_("platform ticket reference"), max_length=128, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    # Deadline clock. due_at moves forward by the length of every pause.
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    paused_at = models.DateTimeField(_("clock paused at"), null=True, blank=True)
    paused_reason = models.CharField(_("pause reason"), max_length=500, blank=True)
    reminder_at = models.DateTimeField(_("reminder at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("marked overdue at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_at = models.DateTimeField(_("last escalated at"), null=True, blank=True)
    # When the deadline sweep next has something to do for this request; NULL when nothing.
    next_check_at = models.DateTimeField(_("next deadline check"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = TakedownQuerySet.as_manager()

    class Meta:
        verbose_name = _("takedown request")
        verbose_name_plural = _("takedown requests")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("approve_takedownrequest", "Can approve takedown requests (four-eyes)"),
            ("submit_takedownrequest", "Can submit takedown requests to platforms"),
            ("manage_takedownrequest", "Can record platform responses, pause and resume clocks"),
        ]
        indexes = [
            models.Index(
                fields=["next_check_at"],
                name="takedown_next_check_idx",
                condition=Q(next_check_at__isnull=False),
            ),
            models.Index(fields=["status", "due_at"], name="takedown_status_due_idx"),
            models.Index(fields=["platform", "status"], name="takedown_platform_status_idx"),
            models.Index(fields=["-created_at", "-id"], name="takedown_created_idx"),
            models.Index(
                fields=["status", "-created_at", "-id"], name="takedown_status_created_idx"
            ),
            # Open requests with a running clock, newest first: the overdue list's index.
            models.Index(
                fields=["-created_at", "-id"],
                name="takedown_open_created_idx",
                condition=Q(status__in=OPEN_STATUSES, paused_at__isnull=True),
            ),
            models.Index(fields=["created_by", "status"], name="takedown_author_idx"),
            # The dashboard's median time to removal, read from this index alone.
            models.Index(
                fields=["platform"],
                include=["submitted_at", "resolved_at"],
                name="takedown_removal_time_idx",
                condition=Q(
                    status__in=(RequestStatus.ACTIONED, RequestStatus.PARTIALLY_ACTIONED),
                    submitted_at__isnull=False,
                    resolved_at__isnull=False,
                ),
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.platform} {self.get_kind_display()}"

    @property
    def reference(self) -> str:
        return f"TR-{self.pk:06d}" if self.pk else "TR-new"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    def deadline(self, now=None) -> Deadline:
        """Where the deadline stands (state, time left): takedowns/querysets.py's rule."""
        return deadline_of(self, now or timezone.now())

    @property
    def is_overdue(self) -> bool:
        return self.deadline().state == OVERDUE


class TakedownItem(models.Model):
    """One account in a request, with the platform's outcome for it."""

    request = models.ForeignKey(
        TakedownRequest, on_delete=models.CASCADE, related_name="items", verbose_name=_("request")
    )
    account = models.ForeignKey(
        FlaggedAccount,
        on_delete=models.PROTECT,
        related_name="takedown_items",
        verbose_name=_("account"),
    )
    # The request's platform, copied when the item is created (it never changes): the
    # dashboard's per-platform removal rates count items without joining their requests.
    platform = models.ForeignKey(
        Platform,
        on_delete=models.PROTECT,
        related_name="takedown_items",
        verbose_name=_("platform"),
        editable=False,
    )
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=ItemOutcome, default=ItemOutcome.PENDING
    )
    outcome_at = models.DateTimeField(_("outcome at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("takedown item")
        verbose_name_plural = _("takedown items")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "account"], name="takedownitem_unique_account"
            ),
        ]
        indexes = [
            models.Index(fields=["platform", "outcome"], name="takedownitem_platform_idx"),
        ]

    def __str__(self):
        return f"{self.request.reference} {self.account}"


class TakedownEvent(models.Model):
    """One entry of a request's timeline: who did what and when (actor empty for the system)."""

    request = models.ForeignKey(
        TakedownRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("request")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind)
    from_status = models.CharField(_("from status"), max_length=24, blank=True)
    to_status = models.CharField(_("to status"), max_length=24, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="takedown_events",
        verbose_name=_("by"),
    )
    message = models.TextField(_("message"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("takedown event")
        verbose_name_plural = _("takedown events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at"], name="takedownevent_request_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


class Disclosure(models.Model):
    """Account-holder data a platform returned; only supervisors read it, every read logged."""

    request = models.ForeignKey(
        TakedownRequest,
        on_delete=models.PROTECT,
        related_name="disclosures",
        verbose_name=_("request"),
    )
    account = models.ForeignKey(
        FlaggedAccount,
        on_delete=models.PROTECT,
        related_name="disclosures",
        verbose_name=_("account"),
    )
    # Encrypted at rest under DISCLOSURE_KEYS (core/encryption.py); code sees the plain dict.
    data = EncryptedJSONField(_("disclosed data"), default=dict)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-received_at"]
        permissions = [("read_disclosure", "Can read disclosed account-holder data")]

    def __str__(self):
        return f"{self.request.reference} {self.account}"


class DisclosureAccess(models.Model):
    """A logged read of a disclosure."""

    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.CASCADE, related_name="accesses", verbose_name=_("disclosure")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    channel = models.CharField(_("through"), max_length=16)
    accessed_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("disclosure access")
        verbose_name_plural = _("disclosure accesses")
        ordering = ["-accessed_at"]

    def __str__(self):
        return f"{self.user} read {self.disclosure} at {self.accessed_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """An in-app notice to one user; dedupe_key makes every notice happen once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=32)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("body"), blank=True)
    request = models.ForeignKey(
        TakedownRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("request"),
    )
    account = models.ForeignKey(
        FlaggedAccount,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("account"),
    )
    dedupe_key = models.CharField(_("deduplication key"), max_length=200)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], name="notification_unique_key"),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.title


class WebhookSubscription(models.Model):
    """A system's subscription to events, delivered as signed POSTs."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=128)
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="webhooks",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to one subscription, with every attempt's result."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, editable=False)
    subscription = models.ForeignKey(
        WebhookSubscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("subscription"),
    )
    event = models.CharField(_("event"), max_length=64)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_status_code = models.PositiveIntegerField(_("last HTTP status"), null=True, blank=True)
    last_response = models.TextField(_("last response"), blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_id"], name="delivery_unique_event"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_due_idx",
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self):
        return f"{self.event} -> {self.subscription}"


# Letter templates live with the request packages; imported here so Django registers them.
from .letters.models import LetterTemplate  # noqa: E402, F401
