"""The command's reading of a list (open_account_rows): rows flow from the open file into the
bulk create as they are planned, never read whole, with every error and line number as the
whole-file reading gives them."""

import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts import services
from accounts.imports import services as uploads
from accounts.imports.files import open_account_rows, read_account_rows, read_table
from accounts.models import FlaggedAccount
from core.errors import DomainError
from tests.accounts.list_files import GROUPS, csv_bytes, many_rows, xlsx_bytes
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(db):
    return [GroupFactory(name=name) for name in GROUPS]


def csv_of(rows: list[list]) -> bytes:
    return csv_bytes([",".join(str(c) for c in row) for row in rows])


class WatchedFile(io.BytesIO):
    """A file that remembers the furthest byte read since `watch()` (the row reading, after
    the encoding check has read it through once)."""

    furthest = None

    def watch(self):
        self.furthest = 0

    def read(self, size=-1):
        data = super().read(size)
        if self.furthest is not None:
            self.furthest = max(self.furthest, self.tell())
        return data

    def read1(self, size=-1):
        data = super().read1(size)
        if self.furthest is not None:
            self.furthest = max(self.furthest, self.tell())
        return data

    def readinto(self, buffer):
        count = super().readinto(buffer)
        if self.furthest is not None:
            self.furthest = max(self.furthest, self.tell())
        return count


def test_the_csv_is_read_a_little_at_a_time_as_rows_are_asked_for():
    data = csv_of(many_rows(20_000))
    file = WatchedFile(data)
    rows = open_account_rows(file=file, name="list.csv")
    file.watch()
    iterator = iter(rows)
    first = [next(iterator) for _ in range(10)]

    assert first[0].line == 2 and first[0].values["handle"] == "@listacct00000"
    assert file.furthest < len(data) // 20  # a few kilobytes of a 1 MB file
    rest = list(iterator)
    assert len(rest) == 19_990 and rest[-1].line == 20_001
    assert file.furthest == len(data)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_rows_are_planned_while_the_file_is_read_and_a_late_bad_line_still_refuses_it(
    kind, analyst, platforms, groups
):
    """A ragged line 2,502: with the file read lazily, two batches are planned (the progress
    says so) before the line is reached; the error is the one the whole-file reading gives,
    and nothing is written."""
    rows = many_rows(2_600)
    rows[2_501] = [*rows[2_501], "one cell too many"]  # line 2,502
    data = csv_of(rows) if kind == "csv" else xlsx_bytes(rows)
    name = f"list.{kind}"
    with pytest.raises(DomainError) as whole:
        read_table(data=data, name=name)
    progress = []

    with pytest.raises(DomainError) as streamed:
        services.accounts_bulk_create(
            user=analyst,
            rows=open_account_rows(file=io.BytesIO(data), name=name).values(),
            partial=True,
            progress=lambda done, total: progress.append((done, total)),
            keep=False,
        )

    assert streamed.value.code == whole.value.code == "ragged_row"
    assert streamed.value.message == whole.value.message
    assert "Line 2502 " in streamed.value.message
    assert progress == [(1000, None), (2000, None)]
    assert FlaggedAccount.objects.count() == 0


def test_lines_stay_exact_across_blank_lines_and_multi_line_cells(analyst, platforms, groups):
    rows = many_rows(1_500)
    rows[1_200][:2] = rows[1][:2]  # the same account as line 2
    rows[1_400][2] = "No Such Group"  # line 1,401
    lines = [",".join(str(c) for c in row) for row in rows]
    lines[40:40] = ["", ",,,,"]  # blank lines 41 and 42 (not rows)
    lines[900] = lines[900].replace("batch-one; urdu", '"batch-one;\nurdu"')  # two text lines
    data = csv_bytes(lines)
    file = io.BytesIO(data)
    rows_read = open_account_rows(file=file, name="list.csv")

    result = services.accounts_bulk_create(
        user=analyst, rows=rows_read.values(), partial=True, keep=False
    )

    assert result.count == 1_498
    # Row j (from 0) is on line j + 2 before the blank lines, j + 4 after them; the cell
    # written over two text lines is one record, so it shifts nothing.
    expected = [j + 2 if j < 39 else j + 4 for j in range(1_500)]
    assert [rows_read.line(i) for i in range(1_500)] == expected
    assert [row.line for row in read_account_rows(data=data, name="list.csv")] == expected
    by_line = {rows_read.line(e.index): e for e in result.errors}
    assert sorted(by_line) == [1_203, 1_403]  # after the two blank lines
    assert by_line[1_203].code == "duplicate_in_file"
    assert rows_read.line(by_line[1_203].extra["first_index"]) == 2
    assert by_line[1_403].field == "groups"
    assert FlaggedAccount.objects.count() == 1_498
    with pytest.raises(IndexError):
        rows_read.line(1_500)  # not a row of the file


