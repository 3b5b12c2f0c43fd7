"""Planning a bulk create without writing: every row through the one row validator, its handle
parsed and its platform found from lookups loaded once, then duplicates found in bulk (within
the batch in memory, against the tracker in one query per thousand rows). The bulk create
writes what the plan says; the upload page's preview shows it."""

import dataclasses
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import nullcontext

from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core.errors import DomainError

from ..choices import AccountStatus
from ..handles import ParsedHandle
from ..mirrors import handle_stem
from ..models import FlaggedAccount, Platform
from .accounts import duplicate_error, platform_resolve
from .bulk_keys import ACCOUNT_ID, HANDLE, FileKeys, recorded_ids
from .rows import RowError, RowLookups, account_row_clean

CHUNK = 1000


@dataclasses.dataclass
class RowPlan:
    """What one row will do: be created (with `fields`, resolved), or be refused (`errors`),
    as a duplicate of an earlier row (`first_index`) or of a recorded account (`existing`)."""

    index: int
    fields: dict | None = None
    platform: Platform | None = None
    parsed: ParsedHandle | None = None
    stem: str = ""  # the folded handle key the account stores (handle_stem)
    errors: list[RowError] = dataclasses.field(default_factory=list)
    first_index: int | None = None
    existing: FlaggedAccount | None = None

    @property
    def kind(self) -> str:
        if self.first_index is not None:
            return "duplicate_in_file"
        if self.existing is not None:
            return "in_tracker"
        return "error" if self.errors else "create"

    @property
    def ok(self) -> bool:
        return not self.errors


def _resolve(plan: RowPlan, row, lookups: RowLookups, cells: bool) -> None:
    try:
        fields = account_row_clean(row, lookups=lookups, cells=cells)
        platform, parsed = platform_resolve(
            value=fields["value"], platform=fields["platform"], platforms=lookups.platforms
        )
    except DomainError as exc:
        plan.errors = RowError.of(plan.index, exc)
        return
    account_id = fields["platform_account_id"].strip() or parsed.account_id
    if account_id != parsed.account_id:
        parsed = dataclasses.replace(parsed, account_id=account_id)
    plan.parsed = parsed
    plan.stem = handle_stem(parsed.normalized)
    plan.platform, plan.fields = platform, fields


def _live(plan: RowPlan) -> bool:
    return plan.fields["status"] != AccountStatus.REMOVED


def _keys(plan: RowPlan) -> tuple[tuple, tuple | None]:
    platform_id, parsed = plan.platform.pk, plan.parsed
    id_key = (ACCOUNT_ID, platform_id, parsed.account_id) if parsed.account_id else None
    return (HANDLE, platform_id, parsed.normalized), id_key


def _in_file(plans: list[RowPlan], keys: FileKeys) -> None:
    """A row repeating an earlier row's account: the live handle or the platform account id.
    `keys` holds the keys of the rows planned in earlier chunks (FileKeys, in the database);
    this chunk's own are looked up there once and kept here until the chunk is done."""
    good = [p for p in plans if p.ok]
    wanted = [key for plan in good for key in _keys(plan) if key is not None]
    seen = keys.first_indexes(wanted)
    added = {}
    for plan in good:
        key, id_key = _keys(plan)
        first = seen.get(id_key) if id_key else None
        if first is None:
            first = seen.get(key)
        if first is not None:
            plan.first_index = first
            plan.errors = [
                RowError(
                    plan.index,
                    "handle",
                    "duplicate_in_file",
                    _("The same account as an earlier row of this list."),
                    {"first_index": first},
                )
            ]
            continue
        if _live(plan):
            seen[key] = added[key] = plan.index
        if id_key and id_key not in seen:
            seen[id_key] = added[id_key] = plan.index
    keys.add(added)


