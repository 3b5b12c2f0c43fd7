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
