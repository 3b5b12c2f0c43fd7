"""Bridges from account changes to alerts and webhooks.

accounts may not import takedowns, so its services cannot call the alerts themselves; these
receivers only dispatch, in the same transaction, to the services that hold the rules.
"""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from accounts.choices import AccountStatus
from accounts.models import FlaggedAccount, MirrorCandidate
from accounts.signals import mirror_detected

from .choices import WebhookEvent
from .notifications import mirror_detected_notify
from .rechecks import account_restored_alert
from .webhooks.payloads import mirror_candidate_payload
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
        data=mirror_candidate_payload(instance),
        key=f"mirror-candidate:{instance.pk}",
    )


@receiver(mirror_detected)
def strong_mirror_detected(sender, candidate_id, **kwargs):
    """A strong match: every supervisor is told at once (in-app and e-mail) and mirror.detected
    is published; the candidate's id keys both, so a repeated signal does nothing."""
    candidate = (
        MirrorCandidate.objects.select_related("account__platform", "removed_account__platform")
        .filter(pk=candidate_id, strong=True)
        .first()
    )
    if candidate is None:
        return
    with transaction.atomic():
        mirror_detected_notify(candidate=candidate)
        webhook_publish(
            event=WebhookEvent.MIRROR_STRONG,
            data=mirror_candidate_payload(candidate),
            key=f"mirror-detected:{candidate.pk}",
        )
