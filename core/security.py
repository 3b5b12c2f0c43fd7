"""Security events any app reports; the project (tracker) listens and writes the security log.

Apps below the project cannot import it, so they report through this signal:
`security_report("export", request=request, detail="accounts.csv")`.
"""

from django.dispatch import Signal

# Sent with kind, user, request, objects and detail; tracker.security_log stores every event.
security_event = Signal()


def security_report(
    kind: str, *, user=None, request=None, obj=None, objects=None, detail: str = ""
) -> None:
    """Report a security event (an export, a feed pull, a disclosure read...) to the log;
    `objects` reports one event per object, written together."""
    security_event.send(
        sender=None,
        kind=kind,
        user=user,
        request=request,
        objects=list(objects) if objects is not None else [obj],
        detail=detail,
    )
