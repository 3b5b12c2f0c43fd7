"""The dashboard's figures, shared by the supervisor dashboard and the `stats` API endpoint."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Value,
    When,
)
from django.utils import timezone

from accounts.choices import MirrorStatus
from accounts.mirror_selectors import mirror_metrics
from accounts.models import FlaggedAccount, MirrorCandidate, Platform
from takedowns.choices import (
    ACTIONED_STATUSES,
    CLOSED_BY_PLATFORM_STATUSES,
    OPEN_STATUSES,
    SUCCESS_OUTCOMES,
    ItemOutcome,
    RequestStatus,
)
from takedowns.models import TakedownItem, TakedownRequest
from takedowns.querysets import met_deadline_q, past_due_q

S = RequestStatus


def duration_hours(delta: timedelta | None) -> float | None:
    """A duration in hours to one decimal, None for none."""
    return None if delta is None else round(delta.total_seconds() / 3600, 1)


class _Percentile(Aggregate):
    """PostgreSQL's exact percentile, interpolated between rows (as statistics.median and
    statistics.quantiles(method="inclusive")): no rows to Python."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"


def _python_percentile(values: list, fraction: float):
    """PERCENTILE_CONT in Python: linear interpolation between the two nearest ranks."""
    values = sorted(values)
    position = (len(values) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def percentile(queryset, duration, fraction: float, *, per: str | None = None):
    """The `fraction` percentile (0.5: the median) of `duration` over the queryset's rows, or
    {value of `per`: percentile} when grouped; computed by PostgreSQL, in Python elsewhere
    (SQLite, in development)."""
    queryset = queryset.order_by()
    if connection.vendor == "postgresql":
        aggregate = _Percentile(duration, fraction=float(fraction), output_field=DurationField())
        if per is None:
            return queryset.aggregate(m=aggregate)["m"]
        return dict(queryset.values(per).annotate(m=aggregate).values_list(per, "m"))
    if per is None:
        values = list(queryset.annotate(took=duration).values_list("took", flat=True))
        return _python_percentile(values, fraction) if values else None
    grouped: dict = {}
    for key, took in queryset.annotate(took=duration).values_list(per, "took"):
        grouped.setdefault(key, []).append(took)
    return {key: _python_percentile(values, fraction) for key, values in grouped.items()}


def _median(queryset, duration, *, per: str | None = None):
    """The median of `duration` (see percentile)."""
    return percentile(queryset, duration, 0.5, per=per)


def _median_time_to_removal() -> dict[int, timedelta]:
    """Per platform, the median time from submission to resolution of actioned requests."""
    removed = TakedownRequest.objects.filter(
        status__in=ACTIONED_STATUSES,
        submitted_at__isnull=False,
        resolved_at__isnull=False,
    )
    took = ExpressionWrapper(F("resolved_at") - F("submitted_at"), output_field=DurationField())
    return _median(removed, took, per="platform")


def _request_counts(now) -> dict[int, dict[str, dict[str, int]]]:
    """Per platform and status: the requests, those with a deadline, those resolved within it
    and the unpaused ones past it. One scan grouped by two indexed columns; the filters compare
    dates only, which costs far less than testing every status list on every row."""
    counts: dict[int, dict[str, dict[str, int]]] = {}
    rows = (
        TakedownRequest.objects.order_by()
        .values("platform", "status")
        .annotate(
            n=Count("pk"),
            with_deadline=Count("pk", filter=Q(due_at__isnull=False)),
            within_deadline=Count("pk", filter=met_deadline_q()),
            past_due=Count("pk", filter=past_due_q(now)),
        )
    )
    for row in rows:
        counts.setdefault(row.pop("platform"), {})[row.pop("status")] = row
    return counts


def _item_counts() -> dict[int, dict[str, int]]:
    """Per platform and outcome, the items of every request (items carry their platform)."""
    counts: dict[int, dict[str, int]] = {}
    rows = TakedownItem.objects.order_by().values("platform", "outcome").annotate(n=Count("*"))
    for row in rows:
        counts.setdefault(row["platform"], {})[row["outcome"]] = row["n"]
    return counts


def platform_figures(*, now=None) -> list[dict]:
    """Per platform: open, overdue, actioned, rejected requests, removal rate, median time to
    removal and the share of closed requests resolved within their deadline."""
    now = now or timezone.now()
    requests, items, medians = _request_counts(now), _item_counts(), _median_time_to_removal()

    figures = []
    for platform in Platform.objects.order_by("name"):
        # A dict of requests, not HTTP.
        by_status = requests.get(platform.pk, {})  # nosec B113

        def total(statuses, column="n", by_status=by_status):
            return sum(by_status.get(status, {}).get(column, 0) for status in statuses)

        outcomes = items.get(platform.pk, {})
        answered = sum(n for outcome, n in outcomes.items() if outcome != ItemOutcome.PENDING)
        succeeded = sum(outcomes.get(outcome, 0) for outcome in SUCCESS_OUTCOMES)
        closed = total(CLOSED_BY_PLATFORM_STATUSES, "with_deadline")
        within = total(CLOSED_BY_PLATFORM_STATUSES, "within_deadline")
        figures.append(
            {
                "platform": platform.slug,
                "name": platform.name,
                "open": total(OPEN_STATUSES),
                "overdue": total(OPEN_STATUSES, "past_due"),
                "actioned": total([S.ACTIONED]),
                "partially_actioned": total([S.PARTIALLY_ACTIONED]),
                "rejected": total([S.REJECTED]),
                "removal_rate": round(succeeded / answered, 3) if answered else None,
                "median_hours_to_removal": duration_hours(medians.get(platform.pk)),
                "within_deadline_rate": round(within / closed, 3) if closed else None,
            }
        )
    return figures


def _per_week(field: str, edges: list[datetime]) -> dict[int, int]:
    """Accounts per week by `field`, keyed by the week's position (0 = the oldest). `edges`
    are the weeks' first moments and the end of the last week. Comparing each timestamp with
    the edges costs the database far less than truncating it to a week in the user's zone,
    and the range lets it read an index only."""
    week = Case(
        *(When(**{f"{field}__lt": edge}, then=Value(n)) for n, edge in enumerate(edges[1:-1])),
        default=Value(len(edges) - 2),
    )
    return dict(
        FlaggedAccount.objects.filter(**{f"{field}__gte": edges[0], f"{field}__lt": edges[-1]})
        .order_by()
        .annotate(week=week)
        .values("week")
        .annotate(n=Count("*"))
        .values_list("week", "n")
    )


def weekly_series(*, weeks: int = 12, now=None) -> list[dict]:
    """Accounts flagged and accounts removed per week (Monday to Sunday in the user's time
    zone), oldest first, weeks without any included."""
    today = timezone.localdate(now or timezone.now())
    start = today - timedelta(weeks=weeks - 1, days=today.weekday())
    mondays = [start + timedelta(weeks=n) for n in range(weeks + 1)]
    edges = [timezone.make_aware(datetime.combine(day, time.min)) for day in mondays]
    flagged, removed = _per_week("first_seen_at", edges), _per_week("removed_at", edges)
    return [
        {
            "week": mondays[n].isoformat(),
            "flagged": flagged.get(n, 0),
            "removed": removed.get(n, 0),
        }
        for n in range(weeks)
    ]


def mirror_figures() -> dict:
    """How many mirrors were detected and how soon after a removal they reappeared."""
    # "mirror_of is not null" on the mirror itself lets the database start from the few
    # mirrors (an index) instead of walking every removed account.
    reappeared = FlaggedAccount.objects.filter(
        mirror_of__isnull=False,
        mirror_of__removed_at__isnull=False,
        first_seen_at__gte=F("mirror_of__removed_at"),
    )
    gap = ExpressionWrapper(
        F("first_seen_at") - F("mirror_of__removed_at"), output_field=DurationField()
    )
    return {
        "confirmed": FlaggedAccount.objects.filter(mirror_of__isnull=False).count(),
        "suggested": MirrorCandidate.objects.filter(status=MirrorStatus.SUGGESTED).count(),
        "median_hours_to_reappearance": duration_hours(_median(reappeared, gap)),
    }


def dashboard_stats(*, now=None) -> dict:
    """Everything the supervisor dashboard and GET /api/v1/stats/ show."""
    now = now or timezone.now()
    return {
        "generated_at": now,
        "platforms": platform_figures(now=now),
        "weekly": weekly_series(now=now),
        "mirrors": mirror_figures(),
        "mirror_metrics": mirror_metrics(),
    }


def stats_cache_key() -> str:
    """The figures' cache key: weeks are counted in the current time zone (the person's on the
    dashboard, UTC in the API), so each zone has its own copy."""
    return f"tracker:dashboard-stats:{timezone.get_current_timezone_name()}"


def dashboard_stats_cached() -> dict:
    """dashboard_stats, computed at most once per TRACKER_STATS_CACHE_SECONDS (0: every time).

    Over a million accounts the figures take about half a second to compute; a dashboard read
    many times a minute needs them no fresher than that, and `generated_at` says how fresh.
    """
    max_age = settings.TRACKER_STATS_CACHE_SECONDS
    if max_age <= 0:
        return dashboard_stats()
    stats = cache.get(stats_cache_key())
    if stats is None:
        stats = dashboard_stats()
        cache.set(stats_cache_key(), stats, max_age)
    return stats
