"""Writing the prevention feed: an account's signals added, changed or withdrawn, in the
transaction of the change that caused it (sharing/receivers.py calls `feed_sync`, or
`feed_sync_many` for a bulk import's batch: the same rule in a fixed number of queries).

What is in a platform's feed is a rule of state, not of events: an account is in it while it is
removed, or while it is a confirmed mirror (mirror_of set and the pair not rejected).
`feed_sync` compares that state and the account's signals with the account's last entry and
writes what changed, so calling it twice writes nothing the second time.

Sequence numbers follow commit order: the feed's row is locked (SELECT ... FOR UPDATE) until the
writing transaction ends, so no entry can commit behind one a reader has already passed, and a
cursor never skips an entry. Within one transaction the changes of an account update its own
entry (no reader has seen it yet) instead of adding one per save.
"""

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery

from accounts.choices import AccountStatus, MirrorStatus
from accounts.models import FlaggedAccount, MirrorCandidate

from ..choices import SignalAction
from ..models import PlatformFeed, SignalEvent
from ..signals import SIGNAL_PREFETCH, SIGNAL_RELATED, account_signals


def in_feed(account: FlaggedAccount, rejected: set[tuple[int, int]] | None = None) -> bool:
    """Whether the account's signals belong in its platform's feed (a query for a mirror, unless
    `rejected` gives the rejected (account, original) pairs already read)."""
    if account.status == AccountStatus.REMOVED:
        return True
    if account.mirror_of_id is None:
        return False
    if rejected is not None:
        return (account.pk, account.mirror_of_id) not in rejected
    return not MirrorCandidate.objects.filter(
        account_id=account.pk, removed_account_id=account.mirror_of_id, status=MirrorStatus.REJECTED
    ).exists()


def may_be_in_feed(account: FlaggedAccount) -> bool:
    """Without a query: False when the account cannot be in the feed now."""
    return account.status == AccountStatus.REMOVED or account.mirror_of_id is not None


def _transaction_id() -> int | None:
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id()::text::bigint")
        return cursor.fetchone()[0]


def feed_for(platform) -> PlatformFeed:
    """The platform's feed, created on first use."""
    feed, _created = PlatformFeed.objects.get_or_create(platform=platform)
    feed.platform = platform
    return feed


def _locked_feed(platform_id: int) -> PlatformFeed:
    feed = PlatformFeed.objects.select_for_update().filter(platform_id=platform_id).first()
    if feed is None:
        PlatformFeed.objects.get_or_create(platform_id=platform_id)
        feed = PlatformFeed.objects.select_for_update().get(platform_id=platform_id)
    return feed


@transaction.atomic
def feed_sync(*, account_id: int, reason: str = "") -> SignalEvent | None:
    """Bring the account's entry in its platform's feed up to date; returns the entry written
    or updated, None when nothing changed."""
    account = (
        FlaggedAccount.objects.select_related(*SIGNAL_RELATED)
        .prefetch_related(*SIGNAL_PREFETCH)
        .filter(pk=account_id)
        .first()
    )
    if account is None:
        return None
    feed = _locked_feed(account.platform_id)
    last = SignalEvent.objects.filter(account_id=account.pk).order_by("-sequence").first()
    decided = _decide(account, last, listed=in_feed(account))
    if decided is None:
        return None
    action, signals = decided
    txid = _transaction_id()
    if _own_entry(last, action, txid):
        # Still this transaction's own entry: nobody has read it, so it is updated in place.
        last.signals = signals
        last.save(update_fields=["signals"])
        return last
    return _append(
        feed=feed, account=account, txid=txid, action=action, reason=reason, signals=signals
    )


def _decide(account, last: SignalEvent | None, *, listed: bool) -> tuple[str, dict] | None:
    """(action, signals) to write for the account given its last entry; None: nothing changed."""
    was_in = last is not None and last.action != SignalAction.WITHDRAWN
    if listed:
        signals = account_signals(account)
        if was_in and last.signals == signals:
            return None
        return (SignalAction.CHANGED if was_in else SignalAction.ADDED), signals
    if was_in:
        return SignalAction.WITHDRAWN, {**last.signals, "status": account.status}
    return None


def _own_entry(last: SignalEvent | None, action: str, txid: int | None) -> bool:
    return (
        action == SignalAction.CHANGED
        and txid is not None
        and last is not None
        and last.transaction_id == txid
    )


@transaction.atomic
def feed_sync_many(*, account_ids, reason: str = "") -> list[SignalEvent]:
    """feed_sync for many accounts (a bulk import's batch) in a fixed number of queries: each
    feed locked once (in platform order), the new entries written with one INSERT. Returns the
    entries written or updated."""
    accounts = list(
        FlaggedAccount.objects.select_related(*SIGNAL_RELATED)
        .prefetch_related(*SIGNAL_PREFETCH)
        .filter(pk__in=list(account_ids))
        .order_by("pk")
    )
    if not accounts:
        return []
    feeds = {pk: _locked_feed(pk) for pk in sorted({a.platform_id for a in accounts})}
    mirrors = [a.pk for a in accounts if a.mirror_of_id is not None]
    rejected = set()
    if mirrors:
        rejected = set(
            MirrorCandidate.objects.filter(
                account_id__in=mirrors, status=MirrorStatus.REJECTED
            ).values_list("account_id", "removed_account_id")
        )
    # Each account's latest entry (a correlated subquery: DISTINCT ON is PostgreSQL's only, and
    # `make run` runs on SQLite).
    latest = SignalEvent.objects.filter(account_id=OuterRef("account_id")).order_by("-sequence")
    lasts = {
        event.account_id: event
        for event in SignalEvent.objects.filter(
            account_id__in=[a.pk for a in accounts], pk=Subquery(latest.values("pk")[:1])
        )
    }
    txid = _transaction_id()
    written, new = [], []
    for account in accounts:
        last = lasts.get(account.pk)
        decided = _decide(account, last, listed=in_feed(account, rejected))
        if decided is None:
            continue
        action, signals = decided
        if _own_entry(last, action, txid):
            last.signals = signals
            last.save(update_fields=["signals"])
            written.append(last)
            continue
        feed = feeds[account.platform_id]
        feed.last_sequence += 1
        new.append(
            SignalEvent(
                feed=feed,
                sequence=feed.last_sequence,
                account=account,
                action=action,
                reason=reason[:32],
                signals=signals,
                transaction_id=txid,
            )
        )
    for feed in feeds.values():
        PlatformFeed.objects.filter(pk=feed.pk).update(last_sequence=feed.last_sequence)
    return written + SignalEvent.objects.bulk_create(new)


def _append(*, feed, account, txid, action, reason, signals) -> SignalEvent:
    feed.last_sequence += 1
    PlatformFeed.objects.filter(pk=feed.pk).update(last_sequence=feed.last_sequence)
    return SignalEvent.objects.create(
        feed=feed,
        sequence=feed.last_sequence,
        account=account,
        action=action,
        reason=reason[:32],
        signals=signals,
        transaction_id=txid,
    )
