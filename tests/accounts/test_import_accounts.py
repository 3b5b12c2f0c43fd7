"""manage.py import_accounts FILE [--dry-run]: CSV or XLSX, per-line errors, nothing written
on failure or dry run."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import FlaggedAccount
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent.parent / "fixtures" / "accounts"


@pytest.fixture
def groups(db):
    let = GroupFactory(name="Lashkar-e-Tayyiba")
    iskp = GroupFactory(name="Islamic State Khorasan Province")
    iskp.aliases.create(name="ISKP", name_key="iskp")
    return {"let": let, "iskp": iskp}


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_accounts", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_a_good_csv_records_every_row(groups, platforms, analyst):
    out, _err = run(str(FIXTURES / "good.csv"), "--user", "analyst")

    assert "Recorded 3 accounts from good.csv." in out
    accounts = {a.handle: a for a in FlaggedAccount.objects.all()}
    assert set(accounts) == {"sada_e_haq", "voice_khorasan", "+923001234567"}
    assert list(accounts["voice_khorasan"].groups.all()) == [groups["iskp"]]
    assert accounts["sada_e_haq"].flagged_by == analyst
    assert timezone.localdate(accounts["sada_e_haq"].first_seen_at).isoformat() == "2026-01-15"


def test_a_broken_csv_writes_nothing_and_names_each_bad_line(groups, platforms):
    with pytest.raises(CommandError, match="4 of 5 rows have errors"):
        run(str(FIXTURES / "broken.csv"))

    assert FlaggedAccount.objects.count() == 0


def test_broken_csv_errors_give_line_and_field(groups, platforms, capsys):
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_accounts", str(FIXTURES / "broken.csv"), stderr=err)

    lines = err.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == ["Line 3", "Line 4", "Line 5", "Line 6"]
    assert lines[1].startswith("Line 4: groups: Unknown group “No Such Group”")
    assert lines[2] == ("Line 5: handle: The same account as an earlier row of this list. (line 2)")


def test_dry_run_checks_and_writes_nothing(groups, platforms):
    out, _err = run(str(FIXTURES / "good.csv"), "--dry-run")

    assert "Dry run: all 3 rows are valid; nothing was written" in out
    assert FlaggedAccount.objects.count() == 0


def test_dry_run_of_a_broken_file_reports_the_errors(groups, platforms):
    with pytest.raises(CommandError):
        run(str(FIXTURES / "broken.csv"), "--dry-run")
    assert FlaggedAccount.objects.count() == 0


def test_unknown_column_is_refused_before_any_row(platforms):
    with pytest.raises(CommandError, match="Unknown columns: “platfrom”"):
        run(str(FIXTURES / "bad_header.csv"))


def test_import_an_xlsx_workbook(groups, platforms, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Handle", "Platform", "Group", "First seen"])
    sheet.append(["https://t.me/sada_e_haq", None, "Lashkar-e-Tayyiba", "2026-01-15"])
    sheet.append([923001234567, "whatsapp", None, None])
    path = tmp_path / "accounts.xlsx"
    book.save(path)

    out, _err = run(str(path))

    assert "Recorded 2 accounts" in out
    assert set(FlaggedAccount.objects.values_list("handle", flat=True)) == {
        "sada_e_haq",
        "+923001234567",
    }


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.xlsx", b"not a zip", "not a readable XLSX"),
        ("list.csv", "handle\n@café\n".encode("cp1252"), "neither UTF-8"),
        ("list.pdf", b"%PDF", "neither a CSV nor an XLSX"),
        ("list.csv", b"", "empty"),
        ("list.csv", b"handle,platform\n", "no account rows"),
        ("list.csv", b"handle\n@a,x\n", "more cells than there are columns"),
    ],
)
def test_unreadable_files_get_a_clear_error(name, content, message, tmp_path, platforms):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        run(str(path))


def test_missing_file_and_unknown_user_are_errors(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "nope.csv"))
    with pytest.raises(CommandError, match="No active user"):
        run(str(FIXTURES / "good.csv"), "--user", "ghost")