def _recorded(by_platform: dict[int, list[RowPlan]]) -> Iterable[FlaggedAccount]:
    """The recorded accounts with one of these rows' live handles or account ids, on the row's
    platform (the selector's rule)."""
    handles = [(pk, p.parsed.normalized) for pk, group in by_platform.items() for p in group]
    ids = [(pk, p.parsed.account_id) for pk, group in by_platform.items() for p in group]
    ids = [(pk, value) for pk, value in ids if value]
    if connection.vendor == "postgresql":
        found = recorded_ids(handles=handles, account_ids=ids, removed=AccountStatus.REMOVED)
        if not found:
            return []
        return FlaggedAccount.objects.filter(pk__in=found).select_related("platform").order_by()
    accounts = []
    for platform_id in by_platform:
        match = Q(handle_normalized__in={h for pk, h in handles if pk == platform_id}) & ~Q(
            status=AccountStatus.REMOVED
        )
        platform_ids = {value for pk, value in ids if pk == platform_id}
        if platform_ids:
            match |= Q(platform_account_id__in=platform_ids)
        # No order: each key matches one account at most (the unique live handle, the unique
        # account id).
        accounts += (
            FlaggedAccount.objects.filter(match, platform_id=platform_id)
            .select_related("platform")
            .order_by()
        )
    return accounts


def _in_tracker(plans: list[RowPlan]) -> None:
    """A row whose account is already recorded (the selector's rule, read in bulk: on
    PostgreSQL one query for the handles and the account ids of a thousand rows, each probing
    the unique indexes; elsewhere one per platform)."""
    for start in range(0, len(plans), CHUNK):
        chunk = [p for p in plans[start : start + CHUNK] if p.ok]
        by_platform = defaultdict(list)
        for plan in chunk:
            by_platform[plan.platform.pk].append(plan)
        by_handle, by_id = {}, {}
        for account in _recorded(by_platform):
            platform_id = account.platform_id
            if account.status != AccountStatus.REMOVED:
                by_handle.setdefault((platform_id, account.handle_normalized), account)
            if account.platform_account_id:
                by_id.setdefault((platform_id, account.platform_account_id), account)
        for plan in chunk:
            existing = by_handle.get((plan.platform.pk, plan.parsed.normalized))
            if existing is None and plan.parsed.account_id:
                existing = by_id.get((plan.platform.pk, plan.parsed.account_id))
            if existing is not None:
                plan.existing = existing
                plan.errors = RowError.of(plan.index, duplicate_error(plan.platform, existing))


class RowPlanner:
    """Plans rows chunk by chunk (a file is never planned whole: the bulk create writes each
    chunk before it reads the next). Across chunks only the keys the duplicate check needs are
    kept, each good row's (platform, handle) and (platform, account id) with its index, and in
    the database (bulk_keys.FileKeys), not in memory. Use it inside a transaction, as a context
    manager: leaving it normally drops the keys' table, a rollback drops it otherwise."""

    def __init__(self, *, lookups: RowLookups | None = None, cells: bool = True):
        self.lookups = lookups or RowLookups()
        self.cells = cells
        self._keys = FileKeys()

    def __enter__(self) -> "RowPlanner":
        return self

    def __exit__(self, kind, error, trace) -> None:
        # After an error inside a PostgreSQL transaction, no statement may run: its rollback
        # (ON COMMIT DROP) takes the table away. Otherwise the table is dropped now.
        if kind is None or not connection.in_atomic_block:
            self._keys.close()

    def plan(self, indexed_rows: Iterable[tuple[int, object]]) -> list[RowPlan]:
        """The plans of (index, row) pairs that follow every row planned before."""
        plans = []
        for index, row in indexed_rows:
            plan = RowPlan(index)
            _resolve(plan, row, self.lookups, self.cells)
            plans.append(plan)
        _in_file(plans, self._keys)
        _in_tracker(plans)
        return plans

    def chunks(self, rows: Iterable, size: int | None = None) -> Iterator[list[RowPlan]]:
        """The rows' plans, `size` (CHUNK) at a time, numbered from 0 in the order given."""
        numbered = enumerate(rows)
        while chunk := list(itertools.islice(numbered, size or CHUNK)):
            yield self.plan(chunk)


def rows_plan(
    rows: Iterable, *, lookups: RowLookups | None = None, cells: bool = True
) -> list[RowPlan]:
    """The plan of every row, in order; reads only (the upload's preview, bounded by its
    own limits). On PostgreSQL its own transaction holds the duplicate keys' temporary table;
    on SQLite a transaction would take the database's only write lock (IMMEDIATE mode) for the
    whole preview, so it runs without one (the table is the connection's)."""
    own = transaction.atomic() if connection.vendor == "postgresql" else nullcontext()
    with own, RowPlanner(lookups=lookups, cells=cells) as planner:
        return [plan for chunk in planner.chunks(rows) for plan in chunk]
