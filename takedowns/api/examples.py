"""Request and response examples shown in the OpenAPI schema for the takedown endpoints."""

from accounts.api.examples import ACCOUNT_REF, example

PLATFORM = {
    "slug": "telegram",
    "name": "Telegram",
    "submission_url": "",
    "submission_email": "abuse@telegram.org",
    "adapter": "manual",
    "is_active": True,
    "deadlines": [
        {"kind": "removal", "priority": "normal", "hours": 48},
        {"kind": "removal", "priority": "emergency", "hours": 12},
    ],
}

TAKEDOWN = {
    "id": 311,
    "reference": "TR-000311",
    "platform": "telegram",
    "kind": "removal",
    "priority": "normal",
    "status": "submitted",
    "legal_basis": "Section 37, Prevention of Electronic Crimes Act 2016",
    "notes": "",
    "created_by": "analyst",
    "created_at": "2026-02-01T09:00:00Z",
    "approved_by": "supervisor",
    "approved_at": "2026-02-01T10:00:00Z",
    "submitted_by": "supervisor",
    "submitted_at": "2026-02-01T10:05:00Z",
    "platform_ticket": "",
    "acknowledged_at": None,
    "due_at": "2026-02-03T10:05:00Z",
    "is_overdue": False,
    "is_paused": False,
    "paused_at": None,
    "paused_reason": "",
    "overdue_at": None,
    "escalation_level": 0,
    "escalated_at": None,
    "preserve_until": None,
    "resolved_at": None,
    "item_count": 1,
    "pending_count": 1,
    "version": 4,
    "available_actions": ["acknowledge", "pause", "resolve", "withdraw"],
    "updated_at": "2026-02-01T10:05:00Z",
}

TAKEDOWN_DETAIL = {
    **TAKEDOWN,
    "items": [{"account": ACCOUNT_REF, "outcome": "pending", "outcome_at": None, "note": ""}],
}

EVENT = {
    "id": 1201,
    "kind": "status_changed",
    "from_status": "approved",
    "to_status": "submitted",
    "actor": "supervisor",
    "message": "",
    "data": {"action": "submit"},
    "created_at": "2026-02-01T10:05:00Z",
}

DISCLOSURE = {
    "id": 12,
    "request": 311,
    "request_reference": "TR-000311",
    "account": ACCOUNT_REF,
    "data": {"phone": "+92 300 0000000", "registered_at": "2024-05-01"},
    "received_at": "2026-02-10T12:00:00Z",
    "recorded_by": "supervisor",
}

WEBHOOK = {
    "id": 3,
    "name": "CERT case system",
    "url": "https://cases.example.org/hooks/tracker",
    "events": ["takedown.overdue", "takedown.status_changed"],
    "is_active": True,
    "created_by": "admin",
    "created_at": "2026-02-01T08:00:00Z",
}

DELIVERY = {
    "id": 901,
    "event_id": "6f1c7a52-3b7e-4a53-9d55-2f7f0f1c9a10",
    "event": "takedown.status_changed",
    "payload": {"request": 311, "from": "approved", "to": "submitted"},
    "status": "succeeded",
    "attempts": 1,
    "next_attempt_at": None,
    "last_status_code": 200,
    "last_response": "ok",
    "last_error": "",
    "created_at": "2026-02-01T10:05:01Z",
    "delivered_at": "2026-02-01T10:05:02Z",
}

NOTIFICATION = {
    "id": 55,
    "kind": "overdue",
    "title": "TR-000311 to Telegram is overdue",
    "body": "",
    "request": 311,
    "account": None,
    "created_at": "2026-02-03T10:06:00Z",
    "read_at": None,
    "is_read": False,
}

__all__ = [
    "DELIVERY",
    "DISCLOSURE",
    "EVENT",
    "NOTIFICATION",
    "PLATFORM",
    "TAKEDOWN",
    "TAKEDOWN_DETAIL",
    "WEBHOOK",
    "example",
]
