"""Webhooks: one delivery per subscription, written with the event's transaction, signed with
HMAC-SHA256, retried with exponential backoff for a day, recorded, and replayable.

A receiver checks `X-Tracker-Signature: t=<unix time>,v1=<hex>`, where hex is
HMAC-SHA256(secret, "<t>." + raw body), and may drop repeats by `X-Tracker-Delivery`.
"""

import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import NotAllowed

from .choices import EventKind, WebhookEvent
from .models import TakedownEvent, TakedownRequest, WebhookDelivery, WebhookSubscription

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Tracker-Signature"
EVENT_HEADER = "X-Tracker-Event"
DELIVERY_HEADER = "X-Tracker-Delivery"
RESPONSE_KEPT_CHARS = 2000
# Event ids derive from what happened, so publishing the same occurrence twice is a no-op.
_EVENT_ID_NAMESPACE = uuid.UUID("6f1f6a52-4c1e-4a4b-9d0e-2f3c5b7a8e91")

_WEBHOOK_FOR_TIMELINE = {
    EventKind.STATUS_CHANGED: WebhookEvent.REQUEST_STATUS_CHANGED,
    EventKind.OVERDUE: WebhookEvent.REQUEST_OVERDUE,
    EventKind.ESCALATED: WebhookEvent.REQUEST_ESCALATED,
}


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def takedown_payload(takedown: TakedownRequest) -> dict:
    """What a webhook says about a request (never disclosed account-holder data)."""
    return {
        "id": takedown.pk,
        "reference": takedown.reference,
        "platform": takedown.platform.slug,
        "kind": takedown.kind,
        "priority": takedown.priority,
        "status": takedown.status,
        "platform_ticket": takedown.platform_ticket,
        "due_at": _iso(takedown.due_at),
        "paused": takedown.paused_at is not None,
        "overdue_at": _iso(takedown.overdue_at),
        "escalation_level": takedown.escalation_level,
        "version": takedown.version,
    }


def account_payload(account) -> dict:
    """What a webhook says about a flagged account."""
    return {
        "id": account.pk,
        "platform": account.platform.slug,
        "handle": account.handle,
        "platform_account_id": account.platform_account_id,
        "profile_url": account.profile_url,
        "status": account.status,
        "removed_at": _iso(account.removed_at),
        "mirror_of": account.mirror_of_id,
    }


def mirror_candidate_payload(candidate) -> dict:
    """What a webhook says about a mirror candidate: its explained score and both accounts."""
    return {
        "candidate": {
            "id": candidate.pk,
            "score": candidate.score,
            "strong": candidate.strong,
            "model_version": candidate.model_version,
            "features": [
                {k: f.get(k) for k in ("name", "value", "contribution")} for f in candidate.features
            ],
        },
        "account": account_payload(candidate.account),
        "removed_account": account_payload(candidate.removed_account),
    }


def webhook_subscribers(event: str) -> list[WebhookSubscription]:
    """Active subscriptions listing `event` (filtered here: SQLite cannot search JSON lists)."""
    return [
        s for s in WebhookSubscription.objects.filter(is_active=True) if event in (s.events or [])
    ]


def webhook_publish(
    *, event: str, data: dict, key: str, subscriptions: list | None = None
) -> list[WebhookDelivery]:
    """Queue `event` for every active subscription to it, sent after the transaction commits.

    `key` names the occurrence: publishing the same key again creates nothing new.
    """
    if subscriptions is None:
        subscriptions = webhook_subscribers(event)
    if not subscriptions:
        return []
    from .tasks import webhook_deliver_task

    now = timezone.now()
    event_id = uuid.uuid5(_EVENT_ID_NAMESPACE, key)
    payload = {"id": str(event_id), "event": event, "created_at": now.isoformat(), "data": data}
    created = []
    for subscription in subscriptions:
        delivery, was_created = WebhookDelivery.objects.get_or_create(
            subscription=subscription,
            event_id=event_id,
            defaults={"event": event, "payload": payload, "next_attempt_at": now},
        )
        if was_created:
            created.append(delivery)
            webhook_deliver_task.delay_on_commit(delivery.pk)
    return created


def webhook_publish_timeline(*, event: TakedownEvent) -> list[WebhookDelivery]:
    """Publish the webhook a timeline event stands for (status change, overdue, escalation)."""
    name = _WEBHOOK_FOR_TIMELINE.get(event.kind)
    subscriptions = webhook_subscribers(name) if name else []
    if not subscriptions:  # the common case: build no payload
        return []
    data = {
        "takedown": takedown_payload(event.request),
        "from_status": event.from_status,
        "to_status": event.to_status,
        "actor": event.actor.get_username() if event.actor_id else None,
        "at": event.created_at.isoformat(),
        "details": event.data,
    }
    return webhook_publish(
        event=name, data=data, key=f"takedown-event:{event.pk}", subscriptions=subscriptions
    )


