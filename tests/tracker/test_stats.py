"""tracker.stats: the figures' edges (weeks, items per platform), beyond what the API tests show."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.choices import AccountStatus
from accounts.models import FlaggedAccount
from takedowns.choices import ItemOutcome, RequestStatus
from takedowns.models import TakedownItem
from tests.factories import AccountFactory, TakedownFactory
from tracker.stats import platform_figures, weekly_series

pytestmark = pytest.mark.django_db
KARACHI = ZoneInfo("Asia/Karachi")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=KARACHI)


def test_weekly_series_splits_weeks_at_monday_midnight_in_the_users_zone(platforms):
    now = local(2026, 11, 25, 12, 0)  # a Wednesday
    seen = {
        "sunday night, the week before": local(2026, 11, 22, 23, 59),
        "monday midnight, this week": local(2026, 11, 23, 0, 0),
        "thirteen weeks ago, too old": local(2026, 8, 24, 12, 0),
        "first day of the series": local(2026, 9, 7, 0, 0),
        "next monday, not yet": local(2026, 11, 30, 0, 0),
    }
    for moment in seen.values():
        account = AccountFactory(platform=platforms["x"])
        FlaggedAccount.objects.filter(pk=account.pk).update(first_seen_at=moment)
    removed = AccountFactory(
        platform=platforms["x"], status=AccountStatus.REMOVED, removed_at=local(2026, 11, 23, 4)
    )
    FlaggedAccount.objects.filter(pk=removed.pk).update(first_seen_at=local(2026, 1, 1))

    with timezone.override(KARACHI):
        weeks = weekly_series(now=now)

    assert [week["week"] for week in weeks][:2] == ["2026-09-07", "2026-09-14"]
    assert weeks[-1]["week"] == "2026-11-23"
    flagged = {week["week"]: week["flagged"] for week in weeks if week["flagged"]}
    assert flagged == {"2026-09-07": 1, "2026-11-16": 1, "2026-11-23": 1}
    assert [week["removed"] for week in weeks] == [0] * 11 + [1]


def test_weekly_series_follows_the_zone_across_midnight_utc(platforms):
    # 20:00 UTC on Sunday is already Monday 01:00 in Karachi.
    account = AccountFactory(platform=platforms["x"])
    moment = datetime(2026, 11, 22, 20, 0, tzinfo=ZoneInfo("UTC"))
    FlaggedAccount.objects.filter(pk=account.pk).update(first_seen_at=moment)

    with timezone.override(KARACHI):
        in_karachi = weekly_series(now=local(2026, 11, 25, 12))
    with timezone.override(ZoneInfo("UTC")):
        in_utc = weekly_series(now=local(2026, 11, 25, 12))

    assert in_karachi[-1] == {"week": "2026-11-23", "flagged": 1, "removed": 0}
    assert in_utc[-2] == {"week": "2026-11-16", "flagged": 1, "removed": 0}


def test_removal_rate_counts_each_platforms_own_items(platforms, analyst):
    x, telegram = platforms["x"], platforms["telegram"]
    on_x = TakedownFactory(
        platform=x,
        created_by=analyst,
        status=RequestStatus.ACTIONED,
        accounts=[AccountFactory(platform=x), AccountFactory(platform=x)],
    )
    TakedownItem.objects.filter(request=on_x).update(outcome=ItemOutcome.REMOVED)
    TakedownItem.objects.filter(pk=on_x.items.first().pk).update(outcome=ItemOutcome.NOT_ACTIONED)
    on_telegram = TakedownFactory(
        platform=telegram, created_by=analyst, accounts=[AccountFactory(platform=telegram)]
    )

    figures = {row["platform"]: row for row in platform_figures()}

    assert figures["x"]["removal_rate"] == 0.5
    assert figures["telegram"]["removal_rate"] is None  # nothing answered yet
    assert on_telegram.items.get().platform == telegram
    assert figures["facebook"]["open"] == 0


def test_overdue_counts_open_unpaused_requests_past_their_deadline(platforms, analyst):
    now = timezone.now()
    x = platforms["x"]
    for status, due, paused in [
        (RequestStatus.SUBMITTED, now - timedelta(hours=1), None),  # overdue
        (RequestStatus.ACKNOWLEDGED, now - timedelta(hours=1), now),  # paused clock
        (RequestStatus.SUBMITTED, now + timedelta(hours=1), None),  # not yet due
        (RequestStatus.ACTIONED, now - timedelta(hours=1), None),  # closed
    ]:
        TakedownFactory(platform=x, created_by=analyst, status=status, due_at=due, paused_at=paused)

    x_figures = next(row for row in platform_figures(now=now) if row["platform"] == "x")

    assert (x_figures["open"], x_figures["overdue"], x_figures["actioned"]) == (3, 1, 1)
