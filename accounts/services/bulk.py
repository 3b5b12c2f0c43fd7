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
from ..mirrors import handle_stem
from ..mirrors.watchlist import suppressed_signals
from ..models import FlaggedAccount, Tag, WatchSignal
from .accounts import account_create
from .bulk_plan import RowPlan, rows_plan
from .bulk_sql import insert_many
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


def _new_account(plan: RowPlan, user, now) -> FlaggedAccount:
    fields, parsed = plan.fields, plan.parsed
    status = fields["status"]
    removed_at = fields.get("removed_at") or (now if status == AccountStatus.REMOVED else None)
    return FlaggedAccount(
        platform=plan.platform,
        handle=parsed.handle,
        handle_normalized=parsed.normalized,
        handle_stem=handle_stem(parsed.normalized),
        platform_account_id=parsed.account_id,
        profile_url=parsed.profile_url,
        display_name=fields["display_name"].strip(),
        bio=fields["bio"],
        status=status,
        first_seen_at=fields["first_seen_at"] or now,
        removed_at=removed_at,
        flagged_by=user,
        notes=fields["notes"],
    )


def _tags_by_name(plans: list[RowPlan]) -> dict[str, Tag]:
    names = {t.strip()[:64] for p in plans for t in p.fields["tags"] if t.strip()}
    if not names:
        return {}
    Tag.objects.bulk_create([Tag(name=n) for n in names], ignore_conflicts=True)
    return {t.name: t for t in Tag.objects.filter(name__in=names)}


def _insert(plans: list[RowPlan], *, user, reason: str) -> list[FlaggedAccount]:
    """Write one batch of planned rows: accounts, their history records (with the copy of the
    group links simple-history keeps), group links, tags; one statement per table."""
    now = timezone.now()
    accounts = insert_many(FlaggedAccount, [_new_account(p, user, now) for p in plans])
    history_model = FlaggedAccount.history.model
    records = insert_many(
        history_model,
        [
            history_model(
                history_date=now,
                history_user=user,
                history_change_reason=(plan.fields["reason"] or reason)[:100],
                history_type="+",
                **{f.attname: getattr(account, f.attname) for f in history_model.tracked_fields},
            )
            for plan, account in zip(plans, accounts, strict=True)
        ],
    )
    groups_through = FlaggedAccount.groups.through
    history_groups = history_model._meta.get_field("historicalflaggedaccount_groups").related_model
    tags = _tags_by_name(plans)
    links, link_records, tag_links = [], [], []
    for plan, account, record in zip(plans, accounts, records, strict=True):
        for group_id in dict.fromkeys(g.pk for g in plan.fields["groups"]):
            links.append(groups_through(flaggedaccount_id=account.pk, proscribedgroup_id=group_id))
            link_records.append(record)
        for name in dict.fromkeys(t.strip()[:64] for t in plan.fields["tags"] if t.strip()):
            tag_links.append(
                FlaggedAccount.tags.through(flaggedaccount_id=account.pk, tag_id=tags[name].pk)
            )
    links = insert_many(groups_through, links)
    # The history record's own copy of each group link, as simple-history keeps it.
    insert_many(
        history_groups,
        [
            history_groups(
                id=link.pk,
                history_id=record.history_id,
                flaggedaccount_id=link.flaggedaccount_id,
                proscribedgroup_id=link.proscribedgroup_id,
            )
            for link, record in zip(links, link_records, strict=True)
        ],
    )
    insert_many(FlaggedAccount.tags.through, tag_links)
    return accounts


def _one_by_one(plan: RowPlan) -> bool:
    return plan.fields["status"] == AccountStatus.RESTORED


def _score(accounts: list[FlaggedAccount], plans: list[RowPlan], suppressed) -> None:
    # No removed account on the watch list: nothing can be a mirror (one query per batch).
    watching = WatchSignal.objects.exists()
    for account, plan in zip(accounts, plans, strict=True):
        if account.status == AccountStatus.REMOVED:
            watchlist_index(account=account)
        if not watching:
            continue
        mirror_candidates_refresh(
            account=account,
            suppressed=suppressed,
            group_ids=[g.pk for g in plan.fields["groups"]],
            new=True,
        )


def _refusal(errors: list[RowError], created: int) -> DomainError:
    bad = len({e.index for e in errors})
    return DomainError(
        _("%(bad)d of %(total)d rows have errors; no account was recorded.")
        % {"bad": bad, "total": bad + created},
        code="invalid_rows",
        rows=[e.as_dict() for e in errors],
    )


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
    `progress(done, total)` is called after each batch written; keep=False returns only the
    count of accounts recorded (a big file's accounts are not held in memory).
    """
    require_permission(user, "accounts.add_flaggedaccount")
    started = time.perf_counter()
    plans = rows_plan(rows, lookups=RowLookups(), cells=cells)
    errors = [e for p in plans for e in p.errors]
    good = [p for p in plans if p.ok]
    if errors and (not partial or not good):
        raise _refusal(errors, len(good))
    timings = {"check": time.perf_counter() - started, "insert": 0.0, "mirrors": 0.0}
    if dry_run:
        return (
            BulkCreateResult(created=[], errors=errors, timings=timings)
            if not good
            else (_dry_run(good, user=user, errors=errors, timings=timings))
        )
    suppressed = suppressed_signals()
    created, count = [], 0
    for start in range(0, len(good), BATCH):
        batch = good[start : start + BATCH]
        bulk = [p for p in batch if not _one_by_one(p)]
        began = time.perf_counter()
        accounts = _insert(bulk, user=user, reason=reason) if bulk else []
        timings["insert"] += time.perf_counter() - began
        began = time.perf_counter()
        _score(accounts, bulk, suppressed)
        by_index = dict(zip((p.index for p in bulk), accounts, strict=True))
        for plan in batch:
            if plan.index not in by_index:
                by_index[plan.index] = account_create(
                    user=user, mirror_suppressed=suppressed, reason=reason, **plan.fields
                )
        count += len(batch)
        if keep:
            created.extend(by_index[p.index] for p in batch)
        timings["mirrors"] += time.perf_counter() - began
        if progress is not None:
            progress(start + len(batch), len(good))
    return BulkCreateResult(created=created, errors=errors, timings=timings, count=count)


def _dry_run(good, *, user, errors, timings) -> BulkCreateResult:
    """The accounts a run would record, built but not saved (nothing is written)."""
    now = timezone.now()
    created = [_new_account(p, user, now) for p in good]
    return BulkCreateResult(created=created, errors=errors, timings=timings, count=len(created))
