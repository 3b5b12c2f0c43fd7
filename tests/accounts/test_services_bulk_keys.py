"""The duplicate-in-file keys kept in the database (accounts.services.bulk_keys): a row repeating
one of an earlier batch is still refused with that row's number, in the preview and in the
import, and the keys' table is gone afterwards whether the import commits or is refused."""

import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from accounts import services
from accounts.imports import services as uploads
from accounts.imports.files import open_account_rows
from accounts.models import FlaggedAccount
from accounts.services import bulk, bulk_plan
from accounts.services.bulk_keys import ACCOUNT_ID, HANDLE, FileKeys
from core.errors import DomainError
from tests.accounts.list_files import GROUPS, csv_bytes, many_rows
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(db):
    return [GroupFactory(name=name) for name in GROUPS]


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of three rows, so a file of a dozen rows spans four of them."""
    monkeypatch.setattr(bulk, "BATCH", 3)
    monkeypatch.setattr(bulk_plan, "CHUNK", 3)


def _temp_tables() -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT relname FROM pg_class WHERE relpersistence = 't' "
                "AND relname LIKE 'import_keys%%'"
            )
        else:
            cursor.execute("SELECT name FROM sqlite_temp_master WHERE name LIKE 'import_keys%%'")
        return [name for (name,) in cursor.fetchall()]


def _list_with_duplicates() -> list[list]:
    """12 rows (lines 2 to 13): line 11 repeats line 2's account in another spelling (another
    batch), line 13 repeats line 5's platform account id (two batches on), line 7 repeats
    line 6 (the same batch)."""
    rows = many_rows(12)
    rows[0].append("platform_account_id")
    for row in rows[1:]:
        row.append("")
    rows[10][:2] = [rows[1][0].upper().lstrip("@"), rows[1][1]]  # line 11, as line 2
    rows[4][-1] = rows[12][-1] = "98765"  # line 13: the id of line 5, on the same platform
    rows[12][1] = rows[4][1]
    rows[6][:2] = rows[5][:2]  # line 7, as line 6
    return rows


def _csv(rows) -> bytes:
    return csv_bytes([",".join(str(c) for c in row) for row in rows])


@pytest.fixture
def checked(analyst, platforms, groups, small_batches, settings, tmp_path):
    """The list uploaded and checked (the preview) with its guessed columns."""
    settings.MEDIA_ROOT = tmp_path
    upload = uploads.account_upload_create(
        user=analyst, name="list.csv", data=_csv(_list_with_duplicates())
    )
    return uploads.account_upload_map(upload=upload, user=analyst, columns=upload.columns)


def test_a_duplicate_of_an_earlier_batch_is_named_by_its_row_in_the_preview(checked):
    upload = checked

    duplicates = {
        e["line"]: e["first_line"] for e in upload.preview if e["kind"] == "duplicate_in_file"
    }
    assert duplicates == {11: 2, 13: 5, 7: 6}
    assert upload.summary["create"] == 9
    assert FlaggedAccount.objects.count() == 0  # the preview writes nothing
    assert _temp_tables() == []


def test_a_duplicate_of_an_earlier_batch_is_named_by_its_row_in_the_import(analyst, checked):
    done = uploads.account_upload_import(upload=checked, user=analyst, partial=True)

    assert done.state == "done" and done.result["created"] == 9
    found = {(e["line"], e["first_line"], e["code"]) for e in done.result["errors"]}
    assert found == {(11, 2, "duplicate_in_file"), (13, 5, "duplicate_in_file"),
                     (7, 6, "duplicate_in_file")}  # fmt: skip
    assert FlaggedAccount.objects.count() == 9
    assert _temp_tables() == []


def test_all_or_nothing_refuses_a_duplicate_of_an_earlier_batch_and_writes_nothing(
    analyst, platforms, groups, small_batches
):
    rows = open_account_rows(file=io.BytesIO(_csv(_list_with_duplicates())), name="list.csv")

    with pytest.raises(DomainError) as refused:
        services.accounts_bulk_create(user=analyst, rows=rows.values(), keep=False)

    found = {
        (rows.line(e["index"]), rows.line(e["first_index"])) for e in refused.value.extra["rows"]
    }
    assert found == {(11, 2), (13, 5), (7, 6)}
    assert FlaggedAccount.objects.count() == 0
    assert _temp_tables() == []  # rolled back with the rest


def test_the_command_names_both_lines_of_a_duplicate_across_batches(
    tmp_path, platforms, groups, small_batches
):
    path = tmp_path / "list.csv"
    path.write_bytes(_csv(_list_with_duplicates()))
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_accounts", str(path), "--dry-run", stderr=err)

    assert "Line 11: handle: The same account as an earlier row of this list. (line 2)" in (
        err.getvalue()
    )
    assert "(line 5)" in err.getvalue() and "(line 6)" in err.getvalue()


def test_a_removed_row_leaves_no_handle_key_but_its_account_id(
    analyst, platforms, groups, small_batches
):
    """The live-handle rule across batches: a removed account's handle may come back live later
    in the file, its platform account id may not."""
    rows = many_rows(8)
    rows[0] += ["status", "platform_account_id"]
    for row in rows[1:]:
        row += ["", ""]
    rows[1][-2:] = ["removed", "555"]
    rows[7][:2] = rows[1][:2]  # line 8: the removed handle again, live: recorded
    rows[8][:2] = ["@someone_else", rows[1][1]]
    rows[8][-1] = "555"  # line 9: the removed row's account id: refused
    file_rows = open_account_rows(file=io.BytesIO(_csv(rows)), name="list.csv")

    result = services.accounts_bulk_create(
        user=analyst, rows=file_rows.values(), partial=True, keep=False
    )

    assert result.count == 7
    assert [
        (file_rows.line(e.index), file_rows.line(e.extra["first_index"])) for e in result.errors
    ] == [(9, 2)]


def test_file_keys_give_the_first_index_of_each_key_added():
    with transaction.atomic():
        keys = FileKeys()
        assert keys.first_indexes([(HANDLE, 1, "abc")]) == {}
        odd = 'a "b", {c} \\d NULL'  # what an array literal must quote
        keys.add({(HANDLE, 1, "abc"): 0, (ACCOUNT_ID, 1, "abc"): 4, (ACCOUNT_ID, 2, odd): 7})

        found = keys.first_indexes([(HANDLE, 1, "abc"), (HANDLE, 2, "abc"), (ACCOUNT_ID, 2, odd)])

        assert found == {(HANDLE, 1, "abc"): 0, (ACCOUNT_ID, 2, odd): 7}
        keys.close()
        assert _temp_tables() == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="ON COMMIT DROP is PostgreSQL's")
def test_the_keys_table_goes_with_its_transaction_even_when_planning_stops_half_way():
    with transaction.atomic():
        keys = FileKeys()
        keys.add({(HANDLE, 1, "abc"): 0})
        assert _temp_tables() != []
        # Planning stops here without close() (an error the caller caught, say).
    assert _temp_tables() == []  # the commit dropped it: nothing is left on the connection


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's rule")
def test_file_keys_refuse_to_start_outside_a_transaction_on_postgresql():
    keys = FileKeys()
    atomic = connection.in_atomic_block
    connection.in_atomic_block = False  # as in autocommit (the test runs inside a transaction)
    try:
        with pytest.raises(RuntimeError, match="needs a transaction"):
            keys.add({(HANDLE, 1, "abc"): 0})
    finally:
        connection.in_atomic_block = atomic
    assert keys.table is None and _temp_tables() == []