def _mac(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def webhook_signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The X-Tracker-Signature value: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>."""
    return f"t={timestamp},v1={_mac(secret, timestamp, body)}"


def webhook_signature_verify(
    *, secret: str, header: str, body: bytes, tolerance: int = 300, now: float | None = None
) -> bool:
    """True when the header signs this body with this secret within `tolerance` seconds."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(_mac(secret, timestamp, body), parts.get("v1", ""))


def webhook_backoff(attempts: int) -> int:
    """Seconds to wait after the given number of failed attempts (doubling, capped)."""
    base = settings.WEBHOOK_RETRY_BASE_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), settings.WEBHOOK_RETRY_MAX_DELAY_SECONDS)


def webhook_max_attempts() -> int:
    """How many attempts fit in WEBHOOK_RETRY_FOR_HOURS with the backoff above."""
    window = settings.WEBHOOK_RETRY_FOR_HOURS * 3600
    attempts, elapsed = 1, 0
    while elapsed + webhook_backoff(attempts) <= window:
        elapsed += webhook_backoff(attempts)
        attempts += 1
    return attempts


def _refused_target(url: str) -> str:
    """Why the URL may not be called (non-public address), or "" when it may."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _("Only http and https URLs can receive webhooks.")
    if settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        return ""
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError:
        return ""  # a DNS failure is transient: the attempt fails and is retried
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            return _("%(host)s resolves to the non-public address %(address)s.") % {
                "host": parts.hostname,
                "address": address,
            }
    return ""


@dataclass(frozen=True)
class DeliveryOutcome:
    """What one call of webhook_deliver did, and when to try again (seconds) if it failed."""

    status: str
    retry_in: int | None = None


def _post(subscription: WebhookSubscription, delivery: WebhookDelivery):
    body = json.dumps(delivery.payload, sort_keys=True, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "proscribed-tracker-webhooks/1",
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.event_id),
        SIGNATURE_HEADER: webhook_signature(
            secret=subscription.secret, timestamp=int(time.time()), body=body
        ),
    }
    with requests.post(
        subscription.url,
        data=body,
        headers=headers,
        timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
        allow_redirects=False,
        stream=True,
    ) as response:
        text = response.raw.read(RESPONSE_KEPT_CHARS, decode_content=True)
        return response.status_code, text.decode("utf-8", "replace")


def webhook_deliver(*, delivery_id: int) -> DeliveryOutcome:
    """Make one attempt at a due delivery and record it; concurrent calls skip each other.

    The row stays locked during the POST (bounded by WEBHOOK_TIMEOUT_SECONDS), so a worker that
    dies mid-send leaves nothing half-recorded and the redelivered task sends again.
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
            .first()
        )
        now = timezone.now()
        if delivery is None:
            return DeliveryOutcome("skipped")
        if delivery.next_attempt_at and delivery.next_attempt_at > now:
            # An early duplicate (countdown and due-sweep both fired): the due-sweep owns it.
            return DeliveryOutcome("not_due")
        subscription = delivery.subscription
        refused = _refused_target(subscription.url) or (
            "" if subscription.is_active else _("The subscription is inactive.")
        )
        status_code, response_text, error = None, "", refused
        if not refused:
            try:
                status_code, response_text = _post(subscription, delivery)
            except requests.RequestException as exc:
                error = f"{type(exc).__name__}: {exc}"
        delivery.attempts += 1
        delivery.last_status_code = status_code
        delivery.last_response = response_text
        delivery.last_error = error[:2000]
        outcome = _record(delivery, timezone.now(), permanent=bool(refused))
        delivery.save()
    log = logger.info if outcome.status == "succeeded" else logger.warning
    log(
        "webhook delivery %s (%s to %s) attempt %d: %s, HTTP %s %s",
        delivery.pk,
        delivery.event,
        subscription.name,
        delivery.attempts,
        outcome.status,
        status_code,
        error,
    )
    return outcome


def _record(delivery: WebhookDelivery, now, *, permanent: bool) -> DeliveryOutcome:
    code = delivery.last_status_code
    if code is not None and 200 <= code < 300:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            WebhookDelivery.Status.SUCCEEDED,
            now,
            None,
        )
        return DeliveryOutcome("succeeded")
    if permanent or delivery.attempts >= webhook_max_attempts():
        delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
        return DeliveryOutcome("failed")
    delay = webhook_backoff(delivery.attempts)
    delivery.next_attempt_at = now + timedelta(seconds=delay)
    return DeliveryOutcome("pending", delay)


def webhook_deliveries_due(*, now=None, limit: int = 500) -> list[int]:
    """Ids of pending deliveries whose next attempt is due (the partial index delivery_due_idx)."""
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


@transaction.atomic
def webhook_delivery_replay(*, delivery: WebhookDelivery, user) -> WebhookDelivery:
    """Send a delivery again with a fresh day of retries, whatever became of it."""
    if user is not None and not user.has_perm("takedowns.change_webhookdelivery"):
        raise NotAllowed(_("Your role does not allow replaying webhook deliveries."))
    from .tasks import webhook_deliver_task

    locked = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    locked.status = WebhookDelivery.Status.PENDING
    locked.attempts = 0
    locked.next_attempt_at = timezone.now()
    locked.last_error = ""
    locked.save()
    logger.info(
        "webhook delivery %s (%s) replayed by %s",
        locked.pk,
        locked.event,
        user.get_username() if user else "the system",
    )
    webhook_deliver_task.delay_on_commit(locked.pk)
    return locked
