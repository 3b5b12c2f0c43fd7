"""Enumerations shared by takedown models, services, filters and the API."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    REMOVAL = "removal", _("Removal")
    GEO_BLOCK = "geo_block", _("Geo-block")
    PRESERVATION = "preservation", _("Preservation")
    DISCLOSURE = "disclosure", _("Disclosure")
    EMERGENCY_DISCLOSURE = "emergency_disclosure", _("Emergency disclosure")


# The kinds of request a platform answers with account-holder data.
DISCLOSURE_KINDS = (RequestKind.DISCLOSURE, RequestKind.EMERGENCY_DISCLOSURE)


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    EMERGENCY = "emergency", _("Emergency")


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING_APPROVAL = "pending_approval", _("Pending approval")
    APPROVED = "approved", _("Approved")
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ACTIONED = "actioned", _("Actioned")
    PARTIALLY_ACTIONED = "partially_actioned", _("Partially actioned")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (
    RequestStatus.DRAFT,
    RequestStatus.PENDING_APPROVAL,
    RequestStatus.APPROVED,
    RequestStatus.SUBMITTED,
    RequestStatus.ACKNOWLEDGED,
)
# Statuses in which the platform holds the request and its deadline clock runs.
WITH_PLATFORM_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.ACKNOWLEDGED)
# Statuses in which the platform has answered: it actioned the request (wholly or partly) or
# rejected it. The dashboard's and the compliance reports' deadline figures count these.
ACTIONED_STATUSES = (RequestStatus.ACTIONED, RequestStatus.PARTIALLY_ACTIONED)
CLOSED_BY_PLATFORM_STATUSES = (*ACTIONED_STATUSES, RequestStatus.REJECTED)
CLOSED_STATUSES = (
    RequestStatus.ACTIONED,
    RequestStatus.PARTIALLY_ACTIONED,
    RequestStatus.REJECTED,
    RequestStatus.WITHDRAWN,
)


class ItemOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    REMOVED = "removed", _("Removed")
    RESTRICTED = "restricted", _("Restricted")
    NOT_ACTIONED = "not_actioned", _("Not actioned")
    ALREADY_GONE = "already_gone", _("Already gone")
    DISCLOSED = "disclosed", _("Disclosed")


# Outcomes that count as the platform having done what was asked.
SUCCESS_OUTCOMES = (
    ItemOutcome.REMOVED,
    ItemOutcome.RESTRICTED,
    ItemOutcome.ALREADY_GONE,
    ItemOutcome.DISCLOSED,
)


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    STATUS_CHANGED = "status_changed", _("Status changed")
    CLOCK_PAUSED = "clock_paused", _("Clock paused")
    CLOCK_RESUMED = "clock_resumed", _("Clock resumed")
    ITEM_OUTCOME = "item_outcome", _("Item outcome recorded")
    REMINDER = "reminder", _("Reminder sent")
    OVERDUE = "overdue", _("Overdue")
    ESCALATED = "escalated", _("Escalated")
    COMMENT = "comment", _("Comment")
    DISCLOSURE_RECORDED = "disclosure_recorded", _("Disclosure recorded")
    PACKAGE_BUILT = "package_built", _("Request package built")


class WebhookEvent(models.TextChoices):
    """The events a webhook subscription may list (its `events` field)."""

    REQUEST_STATUS_CHANGED = "takedown.status_changed", _("Request status changed")
    REQUEST_OVERDUE = "takedown.overdue", _("Request overdue")
    REQUEST_ESCALATED = "takedown.escalated", _("Request escalated")
    ACCOUNT_RESTORED = "account.restored", _("Account restored")
    MIRROR_DETECTED = "account.mirror_detected", _("Mirror account detected")
    # A strong match only (MIRROR_STRONG_SCORE), announced once per candidate.
    MIRROR_STRONG = "mirror.detected", _("Strong mirror match")
