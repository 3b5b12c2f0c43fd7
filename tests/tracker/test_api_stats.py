"""GET /api/v1/stats/: the dashboard's figures, as tracker.stats computes them."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from accounts.models import FlaggedAccount
from takedowns.choices import ItemOutcome, RequestStatus
from takedowns.models import TakedownItem, TakedownRequest
from tests.factories import AccountFactory, TakedownFactory, removed_with_mirror

S = RequestStatus
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_figures(settings):
    """No figures cached by an earlier test (the cache outlives each test's database)."""
    from django.core.cache import cache

    from tracker.stats import stats_cache_key

    settings.TRACKER_STATS_CACHE_SECONDS = 0
    for zone in ("UTC", "Asia/Karachi"):
        with timezone.override(zone):
            cache.delete(stats_cache_key())


@pytest.fixture
def figures(platforms, analyst):
    now = timezone.now()
    x = platforms["x"]

    def request(status, outcome, submitted_hours_ago, resolved_hours_ago, due_hours_ago):
        takedown = TakedownFactory(platform=x, created_by=analyst, status=status)
        TakedownRequest.objects.filter(pk=takedown.pk).update(
            submitted_at=now - timedelta(hours=submitted_hours_ago),
            resolved_at=None
            if resolved_hours_ago is None
            else now - timedelta(hours=resolved_hours_ago),
            due_at=now - timedelta(hours=due_hours_ago),
        )
        TakedownItem.objects.filter(request=takedown).update(outcome=outcome)

    request(S.ACTIONED, ItemOutcome.REMOVED, 30, 20, 10)  # 10 h, within deadline
    request(S.ACTIONED, ItemOutcome.REMOVED, 60, 30, 40)  # 30 h, late
    request(S.REJECTED, ItemOutcome.NOT_ACTIONED, 50, 45, 2)  # answered in time
    request(S.SUBMITTED, ItemOutcome.PENDING, 60, None, 12)  # open and overdue
    # Reappeared 2 h after its removal; both in the past, so in the weekly series.
    removed_at = now - timedelta(hours=3)
    _removed, mirror = removed_with_mirror(platform=x, removed_at=removed_at)
    FlaggedAccount.objects.filter(pk=mirror.pk).update(
        first_seen_at=removed_at + timedelta(hours=2)
    )


def test_stats_give_per_platform_compliance_figures(figures, supervisor_api):
    response = supervisor_api.get("/api/v1/stats/")

    assert response.status_code == 200
    x = next(p for p in response.json()["platforms"] if p["platform"] == "x")
    assert x == {
        "platform": "x",
        "name": "X",
        "open": 1,
        "overdue": 1,
        "actioned": 2,
        "partially_actioned": 0,
        "rejected": 1,
        "removal_rate": round(2 / 3, 3),
        "median_hours_to_removal": 20.0,
        "within_deadline_rate": round(2 / 3, 3),
    }


def test_stats_give_weekly_series_and_mirror_figures(figures, supervisor_api):
    data = supervisor_api.get("/api/v1/stats/").json()

    assert len(data["weekly"]) == 12
    assert sum(week["flagged"] for week in data["weekly"]) == FlaggedAccount.objects.count()
    assert sum(week["removed"] for week in data["weekly"]) == 1
    assert data["mirrors"] == {
        "confirmed": 1,
        "suggested": 0,
        "median_hours_to_reappearance": 2.0,
    }


def test_stats_are_reused_for_the_cache_period(figures, supervisor_api, settings):
    settings.TRACKER_STATS_CACHE_SECONDS = 60
    first = supervisor_api.get("/api/v1/stats/").json()
    TakedownRequest.objects.all().delete()

    cached = supervisor_api.get("/api/v1/stats/").json()
    settings.TRACKER_STATS_CACHE_SECONDS = 0
    fresh = supervisor_api.get("/api/v1/stats/").json()

    assert cached == first
    assert fresh["generated_at"] != first["generated_at"]
    assert sum(p["actioned"] for p in fresh["platforms"]) == 0


def test_the_api_counts_weeks_in_utc_even_after_the_dashboard_cached_local_ones(
    platforms, supervisor_api, settings
):
    from zoneinfo import ZoneInfo

    from tracker.stats import dashboard_stats_cached

    settings.TRACKER_STATS_CACHE_SECONDS = 60
    # Sunday 22:00 UTC, two weeks back: Monday 03:00 in Karachi, the next week there.
    today = timezone.now().astimezone(ZoneInfo("UTC")).date()
    sunday = today - timedelta(days=today.weekday() + 1 + 14)
    moment = datetime.combine(sunday, time(22, 0), tzinfo=ZoneInfo("UTC"))
    account = AccountFactory(platform=platforms["x"])
    FlaggedAccount.objects.filter(pk=account.pk).update(first_seen_at=moment)
    with timezone.override(ZoneInfo("Asia/Karachi")):
        local = dashboard_stats_cached()

    weekly = supervisor_api.get("/api/v1/stats/").json()["weekly"]

    monday_utc = (sunday - timedelta(days=6)).isoformat()
    assert [w["week"] for w in weekly if w["flagged"]] == [monday_utc]
    assert [w["week"] for w in local["weekly"] if w["flagged"]] == [
        (sunday + timedelta(days=1)).isoformat()
    ]


def test_stats_give_the_mirror_metrics(figures, supervisor_api, counted_get):
    # The figures' mirror reappeared 2 h after its removal; it is a chain of two. The metrics
    # read four queries (reappearance, detection to removal, the chain links, their handles),
    # whatever the number of mirrors. The ceiling of 18 set here before counted a token's
    # first call: SELECT and UPDATE last_used_at of the token, and the security log's hourly
    # token_used INSERT (tracker/security_log.py, token_used), which a marker left in Redis
    # by an earlier run within the hour skipped (17). counted_get warms the token first, so
    # the stats' own 15 queries are counted.
    data = counted_get(supervisor_api, "/api/v1/stats/", 15).json()

    metrics = data["mirror_metrics"]
    assert (metrics["reappearance"]["count"], metrics["reappearance"]["median_hours"]) == (1, 2.0)
    assert metrics["reappearance"]["by_platform"][0]["platform"] == "x"
    assert metrics["detection_to_removal"]["count"] == 0
    assert (metrics["chains"]["count"], metrics["chains"]["longest"]) == (1, 2)
