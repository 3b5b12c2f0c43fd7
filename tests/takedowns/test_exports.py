"""Exports of a filtered takedown request list (takedowns/exports.py) as CSV and XLSX, from the
requests page and the API: content, filters, permission, the formula guard and the audit row."""

import csv
import io

import pytest
from openpyxl import load_workbook

from takedowns.choices import ItemOutcome, Priority, RequestKind, RequestStatus
from takedowns.exports import COLUMNS
from takedowns.models import TakedownItem
from tests.factories import AccountFactory, TakedownFactory, UserFactory, takedown_at
from tracker.models import SecurityEvent

pytestmark = pytest.mark.django_db
S = RequestStatus


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def xlsx_rows(response) -> list[dict]:
    assert response.status_code == 200, response.content[:500]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture
def requests_(analyst, supervisor, platforms):
    """A submitted Telegram request with two accounts (one removed), and an X draft."""
    telegram = takedown_at(
        S.SUBMITTED,
        analyst,
        platform=platforms["telegram"],
        kind=RequestKind.REMOVAL,
        priority=Priority.EMERGENCY,
        platform_ticket="TG-4471",
        submitted_by=supervisor,
        accounts=[
            AccountFactory(platform=platforms["telegram"], handle="first_one"),
            AccountFactory(platform=platforms["telegram"], handle="second_one"),
        ],
    )
    TakedownItem.objects.filter(request=telegram, account__handle="first_one").update(
        outcome=ItemOutcome.REMOVED
    )
    draft = takedown_at(
        S.DRAFT,
        analyst,
        platform=platforms["x"],
        accounts=[AccountFactory(platform=platforms["x"], handle="xhandle")],
    )
    return telegram, draft


def test_page_csv_holds_every_request_with_its_dates_and_accounts(client, analyst, requests_):
    telegram, draft = requests_
    client.force_login(analyst)

    rows = csv_rows(client.get("/takedowns/export.csv"))

    assert list(rows[0]) == COLUMNS
    assert [r["reference"] for r in rows] == [telegram.reference, draft.reference]
    first = rows[0]
    assert first["platform"] == "telegram"
    assert first["kind"] == "removal"
    assert first["priority"] == "emergency"
    assert first["status"] == "submitted"
    assert first["platform_ticket"] == "TG-4471"
    assert first["created_by"] == analyst.username
    assert first["submitted_at"] == telegram.submitted_at.isoformat()
    assert first["due_at"] == telegram.due_at.isoformat()
    assert first["overdue"] == "no"
    assert (first["accounts"], first["accounts_pending"], first["accounts_actioned"]) == (
        "2",
        "1",
        "1",
    )
    assert first["handles"] == "first_one; second_one"
    assert first["outcomes"] == "removed; pending"
    assert rows[1]["submitted_at"] == "" and rows[1]["handles"] == "xhandle"


def test_page_xlsx_honours_the_list_filters(client, analyst, requests_):
    telegram, _draft = requests_
    client.force_login(analyst)

    rows = xlsx_rows(client.get("/takedowns/export.xlsx", {"platform": "telegram"}))

    assert [r["reference"] for r in rows] == [telegram.reference]
    assert rows[0]["handles"] == "first_one; second_one"


@pytest.mark.parametrize(
    ("query", "expected"),
    [({"status": "draft"}, ["x"]), ({"q": "second_one"}, ["telegram"]), ({"overdue": "true"}, [])],
)
def test_page_export_filters_as_the_list_does(client, analyst, requests_, query, expected):
    client.force_login(analyst)
    rows = csv_rows(client.get("/takedowns/export.csv", query))
    assert [r["platform"] for r in rows] == expected


def test_page_export_refuses_an_unreadable_filter_and_exports_nothing(client, analyst, requests_):
    client.force_login(analyst)

    response = client.get("/takedowns/export.csv", {"platform": "myspace"})

    assert response.status_code == 400
    assert "platform" in response.context["filter"].errors
    assert not SecurityEvent.objects.filter(kind="export").exists()


