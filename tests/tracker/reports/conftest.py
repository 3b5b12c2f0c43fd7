"""A small November 2026 with known answers: requests on X and one on Telegram, outcomes,
a restored account and mirrors, each at a chosen moment (UTC)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from accounts.choices import AccountStatus
from accounts.models import FlaggedAccount
from takedowns.choices import ItemOutcome, RequestKind, RequestStatus
from takedowns.models import TakedownItem
from tests.factories import AccountFactory, TakedownFactory

S = RequestStatus
NOVEMBER = (date(2026, 11, 1), date(2026, 12, 1))
NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


def at(day: int, hour: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


@dataclass
class Month:
    x: object
    telegram: object
    accounts: dict


def _request(platform, author, *, kind, status, submitted, due_hours, resolved_after, outcomes):
    accounts = [AccountFactory(platform=platform) for _ in outcomes]
    takedown = TakedownFactory(
        platform=platform,
        created_by=author,
        kind=kind,
        status=status,
        submitted_at=submitted,
        due_at=submitted + timedelta(hours=due_hours),
        resolved_at=submitted + timedelta(hours=resolved_after) if resolved_after else None,
        accounts=accounts,
    )
    for account, (outcome, note) in zip(accounts, outcomes, strict=True):
        TakedownItem.objects.filter(request=takedown, account=account).update(
            outcome=outcome, note=note
        )
    return takedown, accounts


@pytest.fixture
def november(platforms, supervisor):
    x, telegram = platforms["x"], platforms["telegram"]
    removed, not_actioned, pending = (
        ItemOutcome.REMOVED,
        ItemOutcome.NOT_ACTIONED,
        ItemOutcome.PENDING,
    )
    R = RequestKind.REMOVAL
    _r1, (a1, a2) = _request(
        x,
        supervisor,
        kind=R,
        status=S.ACTIONED,
        submitted=at(2),
        due_hours=48,
        resolved_after=10,
        outcomes=[(removed, ""), (removed, "")],
    )
    _r2, (a3, _a4) = _request(
        x,
        supervisor,
        kind=R,
        status=S.PARTIALLY_ACTIONED,
        submitted=at(5),
        due_hours=48,
        resolved_after=60,
        outcomes=[(removed, ""), (not_actioned, "Not against our rules")],
    )
    _request(
        x,
        supervisor,
        kind=R,
        status=S.REJECTED,
        submitted=at(10),
        due_hours=12,
        resolved_after=20,
        outcomes=[(not_actioned, "Parody account")],
    )
    _request(
        x,
        supervisor,
        kind=RequestKind.GEO_BLOCK,
        status=S.SUBMITTED,
        submitted=at(20),
        due_hours=48,
        resolved_after=None,
        outcomes=[(pending, "")],
    )
    _request(
        x,
        supervisor,
        kind=RequestKind.PRESERVATION,
        status=S.ACKNOWLEDGED,
        submitted=at(28),
        due_hours=24 * 30,
        resolved_after=None,
        outcomes=[(pending, "")],
    )
    _request(
        x,
        supervisor,
        kind=R,
        status=S.WITHDRAWN,
        submitted=at(15),
        due_hours=48,
        resolved_after=None,
        outcomes=[(pending, "")],
    )
    _t, (t1,) = _request(
        telegram,
        supervisor,
        kind=R,
        status=S.ACTIONED,
        submitted=at(3),
        due_hours=48,
        resolved_after=30,
        outcomes=[(removed, "")],
    )
    # Outside November: sent on 30 October and on 1 December (Karachi time, UTC+5).
    _request(
        x,
        supervisor,
        kind=R,
        status=S.ACTIONED,
        submitted=at(30, month=10),
        due_hours=48,
        resolved_after=5,
        outcomes=[(removed, "")],
    )
    _request(
        x,
        supervisor,
        kind=R,
        status=S.SUBMITTED,
        submitted=at(30, 20),
        due_hours=48,
        resolved_after=None,
        outcomes=[(pending, "")],
    )

    # a1 restored on 25 November, then edited (still restored) on the 26th: counted once.
    history = FlaggedAccount.history.model
    a1.status = AccountStatus.RESTORED
    a1.save()
    history.objects.filter(id=a1.pk).order_by("-history_id").update(history_date=at(25))
    a1.notes = "back online"
    a1.save()
    history.objects.filter(id=a1.pk, notes="back online").update(history_date=at(26))
    # Restored in October: not counted.
    old = AccountFactory(platform=x, status=AccountStatus.RESTORED)
    history.objects.filter(id=old.pk).update(history_date=at(20, month=10))

    FlaggedAccount.objects.filter(pk=a2.pk).update(removed_at=at(3))
    FlaggedAccount.objects.filter(pk=a3.pk).update(removed_at=at(7))
    FlaggedAccount.objects.filter(pk=t1.pk).update(removed_at=at(4))
    AccountFactory(platform=x, handle="mirror_one", mirror_of=a2, first_seen_at=at(3, 6))
    AccountFactory(platform=x, handle="mirror_two", mirror_of=a3, first_seen_at=at(8))
    AccountFactory(platform=telegram, handle="mirror_tg", mirror_of=t1, first_seen_at=at(4, 12))
    return Month(x=x, telegram=telegram, accounts={"a1": a1})
