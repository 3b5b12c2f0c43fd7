"""Reading account lists as people have them (accounts/imports/files): every encoding, and
hostile XLSX files refused or neutralised before anything is written."""

import pytest

from accounts.imports import files
from accounts.imports.files import limits as file_limits
from accounts.imports.files import read_account_rows, read_table
from accounts.imports.files import xlsx as xlsx_module
from core.errors import DomainError
from tests.accounts.list_files import csv_bytes, rewrite_zip, with_cell, xlsx_bytes

URDU = ["ہینڈل,پلیٹ فارم,گروپ", "@sada_e_haq,x,لشکر طیبہ"]
# Windows-1256 has no Farsi yeh (ی): Urdu typed on Windows in that code page uses the Arabic ي.
URDU_1256 = [line.replace("ی", "ي") for line in URDU]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (csv_bytes(URDU, "utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + csv_bytes(URDU, "utf-8"), "utf-8"),
        (csv_bytes(URDU, "utf-16"), "utf-16"),
        (csv_bytes(URDU, "utf-16-be").join([b"\xfe\xff", b""]), "utf-16"),
        (csv_bytes(URDU_1256, "cp1256"), "windows-1256"),
    ],
)
def test_each_encoding_people_save_is_read_with_urdu_headings(data, encoding):
    table = read_table(data=data, name="list.csv")

    assert table.encoding == encoding
    assert files.guess_columns(table.headings) == ["handle", "platform", "groups"]
    group = "لشکر طيبہ" if encoding == "windows-1256" else "لشکر طیبہ"
    assert table.rows == [(2, ["@sada_e_haq", "x", group])]


def test_a_latin_file_in_a_windows_code_page_is_refused_with_how_to_save_it():
    with pytest.raises(DomainError, match="save it as “CSV UTF-8”") as exc:
        read_table(data=csv_bytes(["handle,notes", "@a,café déjà"], "cp1252"), name="l.csv")
    assert exc.value.code == "unreadable_file"


def test_utf16_without_its_mark_is_named():
    data = csv_bytes(["handle", "@abc"], "utf-16-le")
    with pytest.raises(DomainError, match="UTF-16 text without its byte-order mark"):
        read_table(data=data, name="l.csv")


def test_the_formula_guard_of_the_export_is_taken_off_exactly_once():
    data = csv_bytes(["handle,platform,notes", "'+923001234567,whatsapp,'''=quoted"])

    [row] = read_account_rows(data=data, name="l.csv")

    assert row.values == {"handle": "+923001234567", "platform": "whatsapp", "notes": "''=quoted"}


def test_xlsx_gives_cached_values_of_formulas_never_running_them():
    data = xlsx_bytes([["handle", "platform"], ["@abc_def", "placeholder"]])
    # A formula cell with a cached value, as a spreadsheet saves it: <f>…</f><v>…</v>. The
    # formula would give "X"; the cached "x" is what is read.
    data = with_cell(data, "B2", b'<c r="B2" t="str"><f>UPPER("x")</f><v>x</v></c>')

    [row] = read_account_rows(data=data, name="l.xlsx")
    assert row.values == {"handle": "@abc_def", "platform": "x"}


def test_a_formula_without_a_cached_value_is_an_error_naming_the_cell():
    data = xlsx_bytes([["handle", "platform"], ["@abc_def", "placeholder"]])
    data = with_cell(data, "B2", b'<c r="B2"><f>LOWER("X")</f></c>')

    with pytest.raises(DomainError, match="Cell B2 holds a formula") as exc:
        read_table(data=data, name="l.xlsx")
    assert exc.value.code == "formula"


