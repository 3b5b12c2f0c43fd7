"""Bridges from account, mirror, group and designation changes to the prevention feed, and
from the mirror refit job to the variant ranking's refit.

accounts may not import sharing, so its services cannot write the feed themselves; these
receivers only dispatch, in the same transaction, to sharing/feeds/log.py, which holds the rule.
Each returns at once, without a query, when the change cannot touch the feed.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete
from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from accounts.choices import AccountStatus, MirrorStatus
from accounts.models import Designation, FlaggedAccount, MirrorCandidate
from accounts.signals import accounts_bulk_recorded, mirror_refit_ran

from .feeds.log import feed_sync, feed_sync_many, may_be_in_feed
from .services import variant_weights_refit


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
        feed_sync(account_id=instance.account_id, reason=f"mirror {instance.status}")
    elif isinstance(instance, Designation):
        _sync_listed(_listed_in_group(instance.group_id), reason="designation")


@receiver(post_delete, sender=Designation, dispatch_uid="sharing-feed-designation-deleted")
def designation_deleted(sender, instance, **kwargs):
    """A designation removed: the group's listed accounts lose it from their labels."""
    _sync_listed(_listed_in_group(instance.group_id), reason="designation")


def _listed_in_group(group_id) -> list[int]:
    """The ids of the group's accounts that can be in a feed (one query)."""
    return list(
        FlaggedAccount.objects.filter(groups=group_id)
        .filter(Q(status=AccountStatus.REMOVED) | Q(mirror_of__isnull=False))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _sync_listed(account_ids, *, reason: str) -> None:
    # A fixed number of queries for all the listed accounts, none for the group's other ones.
    if account_ids:
        feed_sync_many(account_ids=account_ids, reason=reason)


@receiver(m2m_changed, sender=FlaggedAccount.groups.through, dispatch_uid="sharing-feed-groups")
def account_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A listed account's groups changed (its labels and designations in the feed)."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear") and may_be_in_feed(instance):
            feed_sync(account_id=instance.pk, reason="groups")
        return
    # From the group's side. A clear names no accounts: the listed ones are noted before it.
    if action == "pre_clear":
        instance._feed_cleared = _listed_in_group(instance.pk)
    elif action == "post_clear":
        _sync_listed(instance.__dict__.pop("_feed_cleared", []), reason="groups")
    elif action in ("post_add", "post_remove"):
        accounts = FlaggedAccount.objects.filter(pk__in=pk_set or ()).only(
            "pk", "status", "mirror_of_id"
        )
        _sync_listed([a.pk for a in accounts if may_be_in_feed(a)], reason="groups")


@receiver(accounts_bulk_recorded, dispatch_uid="sharing-feed-bulk")
def accounts_bulk_written(sender, account_ids, **kwargs):
    """A bulk create's batch: its removed accounts go into their feeds, as account_saved puts
    a removed account in when it is saved one at a time."""
    feed_sync_many(account_ids=account_ids, reason="recorded as removed")


@receiver(mirror_refit_ran, dispatch_uid="sharing-variant-weights-refit")
def mirror_refit(sender, model, **kwargs):
    """The mirror refit job: the predicted variants' ranking is refitted from the same confirmed
    mirrors, in the same job."""
    weights = variant_weights_refit()
    return {"variant_weights_version": weights.version, "trained_on": weights.trained_on}
