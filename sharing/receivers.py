"""Bridges from account and mirror changes to the prevention feed.

accounts may not import sharing, so its services cannot write the feed themselves; these
receivers only dispatch, in the same transaction, to sharing/feeds/log.py, which holds the rule.
Each returns at once, without a query, when the change cannot touch the feed.
"""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from accounts.choices import MirrorStatus
from accounts.models import FlaggedAccount, MirrorCandidate
from accounts.signals import accounts_bulk_recorded

from .feeds.log import feed_sync, may_be_in_feed
from .variants import forget_priors


@receiver(post_create_historical_record, dispatch_uid="sharing-feed-account")
def account_saved(sender, instance, history_instance, **kwargs):
    """Removal, restoration, a confirmed mirror and any change of a listed account's fields."""
    if isinstance(instance, FlaggedAccount):
        if not may_be_in_feed(instance):
            # Only an account that was listed can need a withdrawal: one that was removed
            # or a mirror at its previous save.
            created = history_instance.history_type == "+"
            previous = None if created else history_instance.prev_record
            if previous is None or not may_be_in_feed(previous):
                return
        feed_sync(account_id=instance.pk, reason=history_instance.history_change_reason or "")
    elif isinstance(instance, MirrorCandidate) and instance.status != MirrorStatus.SUGGESTED:
        forget_priors()
        feed_sync(account_id=instance.account_id, reason=f"mirror {instance.status}")


@receiver(m2m_changed, sender=FlaggedAccount.groups.through, dispatch_uid="sharing-feed-groups")
def account_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A listed account's groups changed (its labels and designations in the feed)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        if may_be_in_feed(instance):
            feed_sync(account_id=instance.pk, reason="groups")
        return
    # From the group's side: every listed account among those changed.
    accounts = FlaggedAccount.objects.filter(pk__in=pk_set or ()).only(
        "pk", "status", "mirror_of_id"
    )
    for account in accounts:
        if may_be_in_feed(account):
            feed_sync(account_id=account.pk, reason="groups")


@receiver(accounts_bulk_recorded, dispatch_uid="sharing-feed-bulk")
def accounts_bulk_written(sender, account_ids, **kwargs):
    """A bulk create's batch: its removed accounts go into their feeds, as account_saved puts
    a removed account in when it is saved one at a time."""
    for account_id in account_ids:
        feed_sync(account_id=account_id, reason="recorded as removed")
