"""Creating accounts from rows: one at a time (the API's single create) or many at once (the
API's bulk endpoint, `import_accounts`, uploads), every row checked by the one row validator.

A bulk create plans every row first (bulk_plan: validator, handle parsing, duplicates found in
bulk), then writes in batches: the accounts, their history records and group links one
statement per table (bulk_sql), tags looked up once, and each new account scored against the
watch list (the mirror engine, given the groups it already knows). A row recorded as
`restored` (which alerts supervisors through the history signal) goes through account_create.
"""

import dataclasses
import time
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.permissions import require_permission

from ..choices import AccountStatus
from ..mirrors.watchlist import suppressed_signals
from ..models import FlaggedAccount, Tag, WatchSignal
from ..signals import accounts_bulk_recorded
from .accounts import account_create
from .bulk_plan import RowPlan, RowPlanner
from .bulk_sql import copy_rows, instances, next_ids
from .mirrors import mirror_candidates_refresh, watchlist_index
from .rows import ACCOUNT_ROW_FIELDS, RowError, RowLookups, account_row_clean

# Kept under its old name: the import file's columns are the row's fields.
BULK_ROW_FIELDS = ACCOUNT_ROW_FIELDS
BATCH = 1000


@dataclasses.dataclass(frozen=True)
class BulkCreateResult:
    """The accounts a bulk create recorded, the rows it refused, and the seconds each phase
    took (check, insert, mirrors), for the benchmark and the job's log."""

    created: list[FlaggedAccount]
    errors: list[RowError]
    timings: dict = dataclasses.field(default_factory=dict)
    count: int = 0  # accounts recorded (also when `created` was not kept)


@transaction.atomic
def account_create_from_row(*, user, row, cells: bool = False, avatar=None) -> FlaggedAccount:
    """Record one account from a row of the single create's fields (checked by the one row
    validator; InvalidRow names every field at fault). `avatar` is an uploaded picture, checked
    and hashed by account_create (a DomainError on field `avatar`, nothing saved)."""
    require_permission(user, "accounts.add_flaggedaccount")
    return account_create(user=user, avatar=avatar, **account_row_clean(row, cells=cells))


# The account's columns a row sets (every other one is what a new account gets).
def _account_columns(plans: list[RowPlan], now) -> dict[str, list]:
    columns = {
        name: []
        for name in (
            "platform_id", "handle", "handle_normalized", "handle_stem", "platform_account_id",
            "profile_url", "display_name", "bio", "status", "first_seen_at", "removed_at",
            "notes",
        )
    }  # fmt: skip
    for plan in plans:
        fields, parsed = plan.fields, plan.parsed
        status = fields["status"]
        values = (
            plan.platform.pk,
            parsed.handle,
            parsed.normalized,
            plan.stem,
            parsed.account_id,
            parsed.profile_url,
            fields["display_name"].strip(),
            fields["bio"],
            status,
            fields["first_seen_at"] or now,
            fields.get("removed_at") or (now if status == AccountStatus.REMOVED else None),
            fields["notes"],
        )
        for column, value in zip(columns.values(), values, strict=True):
            column.append(value)
    return columns


def _new_account(plan: RowPlan, user, now) -> FlaggedAccount:
    columns = _account_columns([plan], now)
    return FlaggedAccount(flagged_by=user, **{name: values[0] for name, values in columns.items()})


def _tags_by_name(plans: list[RowPlan]) -> dict[str, int]:
    names = {t.strip()[:64] for p in plans for t in p.fields["tags"] if t.strip()}
    if not names:
        return {}
    Tag.objects.bulk_create([Tag(name=n) for n in names], ignore_conflicts=True)
    return dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))


@dataclasses.dataclass
class _Written:
    """What one batch wrote: the account columns, the ids, the values shared by every row."""

    columns: dict
    fixed: dict

    def accounts(self, indexes) -> list[FlaggedAccount]:
        return instances(FlaggedAccount, self.columns, self.fixed, indexes)


