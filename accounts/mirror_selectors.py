"""Reads of mirrors for the review queue and the metrics: the queue in review order, one
candidate with both accounts, the active model, and the reappearance figures."""

from collections import defaultdict
from datetime import timedelta
from statistics import median

from django.db.models import DurationField, ExpressionWrapper, F, QuerySet

from .choices import MirrorStatus
from .models import FlaggedAccount, MirrorCandidate, MirrorModel

# The review order: the likeliest mirror first, the newest suggestion breaking ties.
REVIEW_ORDER = ("-score", "-id")
# How far ahead and behind the review page looks for next / previous.
QUEUE_WINDOW = 1000


def mirror_review_queue() -> QuerySet[MirrorCandidate]:
    """Suggestions awaiting a supervisor, in review order."""
    return MirrorCandidate.objects.filter(status=MirrorStatus.SUGGESTED).order_by(*REVIEW_ORDER)


def mirror_review_candidate(*, pk: int) -> MirrorCandidate:
    """One candidate with both accounts, their platforms and groups, and the decider."""
    return (
        MirrorCandidate.objects.select_related(
            "account__platform", "removed_account__platform", "decided_by"
        )
        .prefetch_related("account__groups", "removed_account__groups")
        .get(pk=pk)
    )


def mirror_queue_neighbours(*, candidate: MirrorCandidate) -> dict:
    """The queue's length, the candidate's position in it (None once decided) and the ids of
    the previous and next suggestions (the first one when the candidate left the queue)."""
    ids = list(mirror_review_queue().values_list("pk", flat=True)[:QUEUE_WINDOW])
    if candidate.pk not in ids:
        following = ids[0] if ids else None
        return {"count": len(ids), "position": None, "previous": None, "next": following}
    at = ids.index(candidate.pk)
    return {
        "count": len(ids),
        "position": at + 1,
        "previous": ids[at - 1] if at > 0 else None,
        "next": ids[at + 1] if at + 1 < len(ids) else None,
    }


def mirror_model_active() -> MirrorModel | None:
    """The scoring model in use (None: the default weights, before any refit)."""
    return MirrorModel.objects.filter(active=True).first()


# ------------------------------------------------------------------------------------------
# Metrics: how soon mirrors reappear, how soon they go, and the chains they form. Mirrors are
# few beside accounts, so each figure reads its rows in one query and counts them here, which
# works the same on PostgreSQL and SQLite.
# ------------------------------------------------------------------------------------------

# How many of the longest chains the figures list.
TOP_CHAINS = 5


def _hours(delta: timedelta | None) -> float | None:
    return None if delta is None else round(delta.total_seconds() / 3600, 1)


def _summary(gaps: list[timedelta]) -> dict:
    return {"count": len(gaps), "median_hours": _hours(median(gaps)) if gaps else None}


def _grouped(rows, key_names: tuple[str, str]) -> list[dict]:
    """[{id, name, count, median_hours}] per key, by name, from (id, name, gap) rows."""
    gaps, names = defaultdict(list), {}
    for key, name, gap in rows:
        gaps[key].append(gap)
        names[key] = name
    id_name, label_name = key_names
    return [
        {id_name: key, label_name: names[key], **_summary(gaps[key])}
        for key in sorted(gaps, key=lambda k: (str(names[k]), str(k)))
    ]


def _split(rows: list[tuple], group=None) -> dict:
    """Overall, per platform and per group figures from (account id, platform slug, platform
    name, group id, group name, gap) rows, one row per group of the account (or None)."""
    if group is not None:
        rows = [r for r in rows if r[3] == group.pk]
    per_account = {r[0]: r for r in rows}
    return {
        **_summary([r[5] for r in per_account.values()]),
        "by_platform": _grouped(
            ((r[1], r[2], r[5]) for r in per_account.values()), ("platform", "name")
        ),
        "by_group": _grouped(
            ((r[3], r[4], r[5]) for r in rows if r[3] is not None), ("group", "name")
        ),
    }


