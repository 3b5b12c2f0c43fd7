from datetime import UTC, datetime

import pytest
from django.urls import reverse

from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

SEEN = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def seen_on_page(client, account) -> str:
    html = client.get(reverse("accounts:detail", args=[account.pk])).content.decode()
    start = html.index("First seen</dt><dd>")
    return html[start : start + 160]


def test_dates_are_shown_in_pakistan_time_by_default(client, analyst, platforms):
    account = AccountFactory(platform=platforms["x"], first_seen_at=SEEN)
    client.force_login(analyst)
    assert "2026-03-01 14:30" in seen_on_page(client, account)  # UTC+5


def test_dates_follow_the_users_time_zone(client, analyst, platforms):
    analyst.time_zone = "America/New_York"
    analyst.save()
    account = AccountFactory(platform=platforms["x"], first_seen_at=SEEN)
    client.force_login(analyst)
    assert "2026-03-01 04:30" in seen_on_page(client, account)


def test_an_unknown_stored_zone_falls_back_to_the_default(client, analyst, platforms):
    analyst.time_zone = "Nowhere/Atlantis"
    analyst.save()
    account = AccountFactory(platform=platforms["x"], first_seen_at=SEEN)
    client.force_login(analyst)
    assert "2026-03-01 14:30" in seen_on_page(client, account)


def test_users_language_wins_over_the_browsers(client, analyst):
    analyst.language = "ur"
    analyst.save()
    client.force_login(analyst)
    response = client.get(reverse("accounts:entry"), HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "ur"
    assert "<h1>اکاؤنٹس درج کریں</h1>" in response.content.decode()


def test_signed_out_visitor_gets_the_browsers_language(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ur")
    assert '<html lang="ur" dir="rtl">' in response.content.decode()


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Karachi"])
def test_the_api_writes_utc_whatever_the_callers_zone(client, analyst, platforms, zone):
    analyst.time_zone = zone
    analyst.save()
    account = AccountFactory(platform=platforms["x"], first_seen_at=SEEN)
    client.force_login(analyst)

    listed = client.get("/api/v1/accounts/").json()["results"][0]
    detail = client.get(f"/api/v1/accounts/{account.pk}/").json()

    assert listed["first_seen_at"] == detail["first_seen_at"] == "2026-03-01T09:30:00Z"


def test_the_api_reads_a_time_without_offset_as_utc(client, analyst, platforms):
    AccountFactory(platform=platforms["x"], first_seen_at=SEEN)
    client.force_login(analyst)

    just_after = client.get("/api/v1/accounts/", {"first_seen_after": "2026-03-01T09:30:00"})
    just_before = client.get("/api/v1/accounts/", {"first_seen_after": "2026-03-01T09:30:01"})

    assert len(just_after.json()["results"]) == 1
    assert just_before.json()["results"] == []
