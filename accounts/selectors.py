"""Reads of platforms, groups and accounts, with the joins their callers need."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .choices import AccountStatus, MirrorStatus
from .mirrors import handle_stem
from .models import Designation, FlaggedAccount, MirrorCandidate, ProscribedGroup


def account_list(*, filters: dict | None = None) -> QuerySet[FlaggedAccount]:
    """Accounts with platform, flagger and groups loaded, for lists in the UI and the API."""
    from .filtersets import FlaggedAccountFilterSet

    qs = FlaggedAccount.objects.select_related(
        "platform", "flagged_by", "mirror_of"
    ).prefetch_related("groups", "tags")
    if filters:
        qs = FlaggedAccountFilterSet(filters, queryset=qs).qs
    return qs


def account_find_duplicate(
    *, platform, handle_normalized: str = "", platform_account_id: str = "", exclude_pk=None
) -> FlaggedAccount | None:
    """The live record holding the same handle, or any record with the same platform id."""
    match = Q(pk__in=[])
    if handle_normalized:
        match |= Q(handle_normalized=handle_normalized) & ~Q(status=AccountStatus.REMOVED)
    if platform_account_id:
        match |= Q(platform_account_id=platform_account_id)
    qs = FlaggedAccount.objects.filter(match, platform=platform).select_related("platform")
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def account_mirror_suspects(*, platform, handle_normalized: str, limit: int = 10) -> QuerySet:
    """Removed accounts on the platform with the same handle or handle stem."""
    stem = handle_stem(handle_normalized)
    match = Q(handle_normalized=handle_normalized)
    if stem:
        match |= Q(handle_stem=stem)
    return (
        FlaggedAccount.objects.filter(match, platform=platform, status=AccountStatus.REMOVED)
        .select_related("platform")
        .prefetch_related("groups")
        .order_by("-removed_at")[:limit]
    )


def group_list() -> QuerySet[ProscribedGroup]:
    """Groups with their aliases and designations."""
    return ProscribedGroup.objects.prefetch_related(
        "aliases", Prefetch("designations", queryset=Designation.objects.order_by("authority"))
    )


def group_search(*, q: str) -> QuerySet[ProscribedGroup]:
    """Groups whose name or any alias contains q (any script)."""
    from .matching import name_key

    key = name_key(q)
    match = Q(name__icontains=q) | Q(aliases__name__icontains=q)
    if key:
        match |= Q(name_key__contains=key) | Q(aliases__name_key__contains=key)
    return ProscribedGroup.objects.filter(match).distinct().order_by("name")


def mirror_queue() -> QuerySet[MirrorCandidate]:
    """Mirror suggestions awaiting a supervisor, best first."""
    return MirrorCandidate.objects.filter(status=MirrorStatus.SUGGESTED).select_related(
        "account__platform", "removed_account__platform"
    )


def account_detail(*, pk: int) -> FlaggedAccount:
    """One account with everything its page shows: groups and designations, evidence, mirror
    links and suggestions, and the takedown requests it is in."""
    return (
        FlaggedAccount.objects.select_related("platform", "flagged_by", "mirror_of__platform")
        .prefetch_related(
            "tags",
            Prefetch(
                "groups",
                queryset=ProscribedGroup.objects.prefetch_related(
                    Prefetch(
                        "designations",
                        queryset=Designation.objects.order_by("authority", "listed_on"),
                    )
                ),
            ),
            "evidence__captured_by",
            "mirrors__platform",
            Prefetch(
                "mirror_candidates",
                queryset=MirrorCandidate.objects.select_related(
                    "removed_account__platform", "decided_by"
                ),
            ),
            Prefetch(
                "mirror_suspects",
                queryset=MirrorCandidate.objects.select_related("account__platform", "decided_by"),
            ),
            "takedown_items__request__platform",
        )
        .get(pk=pk)
    )


def group_overview() -> QuerySet[ProscribedGroup]:
    """Groups with aliases and designations, and how many accounts (and live ones) each has."""
    return group_list().annotate(
        account_count=Count("accounts", distinct=True),
        live_count=Count(
            "accounts", filter=~Q(accounts__status=AccountStatus.REMOVED), distinct=True
        ),
    )


def group_account_counts(*, group: ProscribedGroup) -> list[dict]:
    """The group's accounts counted by platform and status, one row per platform."""
    rows: dict[str, dict] = {}
    counts = (
        FlaggedAccount.objects.filter(groups=group)
        .values("platform__slug", "platform__name", "status")
        .annotate(n=Count("id"))
        .order_by("platform__name")
    )
    for row in counts:
        entry = rows.setdefault(
            row["platform__slug"],
            {"slug": row["platform__slug"], "name": row["platform__name"], "total": 0},
        )
        entry[row["status"]] = row["n"]
        entry["total"] += row["n"]
    return list(rows.values())
