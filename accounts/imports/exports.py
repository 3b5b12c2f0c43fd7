"""CSV export of accounts, in the columns `import_accounts` reads back."""

import csv
from collections.abc import Iterable, Iterator

from ..models import FlaggedAccount

COLUMNS = [
    "platform",
    "handle",
    "profile_url",
    "platform_account_id",
    "display_name",
    "status",
    "groups",
    "tags",
    "first_seen_at",
    "removed_at",
    "flagged_by",
    "notes",
]
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value):
        return value


def _safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def account_row(account: FlaggedAccount) -> list[str]:
    """One account as CSV cells (groups and tags joined with "; ")."""
    return [
        _safe(v)
        for v in (
            account.platform.slug,
            account.handle,
            account.profile_url,
            account.platform_account_id,
            account.display_name,
            account.status,
            "; ".join(g.name for g in account.groups.all()),
            "; ".join(t.name for t in account.tags.all()),
            account.first_seen_at.isoformat(),
            account.removed_at.isoformat() if account.removed_at else "",
            account.flagged_by.username if account.flagged_by else "",
            account.notes,
        )
    ]


def accounts_csv(accounts: Iterable[FlaggedAccount]) -> Iterator[str]:
    """CSV lines, header first, with a BOM so spreadsheets read Arabic and Urdu as UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(COLUMNS)
    for account in accounts:
        yield writer.writerow(account_row(account))