def test_page_export_needs_the_view_permission(client, requests_):
    client.force_login(UserFactory())
    assert client.get("/takedowns/export.csv").status_code == 403
    assert client.get("/takedowns/export.xlsx").status_code == 403
    assert not SecurityEvent.objects.filter(kind="export").exists()


def test_page_export_is_written_to_the_security_log_with_its_filters(client, analyst, requests_):
    client.force_login(analyst)

    csv_rows(client.get("/takedowns/export.csv", {"platform": "telegram"}))

    event = SecurityEvent.objects.get(kind="export")
    assert event.user == analyst
    assert event.detail == "takedown-requests.csv?platform=telegram"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_cells_a_spreadsheet_would_run_are_defused(client, analyst, platforms, kind):
    TakedownFactory(
        platform=platforms["x"],
        created_by=analyst,
        platform_ticket='=HYPERLINK("http://evil")',
        legal_basis="+92 section 37",
        accounts=[AccountFactory(platform=platforms["x"], handle="@SUM(A1)")],
    )
    client.force_login(analyst)

    response = client.get(f"/takedowns/export.{kind}")
    rows = csv_rows(response) if kind == "csv" else xlsx_rows(response)

    assert rows[0]["platform_ticket"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["legal_basis"] == "'+92 section 37"
    assert rows[0]["handles"] == "'@SUM(A1)"
    if kind == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        types = {cell.data_type for row in sheet.iter_rows() for cell in row if cell.value}
        assert types == {"s"}  # text cells only: never a formula (f) nor a number


def test_the_requests_page_offers_the_export_with_its_filters(client, analyst, requests_):
    client.force_login(analyst)

    page = client.get("/takedowns/", {"platform": "telegram", "page": "1"}).content.decode()

    assert 'href="/takedowns/export.csv?platform=telegram"' in page
    assert 'href="/takedowns/export.xlsx?platform=telegram"' in page


# ------------------------------------------------------------------------------------------
# API
# ------------------------------------------------------------------------------------------


def test_api_export_is_csv_by_default_and_filters_as_the_list(analyst_api, analyst, requests_):
    telegram, draft = requests_

    every = csv_rows(analyst_api.get("/api/v1/takedowns/export/"))
    filtered = csv_rows(analyst_api.get("/api/v1/takedowns/export/?status=draft"))

    assert [r["reference"] for r in every] == [telegram.reference, draft.reference]
    assert [r["reference"] for r in filtered] == [draft.reference]
    assert SecurityEvent.objects.filter(kind="export", user=analyst).count() == 2


def test_api_export_as_xlsx(analyst_api, requests_):
    telegram, _draft = requests_
    response = analyst_api.get(
        "/api/v1/takedowns/export/", {"format": "xlsx", "kind": "removal", "priority": "emergency"}
    )
    assert [r["reference"] for r in xlsx_rows(response)] == [telegram.reference]


@pytest.mark.parametrize(
    ("query", "field"),
    [("platform=myspace", "platform"), ("status=", "status"), ("colour=red", "colour")],
)
def test_api_export_refuses_bad_parameters_by_name(analyst_api, requests_, query, field):
    response = analyst_api.get(f"/api/v1/takedowns/export/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert field in response.json()["error"]["fields"]
    assert not SecurityEvent.objects.filter(kind="export").exists()


def test_api_export_refuses_a_caller_without_the_view_permission(requests_):
    from tests.api_fixtures import token_client

    response = token_client(UserFactory()).get("/api/v1/takedowns/export/")
    assert response.status_code == 403
    assert not SecurityEvent.objects.filter(kind="export").exists()


def test_api_export_refuses_the_json_format(analyst_api, requests_):
    response = analyst_api.get("/api/v1/takedowns/export/", {"format": "json"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()["error"]["fields"]) == ["format"]
