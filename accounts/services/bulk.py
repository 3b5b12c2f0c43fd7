"""Creating accounts from rows: one at a time (the API's single create) or many at once (the
API's bulk endpoint, `import_accounts`, uploads), every row checked by the one row validator."""

import dataclasses
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.permissions import require_permission

from ..models import FlaggedAccount
from .accounts import account_create
from .rows import ACCOUNT_ROW_FIELDS, RowError, RowLookups, account_row_clean

# Kept under its old name: the import file's columns are the row's fields.
BULK_ROW_FIELDS = ACCOUNT_ROW_FIELDS


@dataclasses.dataclass(frozen=True)
class BulkCreateResult:
    """The accounts a bulk create recorded and the rows it refused."""

    created: list[FlaggedAccount]
    errors: list[RowError]


@transaction.atomic
def account_create_from_row(*, user, row, cells: bool = False) -> FlaggedAccount:
    """Record one account from a row of the single create's fields (checked by the one row
    validator; InvalidRow names every field at fault)."""
    require_permission(user, "accounts.add_flaggedaccount")
    return account_create(user=user, **account_row_clean(row, cells=cells))


@transaction.atomic
def accounts_bulk_create(
    *, user, rows: Iterable, partial: bool = False, dry_run: bool = False, cells: bool = True
) -> BulkCreateResult:
    """Record many accounts; every row is checked and its errors reported.

    All or nothing by default: one bad row and nothing is written (DomainError "invalid_rows"
    carrying every row's error). With partial=True the valid rows are recorded and the bad ones
    reported; a batch in which no row is valid still raises. dry_run checks everything exactly
    as a real run would (duplicates within the batch included), then writes nothing. With
    cells=False (JSON rows) lists must be arrays; by default a list may be a cell's text.
    """
    require_permission(user, "accounts.add_flaggedaccount")
    lookups = RowLookups()
    created, errors = [], []
    for index, row in enumerate(rows):
        try:
            # A savepoint per row: a refused row leaves no trace, and later rows still run
            # (so a file's second copy of an account is reported as a duplicate of the first).
            with transaction.atomic():
                fields = account_row_clean(row, lookups=lookups, cells=cells)
                created.append(account_create(user=user, **fields))
        except DomainError as exc:
            errors.extend(RowError.of(index, exc))
    if errors and (not partial or not created):
        bad = len({e.index for e in errors})
        raise DomainError(
            _("%(bad)d of %(total)d rows have errors; no account was recorded.")
            % {"bad": bad, "total": bad + len(created)},
            code="invalid_rows",
            rows=[e.as_dict() for e in errors],
        )
    if dry_run:
        transaction.set_rollback(True)
    return BulkCreateResult(created=created, errors=errors)