def test_a_zip_bomb_is_refused_from_the_zip_directory_before_any_part_is_unpacked(monkeypatch):
    # 300 MB of zeros deflate to a few hundred kB; the directory says how big they unpack.
    bomb = rewrite_zip(
        xlsx_bytes([["handle"], ["@abc"]]),
        lambda name, content: (
            {"xl/media/pad.bin": b"\0" * (300 * 2**20)} if name is None else content
        ),
    )
    assert len(bomb) < 2 * 2**20
    opened = []
    monkeypatch.setattr(xlsx_module, "load_workbook", lambda *a, **k: opened.append(1))

    with pytest.raises(DomainError, match="unpacks to 300 MB") as exc:
        read_table(data=bomb, name="l.xlsx")
    assert exc.value.code == "too_large"
    assert opened == []


def test_a_macro_workbook_is_refused():
    data = rewrite_zip(
        xlsx_bytes([["handle"], ["@abc"]]),
        lambda name, content: {"xl/vbaProject.bin": b"\0macro"} if name is None else content,
    )
    with pytest.raises(DomainError, match="macros"):
        read_table(data=data, name="l.xlsx")
    with pytest.raises(DomainError, match="macro-enabled"):
        read_table(data=data, name="l.xlsm")


def test_an_external_link_is_not_loaded_and_its_cells_give_their_cached_values():
    link = (
        b'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="http://schemas.openxml'
        b'formats.org/spreadsheetml/2006/main"><externalBook xmlns:r="http://schemas.openxml'
        b'formats.org/officeDocument/2006/relationships" r:id="rId1"/></externalLink>'
    )
    data = rewrite_zip(
        xlsx_bytes([["handle", "platform"], ["@abc_def", "placeholder"]]),
        lambda name, content: (
            {"xl/externalLinks/externalLink1.xml": link} if name is None else content
        ),
    )
    data = with_cell(data, "B2", b'<c r="B2" t="str"><f>\'[1]Sheet\'!A1</f><v>x</v></c>')

    [row] = read_account_rows(data=data, name="l.xlsx")
    assert row.values == {"handle": "@abc_def", "platform": "x"}


def test_a_huge_sheet_is_refused_by_its_rows_and_columns(monkeypatch):
    monkeypatch.setattr(xlsx_module, "MAX_ROWS", 50)
    with pytest.raises(DomainError, match="At most 50 rows") as exc:
        read_table(data=xlsx_bytes([["handle"]] + [[f"@a{i}x"] for i in range(60)]), name="l.xlsx")
    assert exc.value.code == "too_many_rows"

    wide = xlsx_bytes([["handle"] + [f"c{i}" for i in range(60)]])
    with pytest.raises(DomainError, match="beyond the 40 columns"):
        read_table(data=wide, name="l.xlsx")


def test_a_sheet_of_a_million_blank_rows_is_refused_not_walked(monkeypatch):
    monkeypatch.setattr(xlsx_module, "MAX_ROWS", 1000)
    data = rewrite_zip(
        xlsx_bytes([["handle"], ["@abc"]]),
        lambda name, content: (
            content.replace(
                b'<dimension ref="A1:A2" />', b'<dimension ref="A1:A1048576" />'
            ).replace(b"</sheetData>", b'<row r="1048576"><c r="A1048576"/></row></sheetData>')
            if name == "xl/worksheets/sheet1.xml"
            else content
        ),
    )
    with pytest.raises(DomainError, match="At most 1000 rows"):
        read_table(data=data, name="l.xlsx")


def test_an_over_long_cell_and_an_over_large_file_are_refused(monkeypatch):
    with pytest.raises(DomainError, match="Line 2, column “notes”") as exc:
        read_table(data=csv_bytes(["handle,notes", "@abc," + "n" * 40_000]), name="l.csv")
    assert exc.value.code == "cell_too_long"

    monkeypatch.setattr(files, "MAX_FILE_BYTES", 100)
    with pytest.raises(DomainError, match="larger than"):
        read_table(data=b"handle\n" + b"@abcdef\n" * 20, name="l.csv")
    assert file_limits.MAX_FILE_BYTES > 100  # the module's own limit is untouched
