"""From a file's table to account rows: which column is which field (guessed from the
headings, English or Urdu, and changeable on the upload page), the formula guard undone, and
every non-empty row as a FileRow for the one row validator."""

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.errors import DomainError
from core.spreadsheets import unguard

from ...services.rows import ACCOUNT_FILE_FIELDS
from .limits import MAX_CELL_CHARS, MAX_ROWS

# Headings people write, mapped to the row fields (keys are folded: case, spaces, "-" and "_").
COLUMN_SYNONYMS = {
    "url": "handle",
    "link": "handle",
    "account": "handle",
    "account_url": "handle",
    "username": "handle",
    "user_name": "handle",
    "group": "groups",
    "organisation": "groups",
    "organization": "groups",
    "organisations": "groups",
    "organizations": "groups",
    "tag": "tags",
    "name": "display_name",
    "first_seen": "first_seen_at",
    "account_id": "platform_account_id",
    "platform_id": "platform_account_id",
    "removed": "removed_at",
    "note": "notes",
    "description": "bio",
    # Urdu headings (and the labels the Urdu pages show for these fields).
    "ہینڈل": "handle",
    "ہینڈل_یا_پروفائل_url": "handle",
    "لنک": "handle",
    "پلیٹ_فارم": "platform",
    "گروپ": "groups",
    "گروپس": "groups",
    "تنظیم": "groups",
    "تنظیمیں": "groups",
    "منسلک_تنظیمیں": "groups",
    "ٹیگ": "tags",
    "ٹیگز": "tags",
    "نام": "display_name",
    "ظاہری_نام": "display_name",
    "تعارف": "bio",
    "نوٹس": "notes",
    "حیثیت": "status",
    "پہلی_بار_دیکھا_گیا": "first_seen_at",
    "ہٹائے_جانے_کا_وقت": "removed_at",
    "پلیٹ_فارم_اکاؤنٹ_آئی_ڈی": "platform_account_id",
    "پروفائل_url": "profile_url",
    "نشاندہی_کنندہ": "flagged_by",
}


# Arabic yeh and kaf as Urdu writes them (Windows-1256 has no Farsi yeh), for headings only.
_URDU_LETTERS = str.maketrans({"\u064a": "\u06cc", "\u0643": "\u06a9"})


def _key(heading) -> str:
    text = unicodedata.normalize("NFC", str(heading or "")).strip().casefold()
    text = text.translate(_URDU_LETTERS)
    return "_".join(text.replace("-", " ").replace("_", " ").split())


def guess_column(heading) -> str | None:
    """The field a heading names, or None when it names none."""
    key = _key(heading)
    field = COLUMN_SYNONYMS.get(key, key)
    return field if field in ACCOUNT_FILE_FIELDS else None


def guess_columns(headings: list) -> list[str | None]:
    """One field (or None: not read) per heading."""
    return [guess_column(h) for h in headings]


def check_columns(headings: list, columns: list[str | None], *, strict: bool) -> None:
    """Refuse a mapping without a handle, with a field twice, or (strict: the command and the
    API read every column) with a heading that names no field."""
    if strict:
        unknown = [h for h, c in zip(headings, columns, strict=True) if c is None and h]
        if unknown:
            raise DomainError(
                _("Unknown columns: %(unknown)s. Columns are: %(known)s.")
                % {
                    "unknown": ", ".join(f"“{h}”" for h in unknown)[:500],
                    "known": ", ".join(sorted(ACCOUNT_FILE_FIELDS)),
                },
                code="unknown_columns",
            )
    chosen = [c for c in columns if c]
    if "handle" not in chosen and "profile_url" not in chosen:
        raise DomainError(_("The file needs a “handle” (or “url”) column."), code="no_handle")
    if len(set(chosen)) != len(chosen):
        raise DomainError(_("Two columns mean the same field."), code="duplicate_columns")


@dataclass(frozen=True)
class FileRow:
    """One account row of the file and the line (or spreadsheet row) it came from."""

    line: int
    values: dict


@dataclass(frozen=True)
class Table:
    """A file's heading row and its later rows, as read (nothing mapped yet)."""

    headings: list
    rows: list  # [(line, cells)]
    encoding: str = ""


def headings_of(lines: Iterator) -> list[str]:
    """The heading row (the first line), trailing empty headings dropped."""
    headings = next(lines, None)
    if headings is None:
        raise DomainError(_("The file is empty."), code="empty_file")
    headings = ["" if h is None else str(h).strip() for h in headings]
    while headings and not headings[-1]:
        headings.pop()  # spreadsheets often carry empty trailing columns
    return headings


def checked_rows(lines: Iterable, headings: list) -> Iterator[tuple[int, list]]:
    """The lines after the heading row as (line number, cells), blank lines skipped, each
    checked as it is read: no cell beyond the headings, none too long, not too many rows."""
    count = 0
    for line, cells in enumerate(lines, start=2):
        cells = list(cells)
        if all(c in (None, "") or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        if any(c not in (None, "") for c in cells[len(headings) :]):
            raise DomainError(
                _("Line %d has more cells than there are columns.") % line, code="ragged_row"
            )
        for index, cell in enumerate(cells):
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                raise DomainError(
                    _("Line %(line)d, column “%(column)s”: a cell holds at most %(limit)d "
                      "characters.")
                    % {"line": line, "column": headings[index] if index < len(headings) else "?",
                       "limit": MAX_CELL_CHARS},
                    code="cell_too_long",
                )  # fmt: skip
        count += 1
        if count > MAX_ROWS:
            raise DomainError(_("At most %d rows per file.") % MAX_ROWS, code="too_many_rows")
        yield line, cells[: len(headings)]


def make_table(lines, *, encoding: str = "") -> Table:
    """The whole table in memory (the upload page's bounded reading)."""
    lines = iter(lines)
    headings = headings_of(lines)
    return Table(headings=headings, rows=list(checked_rows(lines, headings)), encoding=encoding)


def file_rows(rows: Iterable[tuple[int, list]], columns: list[str | None]) -> Iterator[FileRow]:
    """(line, cells) as FileRows of the mapped fields, formula guard undone, one at a time
    (columns mapped to None are not read; a row with no mapped value is skipped)."""
    picked = [(i, c) for i, c in enumerate(columns) if c]
    for line, cells in rows:
        values = {}
        for index, field in picked:
            value = unguard(cells[index]) if index < len(cells) else None
            if value not in (None, ""):
                values[field] = value
        if values:
            yield FileRow(line, values)


def table_rows(table: Table, columns: list[str | None]) -> list[FileRow]:
    """The table's rows as FileRows of the mapped fields (columns mapped to None are not read)."""
    check_columns(table.headings, columns, strict=False)
    return list(file_rows(table.rows, columns))
