"""Publishing: one delivery per active subscription to an event, written with the event's
transaction and queued (by task name, through the outbox) after it commits."""

import uuid

from django.utils import timezone

from core.tasks import enqueue_on_commit

from ..choices import EventKind, WebhookEvent
from ..models import TakedownEvent, WebhookDelivery, WebhookSubscription
from .payloads import takedown_payload

DELIVER_TASK = "takedowns.tasks.webhook_deliver_task"
# Event ids derive from what happened, so publishing the same occurrence twice is a no-op.
_EVENT_ID_NAMESPACE = uuid.UUID("6f1f6a52-4c1e-4a4b-9d0e-2f3c5b7a8e91")

_WEBHOOK_FOR_TIMELINE = {
    EventKind.STATUS_CHANGED: WebhookEvent.REQUEST_STATUS_CHANGED,
    EventKind.OVERDUE: WebhookEvent.REQUEST_OVERDUE,
    EventKind.ESCALATED: WebhookEvent.REQUEST_ESCALATED,
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
            enqueue_on_commit(DELIVER_TASK, delivery.pk)
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
