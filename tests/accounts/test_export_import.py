"""Exports that import back (accounts/imports/exports.py): a filtered account list as CSV and as
XLSX, read by the importer into an empty tracker, gives the same records."""

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from accounts import services
from accounts.imports.exports import COLUMNS
from accounts.imports.files import read_account_rows
from accounts.models import FlaggedAccount
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db


def record(account: FlaggedAccount) -> tuple:
    """What makes an account the same record (its id, creation time and flagger aside)."""
    return (
        account.platform.slug,
        account.handle,
        account.handle_normalized,
        account.platform_account_id,
        account.profile_url,
        account.display_name,
        account.bio,
        account.status,
        tuple(sorted(g.name for g in account.groups.all())),
        tuple(sorted(t.name for t in account.tags.all())),
        account.first_seen_at,
        account.removed_at,
        account.notes,
    )


@pytest.fixture
def tracker(analyst, platforms):
    let = GroupFactory(name="Lashkar-e-Tayyiba")
    GroupFactory(name="Islamic State Khorasan Province")
    seen = datetime(2026, 1, 15, 9, 30, 15, 123456, tzinfo=UTC)
    rows = [
        {"handle": "+923001234567", "platform": "whatsapp", "display_name": "=HYPERLINK(\"x\")",
         "groups": [let.pk], "tags": ["urdu", "recruitment"], "first_seen_at": seen},
        {"handle": "https://t.me/sada_e_haq", "display_name": "صدائے حق", "bio": "-1 +2 @all",
         "notes": "line one\nline two, with \"quotes\"", "platform_account_id": "1234567"},
        {"handle": "@voice_khorasan", "platform": "x", "groups": ["Islamic State Khorasan Province",
         "Lashkar-e-Tayyiba"], "status": "removed", "notes": "'already quoted"},
        {"handle": "@voice_khorasan", "platform": "x", "status": "active",
         "display_name": "\tTabbed"},
        {"handle": "https://www.facebook.com/some.page", "status": "reported"},
    ]  # fmt: skip
    result = services.accounts_bulk_create(user=analyst, rows=rows, cells=False)
    restored = result.created[2]
    restored.removed_at = datetime(2026, 2, 1, tzinfo=UTC)
    restored.save()
    return {a.pk: record(a) for a in FlaggedAccount.objects.all()}


def _empty_tracker():
    FlaggedAccount.objects.all().delete()
    assert not FlaggedAccount.objects.exists()


def _import(data: bytes, name: str, user):
    rows = read_account_rows(data=data, name=name)
    services.accounts_bulk_create(user=user, rows=[r.values for r in rows])
    return sorted(record(a) for a in FlaggedAccount.objects.all())


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_then_import_into_an_empty_tracker_gives_the_same_records(
    kind, tracker, client, analyst
):
    client.force_login(analyst)
    response = client.get(f"/accounts/export.{kind}")
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if kind == "csv" else response.content
    _empty_tracker()

    assert _import(data, f"accounts.{kind}", analyst) == sorted(tracker.values())


def test_a_filtered_export_holds_only_the_matching_accounts_and_imports_back(
    tracker, client, analyst
):
    client.force_login(analyst)
    response = client.get("/accounts/export.xlsx", {"platform": "x"})
    _empty_tracker()

    got = _import(response.content, "accounts.xlsx", analyst)
    assert got == sorted(r for r in tracker.values() if r[0] == "x")
    assert len(got) == 2


def test_the_xlsx_cells_are_strings_never_formulas_and_the_csv_guards_them(
    tracker, client, analyst
):
    client.force_login(analyst)
    book = load_workbook(io.BytesIO(client.get("/accounts/export.xlsx").content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == COLUMNS
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value]
    assert all(c.data_type == "s" for c in cells)
    assert '\'=HYPERLINK("x")' in [c.value for c in cells]

    text = b"".join(client.get("/accounts/export.csv").streaming_content).decode("utf-8-sig")
    assert "'+923001234567" in text
    assert "''already quoted" in text


def test_export_needs_the_view_permission(tracker, client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get("/accounts/export.xlsx").status_code == 403
