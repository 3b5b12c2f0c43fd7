"""Account lists out, as CSV or XLSX, in exactly the columns the importer reads back.

`profile_url` and `flagged_by` are read-only on the way back (the URL must be the same account
as the handle; whoever imports is the flagger); every other column is a field of the row. Cells
a spreadsheet would run as a formula (and cells that already start with the guard mark) get one
leading `'`, which the importer takes off again, so `+92...` numbers come back as they left.
"""

from collections.abc import Iterable, Iterator

from core.spreadsheets import guard, moment, table_csv, table_xlsx

from ..models import FlaggedAccount

__all__ = ["COLUMNS", "account_row", "account_values", "accounts_csv", "accounts_xlsx", "guard"]

COLUMNS = [
    "platform",
    "handle",
    "profile_url",
    "platform_account_id",
    "display_name",
    "bio",
    "status",
    "groups",
    "tags",
    "first_seen_at",
    "removed_at",
    "flagged_by",
    "notes",
]


def account_values(account: FlaggedAccount) -> list:
    """One account as its export cells, unguarded (groups and tags joined with "; ")."""
    return [
        account.platform.slug,
        account.handle,
        account.profile_url,
        account.platform_account_id,
        account.display_name,
        account.bio,
        account.status,
        "; ".join(sorted(g.name for g in account.groups.all())),
        "; ".join(sorted(t.name for t in account.tags.all())),
        moment(account.first_seen_at),
        moment(account.removed_at),
        account.flagged_by.username if account.flagged_by else "",
        account.notes,
    ]


def account_row(account: FlaggedAccount) -> list[str]:
    """One account as CSV cells."""
    return [guard(v) for v in account_values(account)]


def accounts_csv(accounts: Iterable[FlaggedAccount]) -> Iterator[str]:
    """The accounts as CSV lines."""
    return table_csv(COLUMNS, (account_values(a) for a in accounts))


def accounts_xlsx(accounts: Iterable[FlaggedAccount]) -> bytes:
    """The accounts as an XLSX workbook."""
    return table_xlsx(COLUMNS, (account_values(a) for a in accounts), title="accounts")
