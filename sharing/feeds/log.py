"""Writing the prevention feed: an account's signals added, changed or withdrawn, in the
transaction of the change that caused it (sharing/receivers.py calls `feed_sync`).

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

from accounts.choices import AccountStatus, MirrorStatus
from accounts.models import FlaggedAccount, MirrorCandidate

from ..choices import SignalAction
from ..models import PlatformFeed, SignalEvent
from ..signals import SIGNAL_PREFETCH, SIGNAL_RELATED, account_signals


def in_feed(account: FlaggedAccount) -> bool:
    """Whether the account's signals belong in its platform's feed (a query for a mirror)."""
    if account.status == AccountStatus.REMOVED:
        return True
    if account.mirror_of_id is None:
        return False
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
    was_in = last is not None and last.action != SignalAction.WITHDRAWN
    if in_feed(account):
        signals = account_signals(account)
        if was_in and last.signals == signals:
            return None
        action = SignalAction.CHANGED if was_in else SignalAction.ADDED
    elif was_in:
        signals = {**last.signals, "status": account.status}
        action = SignalAction.WITHDRAWN
    else:
        return None
    txid = _transaction_id()
    if (
        was_in
        and action == SignalAction.CHANGED
        and txid is not None
        and last.transaction_id == txid
    ):
        # Still this transaction's own entry: nobody has read it, so it is updated in place.
        last.signals = signals
        last.save(update_fields=["signals"])
        return last
    return _append(
        feed=feed, account=account, txid=txid, action=action, reason=reason, signals=signals
    )


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
