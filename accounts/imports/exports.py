"""Account lists out, as CSV or XLSX, in exactly the columns the importer reads back.

`profile_url` and `flagged_by` are read-only on the way back (the URL must be the same account
as the handle; whoever imports is the flagger); every other column is a field of the row. Cells
a spreadsheet would run as a formula (and cells that already start with the guard mark) get one
leading `'`, which the importer takes off again, so `+92...` numbers come back as they left.
"""

import csv
import io
from collections.abc import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from ..models import FlaggedAccount
from .files import GUARD

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
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", GUARD)


class _Echo:
    def write(self, value):
        return value


def guard(value) -> str:
    """The cell's text, with the formula guard where a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return GUARD + text if text.startswith(_FORMULA_START) else text


def _moment(value) -> str:
    return value.isoformat() if value else ""


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
        _moment(account.first_seen_at),
        _moment(account.removed_at),
        account.flagged_by.username if account.flagged_by else "",
        account.notes,
    ]


def account_row(account: FlaggedAccount) -> list[str]:
    """One account as CSV cells."""
    return [guard(v) for v in account_values(account)]


def table_csv(columns: list[str], rows: Iterable[list]) -> Iterator[str]:
    """CSV lines, header first, with a BOM so spreadsheets read Arabic and Urdu as UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(columns)
    for row in rows:
        yield writer.writerow([guard(v) for v in row])


def table_xlsx(columns: list[str], rows: Iterable[list], *, title: str) -> bytes:
    """An XLSX workbook (write-only, so memory stays flat) whose every cell is a string cell:
    never a formula, whatever the text starts with."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])

    def cells(values):
        out = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=guard(value))
            cell.data_type = "s"  # openpyxl would store "=..." as a formula
            out.append(cell)
        return out

    sheet.append(cells(columns))
    for row in rows:
        sheet.append(cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def accounts_csv(accounts: Iterable[FlaggedAccount]) -> Iterator[str]:
    """The accounts as CSV lines."""
    return table_csv(COLUMNS, (account_values(a) for a in accounts))


def accounts_xlsx(accounts: Iterable[FlaggedAccount]) -> bytes:
    """The accounts as an XLSX workbook."""
    return table_xlsx(COLUMNS, (account_values(a) for a in accounts), title="accounts")
