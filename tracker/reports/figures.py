"""The figures of a compliance report: reads only, over the requests sent in a period.

Scope: the requests submitted to the platform (or to any platform) from `start` to `end`
(exclusive, in the tracker's time zone), in the state they are in when the report is built.
docs/letters-and-reports.md defines each figure.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.choices import AccountStatus
from accounts.models import FlaggedAccount, Platform
from takedowns.choices import (
    ACTIONED_STATUSES,
    CLOSED_BY_PLATFORM_STATUSES,
    SUCCESS_OUTCOMES,
    WITH_PLATFORM_STATUSES,
    ItemOutcome,
    RequestKind,
    RequestStatus,
)
from takedowns.models import TakedownItem, TakedownRequest
from takedowns.querysets import met_deadline_q, overdue_q
from tracker.stats import duration_hours, percentile

S = RequestStatus
# The outcome columns of "requests by kind and outcome"; submitted and acknowledged are "open".
OUTCOMES = ("actioned", "partially_actioned", "rejected", "withdrawn", "open")
# Time-to-action histogram buckets, in hours: [0, 12), [12, 24), ... [96, ∞).
BUCKETS = (12, 24, 48, 96)


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def scope_requests(*, start: date, end: date, platform: Platform | None):
    """The requests a report covers: submitted in [start, end), on the platform if given."""
    requests = TakedownRequest.objects.filter(
        submitted_at__gte=_moment(start), submitted_at__lt=_moment(end)
    )
    return requests.filter(platform=platform) if platform else requests


def _by_kind(requests) -> list[dict]:
    counts: dict[str, dict[str, int]] = {}
    for row in requests.order_by().values("kind", "status").annotate(n=Count("pk")):
        outcome = "open" if row["status"] in WITH_PLATFORM_STATUSES else row["status"]
        per_kind = counts.setdefault(row["kind"], dict.fromkeys(OUTCOMES, 0))
        per_kind[outcome] = per_kind.get(outcome, 0) + row["n"]
    return [
        {
            "kind": kind.value,
            "label": str(kind.label),
            **counts[kind],
            "total": sum(counts[kind].values()),
        }
        for kind in RequestKind
        if kind in counts
    ]


def _deadline(requests, now) -> dict:
    """Decided: closed by the platform, or overdue (takedowns' rule: still open, the clock
    running and past due; a paused clock has not run out). Within: actioned (wholly or partly)
    by the deadline, by the rule the dashboard reads too."""
    row = requests.filter(due_at__isnull=False).aggregate(
        decided=Count("pk", filter=Q(status__in=CLOSED_BY_PLATFORM_STATUSES) | overdue_q(now)),
        within=Count("pk", filter=Q(status__in=ACTIONED_STATUSES) & met_deadline_q()),
    )
    decided, within = row["decided"], row["within"]
    return {"decided": decided, "within": within, "share": _share(within, decided)}


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _time_to_action(requests) -> dict:
    actioned = requests.filter(status__in=ACTIONED_STATUSES, resolved_at__isnull=False)
    took = ExpressionWrapper(F("resolved_at") - F("submitted_at"), output_field=DurationField())
    hours = [
        d.total_seconds() / 3600
        for d in actioned.annotate(took=took).values_list("took", flat=True)
    ]
    histogram = [0] * (len(BUCKETS) + 1)
    for value in hours:
        histogram[sum(value >= edge for edge in BUCKETS)] += 1
    return {
        "count": len(hours),
        "median_hours": duration_hours(percentile(actioned, took, 0.5)),
        "p90_hours": duration_hours(percentile(actioned, took, 0.9)),
        "histogram": histogram,
    }


def _accounts(requests) -> dict:
    """Reported accounts (items) of the requests and what the platforms did with them; the
    removal rate is the dashboard's: successful outcomes over answered items."""
    outcomes = dict(
        TakedownItem.objects.filter(request__in=requests)
        .order_by()
        .values("outcome")
        .annotate(n=Count("pk"))
        .values_list("outcome", "n")
    )
    answered = sum(n for outcome, n in outcomes.items() if outcome != ItemOutcome.PENDING)
    removed = sum(outcomes.get(outcome, 0) for outcome in SUCCESS_OUTCOMES)
    return {
        "reported": sum(outcomes.values()),
        "answered": answered,
        "removed": removed,
        "removal_rate": _share(removed, answered),
        "by_outcome": {outcome.value: outcomes.get(outcome, 0) for outcome in ItemOutcome},
    }


