"""Reading the first sheet of an XLSX list without trusting it.

Before openpyxl opens the file, the zip directory is checked: member count and the declared
unpacked size (Python's zip reader never unpacks more than a member declares, and checks its
CRC, so the declared sizes bound the work), and no macros (a `.xlsm`'s `vbaProject.bin`).
Formulas are never evaluated: each cell gives the value the spreadsheet cached when it was last
saved (`data_only=True`); a formula without a cached value is an error naming the cell. Links
to other workbooks are not loaded (`keep_links=False`), so their cells too give only the
cached values.
"""

import io
import zipfile
from collections.abc import Iterator

from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from core.errors import DomainError

from .limits import MAX_COLUMNS, MAX_ROWS, MAX_UNPACKED_BYTES, MAX_ZIP_MEMBERS

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _unreadable():
    return DomainError(_("The file is not a readable XLSX workbook."), code="unreadable_file")


def check_zip(data) -> None:
    """Refuse a workbook whose zip directory promises too much, or that carries macros (`data`:
    the bytes or a seekable binary file, left at its start)."""
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _unreadable() from None
    finally:
        stream.seek(0)
    if len(members) > MAX_ZIP_MEMBERS:
        raise DomainError(
            _("The workbook holds %(count)d parts; at most %(limit)d are read.")
            % {"count": len(members), "limit": MAX_ZIP_MEMBERS},
            code="too_large",
        )
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise DomainError(
            _("The workbook unpacks to %(size)d MB; at most %(limit)d MB are read.")
            % {"size": unpacked // 2**20, "limit": MAX_UNPACKED_BYTES // 2**20},
            code="too_large",
        )
    if any(m.filename.casefold().endswith("vbaproject.bin") for m in members):
        raise DomainError(
            _("The workbook carries macros; save it as a plain “.xlsx” workbook and try again."),
            code="macros",
        )


def _formulas_without_value(archive: zipfile.ZipFile, path: str) -> list[str]:
    """Cells of the sheet holding a formula but no cached value (never calculated or saved by
    a program that does not calculate)."""
    missing = []
    sheet_data = None  # the rows' parent: emptied as the rows are read (a big sheet streams)
    with archive.open(path) as source:
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                if element.tag == f"{_MAIN_NS}sheetData":
                    sheet_data = element
                continue
            if element.tag != f"{_MAIN_NS}c":
                if element.tag == f"{_MAIN_NS}row" and sheet_data is not None:
                    sheet_data.clear()
                continue
            formula = element.find(f"{_MAIN_NS}f")
            value = element.find(f"{_MAIN_NS}v")
            inline = element.find(f"{_MAIN_NS}is")
            if formula is not None and (value is None or value.text is None) and inline is None:
                missing.append(element.get("r") or "?")
                if len(missing) >= 10:
                    break
    return missing


def xlsx_table(data: bytes) -> list[tuple]:
    """The first sheet's rows as tuples of cell values, at most MAX_COLUMNS wide."""
    return list(xlsx_lines(io.BytesIO(data)))


def xlsx_lines(stream) -> Iterator[tuple]:
    """The first sheet's rows of a seekable binary file, read as they are asked for
    (openpyxl's read-only mode streams the sheet): the workbook is checked (zip directory,
    formulas without a value) before the first row is given."""
    check_zip(stream)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True, keep_links=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise _unreadable() from None
    try:
        if not workbook.worksheets:
            raise DomainError(_("The workbook has no sheet."), code="empty_file")
        sheet = workbook.worksheets[0]
        missing = _formulas_without_value(workbook._archive, sheet._worksheet_path)
        if missing:
            raise DomainError(
                _(
                    "Cell %(cells)s holds a formula without a calculated value; formulas are "
                    "never run here. Open the file in a spreadsheet, let it calculate, save "
                    "and try again, or paste the values."
                )
                % {"cells": ", ".join(missing)},
                code="formula",
                cell=missing[0],
            )
    except BaseException:
        workbook.close()
        raise
    return _sheet_rows(workbook, sheet)


def _sheet_rows(workbook, sheet) -> Iterator[tuple]:
    try:
        for number, cells in enumerate(
            sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), start=1
        ):
            if len(cells) > MAX_COLUMNS and cells[MAX_COLUMNS] not in (None, ""):
                raise DomainError(
                    _("Cell %(cell)s is beyond the %(limit)d columns a list may have.")
                    % {"cell": f"{get_column_letter(MAX_COLUMNS + 1)}{number}",
                       "limit": MAX_COLUMNS},
                    code="too_many_columns",
                )  # fmt: skip
            # Empty rows count too: a sheet of a million blank rows is refused, not walked.
            if number > MAX_ROWS + 1:
                raise DomainError(_("At most %d rows per file.") % MAX_ROWS, code="too_many_rows")
            yield cells[:MAX_COLUMNS]
    finally:
        workbook.close()
