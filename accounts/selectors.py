"""Reads of platforms, groups and accounts, with the joins their callers need."""

import re
import threading
from collections.abc import Iterable

from django.db.models import Count, F, Prefetch, Q, QuerySet, Value

from .choices import AccountStatus, MirrorStatus
from .filtersets import FlaggedAccountFilterSet
from .matching import NameIndex
from .mirrors import handle_stem
from .models import (
    Designation,
    DesignationImport,
    Evidence,
    FlaggedAccount,
    GroupAlias,
    GroupMatchReview,
    MirrorCandidate,
    ProscribedGroup,
)


def account_list(*, filters: dict | None = None) -> QuerySet[FlaggedAccount]:
    """Accounts with platform, flagger and groups loaded, for lists in the UI and the API."""
    qs = FlaggedAccount.objects.select_related(
        "platform", "flagged_by", "mirror_of"
    ).prefetch_related("groups", "tags")
    if filters:
        qs = FlaggedAccountFilterSet(filters, queryset=qs).qs
    return qs


def account_rows(*, only: Iterable[str] | None = None) -> QuerySet[FlaggedAccount]:
    """Accounts as flat rows, for the API's lists: the platform's slug and the flagger's name
    as plain columns (`platform_slug`, `flagged_by_name`), no related objects, and only the
    columns asked for. Building related objects for every row and compiling SQL are most of a
    list's cost; a page's groups and tags come from `account_relations` in one query."""
    qs = FlaggedAccount.objects.annotate(
        platform_slug=F("platform__slug"), flagged_by_name=F("flagged_by__username")
    )
    return qs.only(*only) if only else qs


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


def designation_list() -> QuerySet[Designation]:
    """Designations with their group."""
    return Designation.objects.select_related("group")


def evidence_list(*, account: FlaggedAccount) -> QuerySet[Evidence]:
    """An account's evidence, newest first, with who captured it."""
    return account.evidence.select_related("captured_by").order_by("-captured_at", "-id")


def group_list() -> QuerySet[ProscribedGroup]:
    """Groups with their aliases and designations."""
    return ProscribedGroup.objects.prefetch_related(
        "aliases", Prefetch("designations", queryset=Designation.objects.order_by("authority"))
    )


def group_search(*, q: str) -> QuerySet[ProscribedGroup]:
    """Groups whose name or any alias contains q (any script)."""
    return ProscribedGroup.objects.search(q)


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


def designation_import_list() -> QuerySet[DesignationImport]:
    """Import runs, newest first, with who started them."""
    return DesignationImport.objects.select_related("started_by").order_by("-started_at", "-pk")


def group_match_queue() -> QuerySet[GroupMatchReview]:
    """Uncertain cross-list matches awaiting a supervisor, best score first."""
    return (
        GroupMatchReview.objects.filter(status=GroupMatchReview.Status.PENDING)
        .select_related("designation__group", "candidate", "import_run")
        .prefetch_related("designation__group__designations", "candidate__designations")
        .order_by("-score", "pk")
    )


# The name index of every group, kept per process and rebuilt when a group or an alias changed.
_group_index: tuple[tuple, NameIndex] | None = None
_group_index_lock = threading.Lock()


def _group_names_stamp() -> tuple:
    """The latest history row of groups and of aliases: every change through the services, the
    admin or an import (bulk writes included) adds one, in any process. Its date is part of the
    stamp because SQLite may reuse the id of a rolled-back row."""
    return tuple(
        model.objects.order_by("-history_id").values_list("history_id", "history_date").first()
        for model in (ProscribedGroup.history.model, GroupAlias.history.model)
    )


def group_name_index() -> NameIndex:
    """A NameIndex of every group's name and aliases, built once and reused until one changes."""
    global _group_index
    stamp = _group_names_stamp()
    cached = _group_index
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _group_index_lock:
        names: dict[int, list[str]] = {
            pk: [name]
            for pk, name in ProscribedGroup.objects.order_by("name").values_list("pk", "name")
        }
        for group_id, alias in GroupAlias.objects.order_by("pk").values_list("group_id", "name"):
            if group_id in names:  # not a group created since the query above
                names[group_id].append(alias)
        index = NameIndex(names.items())
        _group_index = (stamp, index)
    return index


_CAMEL_CASE = re.compile(r"(?<=[a-z])(?=[A-Z])")


def group_suggestions(
    *, display_name: str = "", bio: str = "", handle: str = "", text: str = "", limit: int = 10
) -> list[ProscribedGroup]:
    """Groups whose name, alias or acronym appears in an account's display name, bio or handle
    (any script, after normalisation); each with `.matched_name`, in the register's order."""
    # A handle's words are glued ("TehreekTaliban"); read it as typed too, which keeps "LeT".
    fields = [display_name, handle, _CAMEL_CASE.sub(" ", handle), bio, text]
    fields = [value for value in fields if value and value.strip()]
    if not fields:
        return []
    index = group_name_index()
    found: dict[int, str] = {}
    for value in fields:
        for group_id, matched in index.find_mentions(value):
            found.setdefault(group_id, matched)
    ids = sorted(found, key=index.order.__getitem__)[:limit]
    groups = ProscribedGroup.objects.in_bulk(ids)
    suggestions = []
    for group_id in ids:
        if group_id in groups:  # a group deleted since the index was built is left out
            group = groups[group_id]
            group.matched_name = found[group_id]
            suggestions.append(group)
    return suggestions


def mirror_candidate_list() -> QuerySet[MirrorCandidate]:
    """Mirror suggestions in any status with both accounts and the decider loaded, best first."""
    return MirrorCandidate.objects.select_related(
        "account__platform", "removed_account__platform", "decided_by"
    ).order_by("-score", "-id")


def account_relations(*, account_ids: list[int]) -> dict[int, tuple[list[dict], list[str]]]:
    """Groups ({id, name}, by name) and tag names of many accounts, in one light query.

    For lists: cheaper than prefetch_related, which builds a related manager per account.
    """
    groups = (
        FlaggedAccount.groups.through.objects.filter(flaggedaccount_id__in=account_ids)
        .annotate(kind=Value("g"), ref=F("proscribedgroup_id"), name=F("proscribedgroup__name"))
        .values_list("kind", "flaggedaccount_id", "ref", "name")
    )
    tags = (
        FlaggedAccount.tags.through.objects.filter(flaggedaccount_id__in=account_ids)
        .annotate(kind=Value("t"), ref=F("tag_id"), name=F("tag__name"))
        .values_list("kind", "flaggedaccount_id", "ref", "name")
    )
    relations: dict[int, tuple[list[dict], list[str]]] = {pk: ([], []) for pk in account_ids}
    for kind, account_id, ref, name in sorted(groups.union(tags, all=True), key=lambda r: r[3]):
        if kind == "g":
            relations[account_id][0].append({"id": ref, "name": name})
        else:
            relations[account_id][1].append(name)
    return relations
