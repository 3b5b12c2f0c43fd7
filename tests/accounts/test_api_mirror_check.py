"""POST /api/v1/mirror-check/: ranked, explained candidates, and nothing written."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.choices import AccountStatus
from accounts.services import account_create
from tests.factories import GroupFactory, removed_channel
from tests.images import bad_avatars, good_avatar

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


def _table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def removed(analyst, platforms):
    group = GroupFactory(name="Tehrik-e-Taliban")
    account = removed_channel(
        user=analyst, group=group, avatar_seed=4, bio="Contact +92 333 1234567"
    )
    decoy = account_create(
        user=analyst, value="https://x.com/daily_weather", status=AccountStatus.REMOVED
    )
    return account, decoy, group


def test_mirror_check_ranks_the_removed_account_and_writes_nothing(analyst, removed, _media):
    account, _decoy, group = removed
    # Authenticated without a token, whose "last used" stamp would be the one write.
    client = APIClient()
    client.force_authenticate(analyst)
    before, files_before = _table_counts(), sorted(_media.rglob("*"))

    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/api/v1/mirror-check/",
            {
                "handle": "https://x.com/sada_e_h4q_2",
                "display_name": "Sada e Haq",
                "bio": "WhatsApp wa.me/923331234567",
                "groups": [group.pk],
                "avatar": good_avatar(4, "WEBP"),
            },
            format="multipart",
        )

    assert response.status_code == 200, response.content
    best = response.json()["candidates"][0]
    assert best["removed_account"]["id"] == account.pk
    assert (best["strong"], best["model_version"]) == (True, 1)
    features = {f["name"]: f for f in best["features"]}
    assert features["contact"]["detail"]["shared"] == ["tel:+923331234567"]
    assert features["avatar"]["detail"]["distance"] <= 31
    assert all({"name", "value", "contribution"} <= set(f) for f in best["features"])
    assert _writes(queries.captured_queries) == []
    assert _table_counts() == before
    assert sorted(_media.rglob("*")) == files_before


def test_mirror_check_stores_no_avatar_file(analyst_api, platforms, _media):
    response = analyst_api.post(
        "/api/v1/mirror-check/",
        {"handle": "https://t.me/nobody_here", "avatar": good_avatar(2)},
        format="multipart",
    )

    assert response.status_code == 200
    assert response.json() == {"candidates": []}
    assert [p for p in _media.rglob("*") if p.is_file()] == []


def test_mirror_check_takes_json(analyst_api, removed):
    account, _decoy, _group = removed

    response = analyst_api.post(
        "/api/v1/mirror-check/",
        {"handle": "sada_e_haq", "platform": "telegram", "display_name": "Sada-e-Haq"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["candidates"][0]["removed_account"]["id"] == account.pk


@pytest.mark.parametrize("kind", ["wrong_type", "truncated", "too_big", "decompression_bomb"])
def test_mirror_check_refuses_a_bad_avatar_by_name(kind, analyst_api, platforms):
    upload, code = bad_avatars()[kind]

    response = analyst_api.post(
        "/api/v1/mirror-check/", {"handle": "https://t.me/x_y_z1", "avatar": upload}, "multipart"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert list(response.json()["error"]["fields"]) == ["avatar"]


def test_mirror_check_names_a_handle_it_cannot_read(analyst_api, platforms):
    response = analyst_api.post("/api/v1/mirror-check/", {"handle": "no platform"}, "json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) <= {"handle", "platform"}