def _insert(plans: list[RowPlan], *, user, reason: str) -> _Written:
    """Write one batch of planned rows, one COPY per table, from column arrays: accounts, their
    history records (with the copy of the group links simple-history keeps), group links, tags.
    No instance is built and no per-row signal fires (the batch's are sent by the caller)."""
    now, user_id = timezone.now(), getattr(user, "pk", None)  # None: the system
    count = len(plans)
    columns = _account_columns(plans, now)
    columns["id"] = ids = next_ids(FlaggedAccount, count)
    fixed = copy_rows(
        FlaggedAccount, columns, {"flagged_by_id": user_id, "created_at": now, "updated_at": now}
    )
    history_model = FlaggedAccount.history.model
    tracked = [f.attname for f in history_model.tracked_fields]
    record_ids = next_ids(history_model, count)
    copy_rows(
        history_model,
        {
            **{name: columns[name] for name in tracked if name in columns},
            "history_id": record_ids,
            "history_change_reason": [(p.fields["reason"] or reason)[:100] for p in plans],
        },
        {
            **{name: fixed[name] for name in tracked if name not in columns},
            "history_date": now,
            "history_user_id": user_id,
            "history_type": "+",
        },
    )
    tags = _tags_by_name(plans)
    links = {"flaggedaccount_id": [], "proscribedgroup_id": []}
    link_records, tag_links = [], {"flaggedaccount_id": [], "tag_id": []}
    for plan, account_id, record_id in zip(plans, ids, record_ids, strict=True):
        for group_id in dict.fromkeys(g.pk for g in plan.fields["groups"]):
            links["flaggedaccount_id"].append(account_id)
            links["proscribedgroup_id"].append(group_id)
            link_records.append(record_id)
        for name in dict.fromkeys(t.strip()[:64] for t in plan.fields["tags"] if t.strip()):
            tag_links["flaggedaccount_id"].append(account_id)
            tag_links["tag_id"].append(tags[name])
    groups_through = FlaggedAccount.groups.through
    if link_records:
        links["id"] = next_ids(groups_through, len(link_records))
        copy_rows(groups_through, links)
        # The history record's own copy of each group link, as simple-history keeps it.
        history_groups = history_model._meta.get_field(
            "historicalflaggedaccount_groups"
        ).related_model
        copy_rows(history_groups, {**links, "history_id": link_records})
    if tag_links["tag_id"]:
        copy_rows(FlaggedAccount.tags.through, tag_links)
    return _Written(columns=columns, fixed=fixed)


def _one_by_one(plan: RowPlan) -> bool:
    return plan.fields["status"] == AccountStatus.RESTORED


def _score(written: _Written, plans: list[RowPlan], suppressed, accounts=None) -> None:
    """The watch list entries of the removed accounts, each account scored against the watch
    list, and the batch's removed accounts announced (for the prevention feed), all in the
    caller's transaction. Instances are built only for the accounts that need one."""
    # No removed account on the watch list: nothing can be a mirror (one query per batch).
    watching = WatchSignal.objects.exists()
    statuses = written.columns["status"]
    wanted = (
        range(len(plans))
        if watching
        else [i for i, status in enumerate(statuses) if status == AccountStatus.REMOVED]
    )
    if not wanted:
        return
    picked = [accounts[i] for i in wanted] if accounts is not None else written.accounts(wanted)
    removed = []
    for i, account in zip(wanted, picked, strict=True):
        if account.status == AccountStatus.REMOVED:
            watchlist_index(account=account)
            removed.append(account.pk)
        if watching:
            mirror_candidates_refresh(
                account=account,
                suppressed=suppressed,
                group_ids=[g.pk for g in plans[i].fields["groups"]],
                new=True,
            )
    if removed:
        accounts_bulk_recorded.send(sender=FlaggedAccount, account_ids=removed)


