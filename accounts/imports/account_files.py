"""Read a CSV or XLSX list of accounts into rows for accounts_bulk_create.

The first row names the columns (any case, spaces or underscores; a few common synonyms are
understood); every later non-empty row is one account. Used by `manage.py import_accounts` and
by any upload form, so a file means the same thing whichever door it comes through.
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from core.errors import DomainError

from ..services import BULK_ROW_FIELDS

# Spreadsheet headings people write, mapped to the row fields of accounts_bulk_create.
COLUMN_SYNONYMS = {
    "url": "handle",
    "profile_url": "handle",
    "account": "handle",
    "username": "handle",
    "group": "groups",
    "organisation": "groups",
    "organization": "groups",
    "tag": "tags",
    "name": "display_name",
    "first_seen": "first_seen_at",
    "account_id": "platform_account_id",
}
MAX_ROWS = 100_000


@dataclass(frozen=True)
class FileRow:
    """One account row of the file and the line (or spreadsheet row) it came from."""

    line: int
    values: dict


def _column(heading) -> str:
    key = "_".join(str(heading or "").strip().casefold().replace("-", " ").split())
    return COLUMN_SYNONYMS.get(key, key)


def _columns(headings: list) -> list[str]:
    columns = [_column(h) for h in headings]
    while columns and not columns[-1]:
        columns.pop()  # spreadsheets often carry empty trailing columns
    unknown = [h for h, c in zip(headings, columns, strict=False) if c not in BULK_ROW_FIELDS]
    if unknown:
        raise DomainError(
            _("Unknown columns: %(unknown)s. Columns are: %(known)s.")
            % {
                "unknown": ", ".join(f"“{h or '(blank)'}”" for h in unknown),
                "known": ", ".join(sorted(BULK_ROW_FIELDS)),
            },
            code="unknown_columns",
        )
    if "handle" not in columns:
        raise DomainError(_("The file needs a “handle” (or “url”) column."), code="no_handle")
    if len(set(columns)) != len(columns):
        raise DomainError(_("Two columns mean the same field."), code="duplicate_columns")
    return columns


def _cell(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)  # phone numbers and ids typed into a spreadsheet come back as floats
    if isinstance(value, str):
        return value.strip()
    return value


def _rows(lines, first_line: int) -> list[FileRow]:
    lines = iter(lines)
    headings = next(lines, None)
    if headings is None:
        raise DomainError(_("The file is empty."), code="empty_file")
    columns = _columns(list(headings))
    rows = []
    for line, cells in enumerate(lines, start=first_line + 1):
        cells = [_cell(c) for c in cells]
        if all(c in (None, "") for c in cells):
            continue
        if any(c not in (None, "") for c in cells[len(columns) :]):
            raise DomainError(
                _("Line %d has more cells than there are columns.") % line, code="ragged_row"
            )
        rows.append(FileRow(line, dict(zip(columns, cells, strict=False))))
        if len(rows) > MAX_ROWS:
            raise DomainError(_("At most %d rows per file.") % MAX_ROWS, code="too_many_rows")
    return rows


def _csv_rows(data: bytes) -> list[FileRow]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(
            _("The CSV file is not UTF-8 text; save it as “CSV UTF-8” and try again."),
            code="unreadable_file",
        ) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return _rows(csv.reader(io.StringIO(text), dialect), first_line=1)
    except csv.Error as exc:
        raise DomainError(
            _("The CSV file is malformed: %s.") % exc, code="unreadable_file"
        ) from None


def _xlsx_rows(data: bytes) -> list[FileRow]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise DomainError(
            _("The file is not a readable XLSX workbook."), code="unreadable_file"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        return _rows(sheet.iter_rows(values_only=True), first_line=1)
    finally:
        workbook.close()


def read_account_rows(*, data: bytes, name: str) -> list[FileRow]:
    """The account rows of a CSV or XLSX file (told apart by the name's extension)."""
    suffix = Path(name).suffix.casefold()
    if suffix in (".csv", ".txt"):
        return _csv_rows(data)
    if suffix == ".xlsx":
        return _xlsx_rows(data)
    raise DomainError(
        _("“%s” is neither a CSV nor an XLSX file.") % Path(name).name, code="unsupported_file"
    )
