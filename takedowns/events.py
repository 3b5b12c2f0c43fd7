"""Timeline rows written explicitly by services and workers (actor None means the system).

This is the one place timeline rows are written, so it is also where the matching webhooks are
published: in the same transaction, delivered after commit.
"""

from .models import TakedownEvent, TakedownRequest
from .webhooks.publish import webhook_publish_timeline


def takedown_event(
    *,
    takedown: TakedownRequest,
    kind: str,
    actor=None,
    message: str = "",
    from_status: str = "",
    to_status: str = "",
    data: dict | None = None,
) -> TakedownEvent:
    """Append one event to a request's timeline and publish its webhook, if it has one."""
    event = TakedownEvent.objects.create(
        request=takedown,
        kind=kind,
        actor=actor,
        message=message,
        from_status=from_status,
        to_status=to_status,
        data=data or {},
    )
    webhook_publish_timeline(event=event)
    return event
