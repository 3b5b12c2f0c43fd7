"""Timeline rows written explicitly by services and workers (actor None means the system)."""

from .models import TakedownEvent, TakedownRequest


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
    """Append one event to a request's timeline."""
    return TakedownEvent.objects.create(
        request=takedown,
        kind=kind,
        actor=actor,
        message=message,
        from_status=from_status,
        to_status=to_status,
        data=data or {},
    )