def _refusal(errors: list[RowError], created: int) -> DomainError:
    bad = len({e.index for e in errors})
    return DomainError(
        _("%(bad)d of %(total)d rows have errors; no account was recorded.")
        % {"bad": bad, "total": bad + created},
        code="invalid_rows",
        rows=[e.as_dict() for e in errors],
    )


def _write(batch: list[RowPlan], *, user, reason, suppressed, keep, timings) -> list:
    """Write one batch of good rows (bulk, and one by one for a `restored` row) and score it;
    the accounts, in the batch's order, when `keep`."""
    bulk = [p for p in batch if not _one_by_one(p)]
    began = time.perf_counter()
    written = _insert(bulk, user=user, reason=reason) if bulk else None
    accounts = written.accounts(range(len(bulk))) if keep and written else None
    timings["insert"] += time.perf_counter() - began
    began = time.perf_counter()
    if written:
        _score(written, bulk, suppressed, accounts)
    by_index = dict(zip((p.index for p in bulk), accounts or (), strict=False))
    for plan in batch:
        if _one_by_one(plan):
            by_index[plan.index] = account_create(
                user=user, mirror_suppressed=suppressed, reason=reason, **plan.fields
            )
    timings["mirrors"] += time.perf_counter() - began
    return [by_index[p.index] for p in batch] if keep else []


@transaction.atomic
def accounts_bulk_create(
    *,
    user,
    rows: Iterable,
    partial: bool = False,
    dry_run: bool = False,
    cells: bool = True,
    reason: str = "",
    progress=None,
    keep: bool = True,
) -> BulkCreateResult:
    """Record many accounts; every row is checked and its errors reported.

    All or nothing by default: one bad row and nothing is written (DomainError "invalid_rows"
    carrying every row's error). With partial=True the valid rows are recorded and the bad ones
    reported; a batch in which no row is valid still raises. dry_run checks everything exactly
    as a real run would (duplicates within the batch included), then writes nothing. With
    cells=False (JSON rows) lists must be arrays; by default a list may be a cell's text.
    `progress(done, total)` is called after each batch with the rows checked so far (total:
    the number of rows when `rows` has a length, else None); keep=False returns only the count
    of accounts recorded (a big file's accounts are not held in memory).

    Streamed: rows are planned and written a batch at a time, so memory holds one batch's
    plans, not the file's. All or nothing stays one transaction: batches written before a bad
    row is met are rolled back when the call raises (what they would announce waits for the
    commit), and after the first bad row the rest is only checked, so every error is reported.
    """
    require_permission(user, "accounts.add_flaggedaccount")
    total = len(rows) if hasattr(rows, "__len__") else None
    timings = {"check": 0.0, "insert": 0.0, "mirrors": 0.0}
    suppressed = None if dry_run else suppressed_signals()
    errors, created, count, done = [], [], 0, 0
    now = timezone.now()
    with RowPlanner(lookups=RowLookups(), cells=cells) as planner:
        chunks = planner.chunks(rows, size=BATCH)
        while True:
            began = time.perf_counter()
            batch = next(chunks, None)
            timings["check"] += time.perf_counter() - began
            if batch is None:
                break
            done += len(batch)
            errors.extend(e for p in batch for e in p.errors)
            good = [p for p in batch if p.ok]
            count += len(good)
            if errors and not partial:
                pass  # refused in the end: only check the rest
            elif dry_run:
                if keep:
                    created.extend(_new_account(p, user, now) for p in good)
            elif good:
                created.extend(
                    _write(
                        good, user=user, reason=reason, suppressed=suppressed, keep=keep,
                        timings=timings,
                    )
                )  # fmt: skip
            if progress is not None:
                progress(done, total)
    if errors and (not partial or not count):
        raise _refusal(errors, count)
    return BulkCreateResult(created=created, errors=errors, timings=timings, count=count)
