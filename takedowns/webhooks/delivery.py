"""Delivering one webhook: the signed HTTP POST, the delivery's recorded state, exponential
backoff for a day, the due-deliveries list and replay."""

import json
import logging
import time
from dataclasses import dataclass
from datetime import timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import require_permission
from core.tasks import enqueue_on_commit

from ..models import WebhookDelivery, WebhookSubscription
from .publish import DELIVER_TASK
from .signing import SIGNATURE_HEADER, webhook_signature
from .targets import OutboundRefused, webhook_post

logger = logging.getLogger(__name__)

EVENT_HEADER = "X-Tracker-Event"
DELIVERY_HEADER = "X-Tracker-Delivery"
RESPONSE_KEPT_CHARS = 2000


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
    with webhook_post(
        subscription.url, body=body, headers=headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS
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
        refused = "" if subscription.is_active else _("The subscription is inactive.")
        status_code, response_text, error = None, "", refused
        if not refused:
            try:
                status_code, response_text = _post(subscription, delivery)
            except OutboundRefused as exc:
                refused = error = str(exc)  # not a transient failure: retrying cannot help
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
    require_permission(
        user,
        "takedowns.change_webhookdelivery",
        _("Your role does not allow replaying webhook deliveries."),
    )
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
    enqueue_on_commit(DELIVER_TASK, locked.pk)
    return locked