def test_the_command_names_each_bad_line_of_a_big_file_and_writes_nothing(
    tmp_path, platforms, groups
):
    rows = many_rows(2_500)
    rows[5][1] = "myspace"  # line 6
    rows[2_300][:2] = rows[1][:2]  # line 2,301: the account of line 2
    lines = [",".join(str(c) for c in row) for row in rows]
    lines[1_000:1_000] = [""]  # a blank line 1,001
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes(lines))
    err = StringIO()

    with pytest.raises(CommandError, match="2 of 2500 rows have errors"):
        call_command("import_accounts", str(path), stderr=err)

    reported = err.getvalue().splitlines()
    assert [line.split(":")[0] for line in reported] == ["Line 6", "Line 2302"]
    assert reported[1].endswith("(line 2)")
    assert FlaggedAccount.objects.count() == 0


def test_the_command_still_refuses_a_file_without_rows_and_a_missing_file(tmp_path, platforms):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"handle,platform\r\n\r\n")
    with pytest.raises(CommandError, match=r"empty\.csv has a header but no account rows"):
        call_command("import_accounts", str(empty))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_accounts", str(tmp_path / "nowhere.csv"))


def test_a_bad_byte_after_the_first_megabyte_is_the_same_refusal_as_before():
    """The encoding rule holds for the whole file, not a prefix: a UTF-8 list whose invalid byte
    comes late is refused before any row is given."""
    data = csv_of(many_rows(30_000)) + b"@caf\xe9,x\r\n"
    assert len(data) > 2**20
    with pytest.raises(DomainError) as whole:
        read_table(data=data, name="list.csv")

    with pytest.raises(DomainError) as streamed:
        open_account_rows(file=io.BytesIO(data), name="list.csv")

    assert streamed.value.message == whole.value.message
    assert "neither UTF-8, UTF-16 nor Windows-1256" in streamed.value.message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1256"])
def test_each_encoding_read_lazily_gives_the_rows_of_the_whole_file_reading(encoding):
    rows = many_rows(3_000)
    rows[1][0] = "@صدائے_حق"
    data = csv_of(rows).decode().encode(encoding)
    lazy = open_account_rows(file=io.BytesIO(data), name="list.csv")
    read = list(lazy)

    assert lazy.encoding == {"utf-8-sig": "utf-8", "cp1256": "windows-1256"}.get(encoding, encoding)
    assert [row.values["handle"] for row in read] == [row[0] for row in rows[1:]]
    assert [row.line for row in read] == list(range(2, 3_002))
    assert read[-1].values["first_seen_at"] == rows[-1][4]


def test_an_upload_is_imported_from_its_stored_file_with_its_own_mapping(
    analyst, platforms, groups, settings, tmp_path
):
    """The upload's import streams the stored workbook with the mapping chosen on the page
    (a column set to none is not read), and names each refused row by its line."""
    settings.MEDIA_ROOT = tmp_path
    rows = [[*row, "ignored"] for row in many_rows(1_200)]
    rows[0][-1] = "handle"  # a second handle column, set to none below
    rows[1_100][1] = "myspace"  # unknown platform: line 1,101 before the blank rows
    rows[300:300] = [[None] * 6, [None] * 6]  # blank rows 301 and 302
    upload = uploads.account_upload_create(user=analyst, name="list.xlsx", data=xlsx_bytes(rows))
    columns = [*upload.columns[:-1], None]
    upload = uploads.account_upload_map(upload=upload, user=analyst, columns=columns)
    assert upload.summary["bad"] == 1

    done = uploads.account_upload_import(upload=upload, user=analyst, partial=True)

    assert done.state == "done" and done.result["created"] == 1_199
    assert [(e["line"], e["column"]) for e in done.result["errors"]] == [(1_103, "platform")]
    assert not FlaggedAccount.objects.filter(handle="ignored").exists()
    assert FlaggedAccount.objects.filter(flagged_by=analyst).count() == 1_199
