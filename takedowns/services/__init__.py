"""Every write of the takedowns app, by sub-domain: requests and their status machine
(requests), drafting per platform (per_platform), webhook subscriptions
(webhook_subscriptions) and disclosures (disclosures). Callers import them from here."""

from ..transitions import TRANSITIONS, action_refusal, available_actions
from .disclosures import (
    DISCLOSURE_MAX_BYTES,
    disclosure_can_record,
    disclosure_record,
    disclosures_record_access,
)
from .per_platform import takedowns_create_per_platform
from .requests import (
    takedown_acknowledge,
    takedown_approve,
    takedown_create,
    takedown_pause,
    takedown_request_approval,
    takedown_resolve,
    takedown_resume,
    takedown_submit,
    takedown_withdraw,
)
from .webhook_subscriptions import (
    webhook_subscription_create,
    webhook_subscription_delete,
    webhook_subscription_rotate_secret,
    webhook_subscription_update,
)

__all__ = [
    "DISCLOSURE_MAX_BYTES",
    "TRANSITIONS",
    "action_refusal",
    "available_actions",
    "disclosure_can_record",
    "disclosure_record",
    "disclosures_record_access",
    "takedown_acknowledge",
    "takedown_approve",
    "takedown_create",
    "takedown_pause",
    "takedown_request_approval",
    "takedown_resolve",
    "takedown_resume",
    "takedown_submit",
    "takedown_withdraw",
    "takedowns_create_per_platform",
    "webhook_subscription_create",
    "webhook_subscription_delete",
    "webhook_subscription_rotate_secret",
    "webhook_subscription_update",
]
