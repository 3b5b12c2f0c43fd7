"""The dashboard's figures, shared by the supervisor dashboard and the `stats` API endpoint."""

from datetime import datetime, timedelta
from statistics import median

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from accounts.choices import MirrorStatus
from accounts.models import FlaggedAccount, MirrorCandidate, Platform
from takedowns.choices import OPEN_STATUSES, SUCCESS_OUTCOMES, ItemOutcome, RequestStatus
from takedowns.models import TakedownItem, TakedownRequest

S = RequestStatus
_CLOSED_BY_PLATFORM = (S.ACTIONED, S.PARTIALLY_ACTIONED, S.REJECTED)


def _hours(delta: timedelta | None) -> float | None:
    return None if delta is None else round(delta.total_seconds() / 3600, 1)


class _Median(Aggregate):
    """PostgreSQL's exact median (interpolated, as statistics.median): no rows to Python."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


def _median_hours_to_removal() -> dict[int, timedelta]:
    """Per platform, the median time from submission to resolution of actioned requests."""
    removed = TakedownRequest.objects.filter(
        status__in=(S.ACTIONED, S.PARTIALLY_ACTIONED),
        submitted_at__isnull=False,
        resolved_at__isnull=False,
    )
    took = ExpressionWrapper(F("resolved_at") - F("submitted_at"), output_field=DurationField())
    if connection.vendor == "postgresql":
        return dict(
            removed.values("platform")
            .annotate(m=_Median(took, output_field=DurationField()))
            .values_list("platform", "m")
        )
    durations: dict[int, list[timedelta]] = {}
    for platform_id, submitted, resolved in removed.values_list(
        "platform", "submitted_at", "resolved_at"
    ):
        durations.setdefault(platform_id, []).append(resolved - submitted)
    return {platform_id: median(values) for platform_id, values in durations.items()}


def platform_figures(*, now=None) -> list[dict]:
    """Per platform: open, overdue, actioned, rejected requests, removal rate, median time to
    removal and the share of closed requests resolved within their deadline."""
    now = now or timezone.now()
    overdue = Q(status__in=OPEN_STATUSES, paused_at__isnull=True, due_at__lte=now)
    requests = {
        row["platform"]: row
        for row in TakedownRequest.objects.values("platform").annotate(
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("id", filter=overdue),
            actioned=Count("id", filter=Q(status=S.ACTIONED)),
            partially_actioned=Count("id", filter=Q(status=S.PARTIALLY_ACTIONED)),
            rejected=Count("id", filter=Q(status=S.REJECTED)),
            closed=Count("id", filter=Q(status__in=_CLOSED_BY_PLATFORM, due_at__isnull=False)),
            within_deadline=Count(
                "id", filter=Q(status__in=_CLOSED_BY_PLATFORM, resolved_at__lte=F("due_at"))
            ),
        )
    }
    items = {
        row["request__platform"]: row
        for row in TakedownItem.objects.values("request__platform").annotate(
            answered=Count("id", filter=~Q(outcome=ItemOutcome.PENDING)),
            succeeded=Count("id", filter=Q(outcome__in=SUCCESS_OUTCOMES)),
        )
    }
    medians = _median_hours_to_removal()

    figures = []
    for platform in Platform.objects.order_by("name"):
        r = requests.get(platform.pk, {})
        i = items.get(platform.pk, {})
        answered, closed = i.get("answered", 0), r.get("closed", 0)
        figures.append(
            {
                "platform": platform.slug,
                "name": platform.name,
                "open": r.get("open", 0),
                "overdue": r.get("overdue", 0),
                "actioned": r.get("actioned", 0),
                "partially_actioned": r.get("partially_actioned", 0),
                "rejected": r.get("rejected", 0),
                "removal_rate": round(i.get("succeeded", 0) / answered, 3) if answered else None,
                "median_hours_to_removal": _hours(medians.get(platform.pk)),
                "within_deadline_rate": round(r.get("within_deadline", 0) / closed, 3)
                if closed
                else None,
            }
        )
    return figures


def weekly_series(*, weeks: int = 12, now=None) -> list[dict]:
    """Accounts flagged and accounts removed per week, oldest first, weeks without any included."""
    now = now or timezone.now()
    start = (now - timedelta(weeks=weeks - 1)).date()
    start -= timedelta(days=start.weekday())  # Monday, as TruncWeek
    # The same rows as first_seen_at__date__gte=start, as a range an index can serve.
    since = timezone.make_aware(datetime.combine(start, datetime.min.time()))
    flagged = dict(
        FlaggedAccount.objects.filter(first_seen_at__gte=since)
        .annotate(week=TruncWeek("first_seen_at"))
        .values("week")
        .annotate(n=Count("id"))
        .values_list("week", "n")
    )
    removed = dict(
        FlaggedAccount.objects.filter(removed_at__gte=since)
        .annotate(week=TruncWeek("removed_at"))
        .values("week")
        .annotate(n=Count("id"))
        .values_list("week", "n")
    )
    flagged = {k.date() if hasattr(k, "date") else k: v for k, v in flagged.items()}
    removed = {k.date() if hasattr(k, "date") else k: v for k, v in removed.items()}
    return [
        {
            "week": (start + timedelta(weeks=n)).isoformat(),
            "flagged": flagged.get(start + timedelta(weeks=n), 0),
            "removed": removed.get(start + timedelta(weeks=n), 0),
        }
        for n in range(weeks)
    ]


def mirror_figures() -> dict:
    """How many mirrors were detected and how soon after a removal they reappeared."""
    gaps = [
        seen - removed
        for seen, removed in FlaggedAccount.objects.filter(
            mirror_of__isnull=False, mirror_of__removed_at__isnull=False
        ).values_list("first_seen_at", "mirror_of__removed_at")
        if seen >= removed
    ]
    return {
        "confirmed": FlaggedAccount.objects.filter(mirror_of__isnull=False).count(),
        "suggested": MirrorCandidate.objects.filter(status=MirrorStatus.SUGGESTED).count(),
        "median_hours_to_reappearance": _hours(median(gaps) if gaps else None),
    }


def dashboard_stats(*, now=None) -> dict:
    """Everything the supervisor dashboard and GET /api/v1/stats/ show."""
    now = now or timezone.now()
    return {
        "generated_at": now,
        "platforms": platform_figures(now=now),
        "weekly": weekly_series(now=now),
        "mirrors": mirror_figures(),
    }


STATS_CACHE_KEY = "tracker:dashboard-stats"


def dashboard_stats_cached() -> dict:
    """dashboard_stats, computed at most once per TRACKER_STATS_CACHE_SECONDS (0: every time).

    Over a million accounts the figures take about half a second to compute; a dashboard read
    many times a minute needs them no fresher than that, and `generated_at` says how fresh.
    """
    max_age = settings.TRACKER_STATS_CACHE_SECONDS
    if max_age <= 0:
        return dashboard_stats()
    stats = cache.get(STATS_CACHE_KEY)
    if stats is None:
        stats = dashboard_stats()
        cache.set(STATS_CACHE_KEY, stats, max_age)
    return stats
