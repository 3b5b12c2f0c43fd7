"""What a webhook says about a request or a flagged account (never disclosed data)."""

from ..models import TakedownRequest


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
