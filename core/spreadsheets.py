"""Tables out as CSV or XLSX, with spreadsheet formula injection neutralised: the one rule for
every export (accounts, takedown requests) and for the importer that undoes it.

A cell a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab, CR or LF)
gets one leading `'`, and so does a cell that already starts with `'`; `unguard` takes off
exactly one, so `+923001234567` leaves as `'+923001234567` and comes back as it left.
"""

import csv
import io
from collections.abc import Iterable, Iterator

GUARD = "'"
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", GUARD)

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Echo:
    def write(self, value):
        return value


def moment(value) -> str:
    """A date or time as its export cell: ISO 8601 (UTC as stored), or empty."""
    return value.isoformat() if value else ""


def guard(value) -> str:
    """The cell's text, with the formula guard where a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return GUARD + text if text.startswith(FORMULA_START) else text


def unguard(value):
    """A cell's value with the export's formula guard taken off (exactly one leading mark)."""
    if isinstance(value, str):
        value = value.strip()
        return value[1:] if value.startswith(GUARD) else value
    if isinstance(value, float) and value.is_integer():
        return int(value)  # phone numbers and ids typed into a spreadsheet come back as floats
    return value


def table_csv(columns: list[str], rows: Iterable[list]) -> Iterator[str]:
    """CSV lines, header first, with a BOM so spreadsheets read Arabic and Urdu as UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([guard(c) for c in columns])
    for row in rows:
        yield writer.writerow([guard(v) for v in row])


def table_xlsx(columns: list[str], rows: Iterable[list], *, title: str) -> bytes:
    """An XLSX workbook (write-only, so memory stays flat) whose every cell is a string cell:
    never a formula, whatever the text starts with."""
    # Imported here: openpyxl takes seconds to import, and the importer only needs the guard.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

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
