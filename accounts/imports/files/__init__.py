"""Reading an account list (CSV in any of the encodings people save, or XLSX, never trusted)
into rows for the one row validator. Used by `manage.py import_accounts`, the API's file
import and the upload page, so a file means the same thing whichever door it comes through.

    table = read_table(data=..., name=...)      # headings and cells, limits checked
    columns = guess_columns(table.headings)     # or the mapping chosen on the upload page
    rows = table_rows(table, columns)           # FileRows, formula guard undone

    rows = open_account_rows(file=f, name=...)  # the command's: read lazily from an open file,
    for row in rows: ...                        # never whole (rows.line(index) for errors)
"""

import bisect
import codecs
import csv
import io
import itertools
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from core.errors import DomainError
from core.spreadsheets import GUARD, unguard

from .columns import (
    COLUMN_SYNONYMS,
    FileRow,
    Table,
    check_columns,
    checked_rows,
    file_rows,
    guess_columns,
    headings_of,
    make_table,
    table_rows,
)
from .limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS
from .text import detect_encoding, text_lines
from .xlsx import xlsx_lines

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx",)


def _csv_lines(stream) -> tuple[Iterator[list], str]:
    """A CSV file's records, decoded and parsed as they are asked for, and its encoding (the
    encoding is checked over the whole file first, a chunk at a time)."""
    codec, encoding = detect_encoding(stream)
    prefix = _text_prefix(stream, codec)
    # Only the delimiter is sniffed: the quote is always '"' (the sniffer would take the
    # formula guard's leading ' for a quote character).
    try:
        delimiter = csv.Sniffer().sniff(prefix, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    return _csv_records(stream, codec, delimiter), encoding


def _text_prefix(stream, codec: str) -> str:
    """The first 4,096 characters of the text (what the delimiter is sniffed from)."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    text = decoder.decode(stream.read(4096 * 4 + 4)).lstrip("\ufeff")[:4096]
    stream.seek(0)
    return text


def _csv_records(stream, codec: str, delimiter: str) -> Iterator[list]:
    reader = csv.reader(text_lines(stream, codec), csv.excel, delimiter=delimiter)
    count = 0
    while True:
        # The cell limit is the csv module's global setting: set only while a record is read.
        previous = csv.field_size_limit(MAX_CELL_CHARS * 4 + 1)
        try:
            cells = next(reader, None)
        except csv.Error as exc:
            raise DomainError(
                _("The CSV file is malformed: %s.") % exc, code="unreadable_file"
            ) from None
        finally:
            csv.field_size_limit(previous)
        if cells is None:
            return
        if len(cells) > MAX_COLUMNS and any(c.strip() for c in cells[MAX_COLUMNS:]):
            raise DomainError(
                _("Line %(line)d has more than %(limit)d columns.")
                % {"line": reader.line_num, "limit": MAX_COLUMNS},
                code="too_many_columns",
            )
        count += 1
        if count > MAX_ROWS + 1 and any(c.strip() for c in cells):
            raise DomainError(_("At most %d rows per file.") % MAX_ROWS, code="too_many_rows")
        yield cells[:MAX_COLUMNS]


def _too_large() -> DomainError:
    return DomainError(
        _("The file is larger than %d MB.") % (MAX_FILE_BYTES // 2**20), code="too_large"
    )


def _size(stream) -> int:
    position = stream.tell()
    size = stream.seek(0, io.SEEK_END)
    stream.seek(position)
    return size


def open_lines(*, file, name: str) -> tuple[Iterator, str]:
    """The lines (heading row first) of a CSV or XLSX file (told apart by the name's extension),
    read lazily from a seekable binary file, and its encoding ("xlsx" for a workbook). File-wide
    refusals (size, encoding, an unreadable or hostile workbook) are raised here; a line's own
    (malformed, too wide, too many rows) when it is reached."""
    if _size(file) > MAX_FILE_BYTES:
        raise _too_large()
    suffix = Path(name).suffix.casefold()
    if suffix in CSV_SUFFIXES:
        return _csv_lines(file)
    if suffix in XLSX_SUFFIXES:
        return xlsx_lines(file), "xlsx"
    if suffix in (".xlsm", ".xls", ".xlsb"):
        raise DomainError(
            _("“%s” is a macro-enabled or old-format workbook; save it as “.xlsx” or CSV UTF-8.")
            % Path(name).name,
            code="unsupported_file",
        )
    raise DomainError(
        _("“%s” is neither a CSV nor an XLSX file.") % Path(name).name, code="unsupported_file"
    )


def read_table(*, data: bytes, name: str) -> Table:
    """The headings and rows of a CSV or XLSX file, whole in memory (the upload page's bounded
    reading; its rows are checked as open_account_rows checks them)."""
    if len(data) > MAX_FILE_BYTES:
        raise _too_large()
    lines, encoding = open_lines(file=io.BytesIO(data), name=name)
    return make_table(lines, encoding=encoding)


def read_account_rows(*, data: bytes, name: str) -> list[FileRow]:
    """The account rows of a file whose headings all name fields (the command's and the API's
    reading: an unknown heading is an error, not silently skipped), all in a list."""
    return list(open_account_rows(file=io.BytesIO(data), name=name))


class AccountRows:
    """The account rows of a file, read from it as they are asked for (iterate once): a big
    list flows into the bulk create without being held whole. Keeps only what maps a row's
    index (its place among the rows given, from 0) to its line, for the errors."""

    def __init__(self, rows: Iterator[FileRow], headings: list, encoding: str):
        self.headings, self.encoding = headings, encoding
        self._rows = rows
        self._first = next(rows, None)  # read now: a file without rows is told at once
        self._starts: list[int] = []  # indexes where line - index changes (blank lines...)
        self._offsets: list[int] = []
        self.count = 0  # rows given so far

    def __bool__(self) -> bool:
        return self._first is not None or self.count > 0

    def __iter__(self) -> Iterator[FileRow]:
        if self._first is None:
            return
        first, self._first = self._first, None
        for row in itertools.chain((first,), self._rows):
            offset = row.line - self.count
            if not self._offsets or self._offsets[-1] != offset:
                self._starts.append(self.count)
                self._offsets.append(offset)
            self.count += 1
            yield row

    def values(self) -> Iterator[dict]:
        """The rows' values, as the bulk create takes them."""
        return (row.values for row in self)

    def line(self, index: int) -> int:
        """The line of the row given at `index` (a row already read)."""
        if not 0 <= index < self.count:
            raise IndexError(index)
        return index + self._offsets[bisect.bisect_right(self._starts, index) - 1]


def open_account_rows(*, file, name: str, columns: list | None = None) -> AccountRows:
    """The account rows of a file, read lazily from a seekable binary file that stays open
    while they are read. Without `columns`, every heading must name a field (the command's
    reading: an unknown heading is an error, not silently skipped); with them, the mapping
    chosen on the upload page (one field or None per heading)."""
    lines, encoding = open_lines(file=file, name=name)
    lines = iter(lines)
    headings = headings_of(lines)
    if columns is None:
        columns = guess_columns(headings)
        check_columns(headings, columns, strict=True)
    else:
        check_columns(headings, columns, strict=False)
    return AccountRows(file_rows(checked_rows(lines, headings), columns), headings, encoding)


__all__ = [
    "COLUMN_SYNONYMS",
    "GUARD",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "AccountRows",
    "FileRow",
    "Table",
    "check_columns",
    "guess_columns",
    "make_table",
    "open_account_rows",
    "open_lines",
    "read_account_rows",
    "read_table",
    "table_rows",
    "unguard",
]
