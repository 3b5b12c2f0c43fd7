"""POST /api/v1/accounts/bulk/: all or nothing with per-row errors, or ?partial=true."""

import pytest

from accounts.models import FlaggedAccount

pytestmark = pytest.mark.django_db

ROWS = [
    {"handle": "https://t.me/sada_e_haq"},
    {"handle": "not valid at all", "platform": "x"},
    {"handle": "@voice_khorasan", "platform": "x"},
]


def test_bulk_all_or_nothing_refuses_the_batch_with_every_row_error(analyst_api, platforms):
    response = analyst_api.post("/api/v1/accounts/bulk/", {"rows": ROWS}, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_rows"
    assert [(r["index"], r["field"]) for r in error["rows"]] == [(1, "handle")]
    assert list(error["fields"]) == ["rows.1.handle"]
    assert FlaggedAccount.objects.count() == 0


def test_bulk_partial_records_the_valid_rows(analyst_api, platforms):
    response = analyst_api.post(
        "/api/v1/accounts/bulk/?partial=true", {"rows": ROWS}, format="json"
    )

    assert response.status_code == 201
    data = response.json()
    assert [a["handle"] for a in data["created"]] == ["sada_e_haq", "voice_khorasan"]
    assert [(e["index"], e["code"]) for e in data["errors"]] == [(1, "invalid_handle")]
    assert FlaggedAccount.objects.count() == 2


def test_bulk_of_valid_rows_records_them_all(analyst_api, platforms):
    response = analyst_api.post(
        "/api/v1/accounts/bulk/", {"rows": [ROWS[0], ROWS[2]]}, format="json"
    )

    assert response.status_code == 201
    assert (len(response.json()["created"]), response.json()["errors"]) == (2, [])


@pytest.mark.parametrize(
    ("url", "payload", "field"),
    [
        ("/api/v1/accounts/bulk/", {"rows": []}, "rows"),
        ("/api/v1/accounts/bulk/", {"rows": [{"handle": "@a"}] * 1001}, "rows"),
        ("/api/v1/accounts/bulk/", {"rows": ["@a"]}, "rows.0"),
        ("/api/v1/accounts/bulk/", {}, "rows"),
        ("/api/v1/accounts/bulk/?partial=maybe", {"rows": ROWS}, "partial"),
    ],
)
def test_bulk_with_a_malformed_batch_is_400(url, payload, field, analyst_api, platforms):
    response = analyst_api.post(url, payload, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert FlaggedAccount.objects.count() == 0
