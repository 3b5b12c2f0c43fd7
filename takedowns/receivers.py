"""Bridges from account changes to alerts and webhooks.

accounts may not import takedowns, so its services cannot call the alerts themselves; these
receivers only dispatch, in the same transaction, to the services that hold the rules.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from accounts.choices import AccountStatus
from accounts.models import FlaggedAccount, MirrorCandidate

from .choices import WebhookEvent
from .rechecks import account_restored_alert
from .webhooks.payloads import account_payload
from .webhooks.publish import webhook_publish


@receiver(post_create_historical_record)
def account_became_restored(sender, instance, history_instance, **kwargs):
    """Alert once when an account turns `restored` (a removed account seen again)."""
    if not isinstance(instance, FlaggedAccount) or instance.status != AccountStatus.RESTORED:
        return
    previous = history_instance.prev_record
    if previous is not None and previous.status == AccountStatus.RESTORED:
        return
    account_restored_alert(account=instance, occurrence=str(history_instance.history_id))


@receiver(post_save, sender=MirrorCandidate)
def mirror_candidate_found(sender, instance, created, **kwargs):
    """Publish account.mirror_detected when a likely mirror is first suggested."""
    if not created:
        return
    webhook_publish(
        event=WebhookEvent.MIRROR_DETECTED,
        data={
            "candidate": {"id": instance.pk, "score": instance.score, "reasons": instance.reasons},
            "account": account_payload(instance.account),
            "removed_account": account_payload(instance.removed_account),
        },
        key=f"mirror-candidate:{instance.pk}",
    )