def _rejections(requests) -> list[dict]:
    """Rejected requests with the reasons noted on their accounts not actioned."""
    rejected = (
        requests.filter(status=S.REJECTED)
        .select_related("platform")
        .prefetch_related("items__account")
        .order_by("resolved_at", "pk")
    )
    return [
        {
            "reference": r.reference,
            "platform": r.platform.slug,
            "kind": r.kind,
            "resolved_at": r.resolved_at,
            "reasons": sorted(
                {i.note for i in r.items.all() if i.outcome == ItemOutcome.NOT_ACTIONED and i.note}
            ),
        }
        for r in rejected
    ]


def _restored(*, start: date, end: date, platform: Platform | None) -> list[dict]:
    """Accounts that turned `restored` in the period (from the audit history)."""
    history = FlaggedAccount.history.model
    before = history.objects.filter(
        id=OuterRef("id"), history_date__lt=OuterRef("history_date")
    ).order_by("-history_date", "-history_id")
    turned = (
        history.objects.filter(
            status=AccountStatus.RESTORED,
            history_date__gte=_moment(start),
            history_date__lt=_moment(end),
        )
        .annotate(previous=Subquery(before.values("status")[:1]))
        .filter(Q(previous__isnull=True) | ~Q(previous=AccountStatus.RESTORED))
        .order_by("history_date")
    )
    if platform:
        turned = turned.filter(platform=platform)
    seen: dict[int, dict] = {}
    for row in turned.select_related("platform"):
        seen.setdefault(
            row.id,
            {"handle": row.handle, "platform": row.platform.slug, "restored_at": row.history_date},
        )
    return list(seen.values())


def _mirrors(*, start: date, end: date, platform: Platform | None) -> dict:
    """Mirrors (accounts with mirror_of) first seen in the period, and how long after the
    original's removal each reappeared."""
    mirrors = FlaggedAccount.objects.filter(
        mirror_of__isnull=False, first_seen_at__gte=_moment(start), first_seen_at__lt=_moment(end)
    )
    if platform:
        mirrors = mirrors.filter(platform=platform)
    reappeared = mirrors.filter(
        mirror_of__removed_at__isnull=False, first_seen_at__gte=F("mirror_of__removed_at")
    )
    gap = ExpressionWrapper(
        F("first_seen_at") - F("mirror_of__removed_at"), output_field=DurationField()
    )
    rows = mirrors.select_related("platform", "mirror_of").order_by("first_seen_at", "pk")
    return {
        "detected": mirrors.count(),
        "median_hours_to_reappearance": duration_hours(percentile(reappeared, gap, 0.5)),
        "p90_hours_to_reappearance": duration_hours(percentile(reappeared, gap, 0.9)),
        "accounts": [
            {
                "handle": m.handle,
                "platform": m.platform.slug,
                "original": m.mirror_of.handle,
                "first_seen_at": m.first_seen_at,
                "hours_to_reappearance": duration_hours(m.first_seen_at - m.mirror_of.removed_at)
                if m.mirror_of.removed_at and m.first_seen_at >= m.mirror_of.removed_at
                else None,
            }
            for m in rows
        ],
    }


def compliance_figures(
    *, start: date, end: date, platform: Platform | None = None, now=None
) -> dict:
    """Every figure of one report, JSON-ready (dates and datetimes aside)."""
    now = now or timezone.now()
    requests = scope_requests(start=start, end=end, platform=platform)
    by_kind = _by_kind(requests)
    return {
        "period": {"start": start, "end": end, "last_day": end - timedelta(days=1)},
        "platform": platform.slug if platform else None,
        "platform_name": platform.name if platform else None,
        "generated_at": now,
        "requests": {"total": sum(k["total"] for k in by_kind), "by_kind": by_kind},
        "deadline": _deadline(requests, now),
        "time_to_action": _time_to_action(requests),
        "accounts": _accounts(requests),
        "rejections": _rejections(requests),
        "restored": _restored(start=start, end=end, platform=platform),
        "mirrors": _mirrors(start=start, end=end, platform=platform),
    }
