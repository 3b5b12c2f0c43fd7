"""Reading an account list (CSV in any of the encodings people save, or XLSX, never trusted)
into rows for the one row validator. Used by `manage.py import_accounts`, the API's file
import and the upload page, so a file means the same thing whichever door it comes through.

    table = read_table(data=..., name=...)      # headings and cells, limits checked
    columns = guess_columns(table.headings)     # or the mapping chosen on the upload page
    rows = table_rows(table, columns)           # FileRows, formula guard undone
"""

import csv
import io
from pathlib import Path

from django.utils.translation import gettext as _

from core.errors import DomainError
from core.spreadsheets import GUARD, unguard

from .columns import (
    COLUMN_SYNONYMS,
    FileRow,
    Table,
    check_columns,
    guess_columns,
    make_table,
    table_rows,
)
from .limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS
from .text import decode_text
from .xlsx import xlsx_table

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx",)


def _csv_table(data: bytes) -> Table:
    text, encoding = decode_text(data)
    # Only the delimiter is sniffed: the quote is always '"' (the sniffer would take the
    # formula guard's leading ' for a quote character).
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    previous = csv.field_size_limit(MAX_CELL_CHARS * 4 + 1)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
        lines = []
        for cells in reader:
            if len(cells) > MAX_COLUMNS and any(c.strip() for c in cells[MAX_COLUMNS:]):
                raise DomainError(
                    _("Line %(line)d has more than %(limit)d columns.")
                    % {"line": reader.line_num, "limit": MAX_COLUMNS},
                    code="too_many_columns",
                )
            lines.append(cells[:MAX_COLUMNS])
            if len(lines) > MAX_ROWS + 1 and any(c.strip() for c in cells):
                raise DomainError(_("At most %d rows per file.") % MAX_ROWS, code="too_many_rows")
    except csv.Error as exc:
        raise DomainError(
            _("The CSV file is malformed: %s.") % exc, code="unreadable_file"
        ) from None
    finally:
        csv.field_size_limit(previous)
    return make_table(lines, encoding=encoding)


def read_table(*, data: bytes, name: str) -> Table:
    """The headings and rows of a CSV or XLSX file (told apart by the name's extension)."""
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(
            _("The file is larger than %d MB.") % (MAX_FILE_BYTES // 2**20), code="too_large"
        )
    suffix = Path(name).suffix.casefold()
    if suffix in CSV_SUFFIXES:
        return _csv_table(data)
    if suffix in XLSX_SUFFIXES:
        return make_table(xlsx_table(data), encoding="xlsx")
    if suffix in (".xlsm", ".xls", ".xlsb"):
        raise DomainError(
            _("“%s” is a macro-enabled or old-format workbook; save it as “.xlsx” or CSV UTF-8.")
            % Path(name).name,
            code="unsupported_file",
        )
    raise DomainError(
        _("“%s” is neither a CSV nor an XLSX file.") % Path(name).name, code="unsupported_file"
    )


def read_account_rows(*, data: bytes, name: str) -> list[FileRow]:
    """The account rows of a file whose headings all name fields (the command's and the API's
    reading: an unknown heading is an error, not silently skipped)."""
    table = read_table(data=data, name=name)
    columns = guess_columns(table.headings)
    check_columns(table.headings, columns, strict=True)
    return table_rows(table, columns)


__all__ = [
    "COLUMN_SYNONYMS",
    "GUARD",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "FileRow",
    "Table",
    "check_columns",
    "guess_columns",
    "make_table",
    "read_account_rows",
    "read_table",
    "table_rows",
    "unguard",
]