def mirror_reappearance(*, group=None) -> dict:
    """Time from the original's removal to the confirmed mirror's first sighting: overall, per
    platform (where the mirror reappeared) and per group (the mirror's groups)."""
    gap = ExpressionWrapper(
        F("first_seen_at") - F("mirror_of__removed_at"), output_field=DurationField()
    )
    rows = list(
        FlaggedAccount.objects.filter(
            mirror_of__isnull=False,
            mirror_of__removed_at__isnull=False,
            first_seen_at__gte=F("mirror_of__removed_at"),
        )
        .order_by()
        .annotate(gap=gap)
        .values_list("pk", "platform__slug", "platform__name", "groups__pk", "groups__name", "gap")
    )
    return _split(rows, group)


def mirror_detection_to_removal(*, group=None) -> dict:
    """Time from a confirmed mirror's detection (its suggestion) to its removal: overall, per
    platform and per group."""
    gap = ExpressionWrapper(
        F("account__removed_at") - F("created_at"), output_field=DurationField()
    )
    rows = list(
        MirrorCandidate.objects.filter(
            status=MirrorStatus.CONFIRMED,
            account__removed_at__isnull=False,
            account__removed_at__gte=F("created_at"),
        )
        .order_by()
        .annotate(gap=gap)
        .values_list(
            "account_id",
            "account__platform__slug",
            "account__platform__name",
            "account__groups__pk",
            "account__groups__name",
            "gap",
        )
    )
    return _split(rows, group)


def _longest_path(root: int, children: dict[int, list[int]]) -> list[int]:
    """The longest line of mirrors from `root` (iterative: chains can be long)."""
    best: dict[int, list[int]] = {}
    stack, seen = [(root, False)], set()
    while stack:
        node, expanded = stack.pop()
        if expanded:
            tails = [best[c] for c in children.get(node, ()) if c in best]
            best[node] = [node, *max(tails, key=len, default=[])]
            continue
        if node in seen:  # a cycle in bad data: cut it
            continue
        seen.add(node)
        stack.append((node, True))
        stack += [(c, False) for c in children.get(node, ()) if c not in seen]
    return best.get(root, [root])


def mirror_chains(*, group=None, top: int = TOP_CHAINS) -> dict:
    """Chains of mirrors (A removed, A2 appears as its mirror, A2 removed, A3 ...): how many,
    the longest, how many of each length (accounts in the chain, the original included) and the
    longest few with their accounts."""
    links = list(
        FlaggedAccount.objects.filter(mirror_of__isnull=False).values_list("pk", "mirror_of_id")
    )
    children: dict[int, list[int]] = defaultdict(list)
    for pk, parent in links:
        children[parent].append(pk)
    is_mirror = {pk for pk, _parent in links}
    chains = [_longest_path(root, children) for root in sorted(set(children) - is_mirror)]
    if group is not None:
        members = set(
            group.accounts.filter(pk__in={a for c in chains for a in c}).values_list(
                "pk", flat=True
            )
        )
        chains = [c for c in chains if members & set(c)]
    chains.sort(key=lambda c: (-len(c), c[0]))
    by_length = defaultdict(int)
    for chain in chains:
        by_length[len(chain)] += 1
    shown = chains[:top]
    handles = dict(
        FlaggedAccount.objects.filter(pk__in={a for c in shown for a in c}).values_list(
            "pk", "handle"
        )
    )
    return {
        "count": len(chains),
        "longest": len(chains[0]) if chains else 0,
        "by_length": {str(n): by_length[n] for n in sorted(by_length)},
        "top": [
            {"length": len(c), "accounts": [{"id": a, "handle": handles.get(a, "")} for a in c]}
            for c in shown
        ],
    }


def mirror_metrics(*, group=None) -> dict:
    """Every mirror metric, for the dashboard, the stats API and (with `group`) a group page."""
    return {
        "reappearance": mirror_reappearance(group=group),
        "detection_to_removal": mirror_detection_to_removal(group=group),
        "chains": mirror_chains(group=group),
    }
