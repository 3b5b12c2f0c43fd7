"""Session limits: idle timeout, absolute lifetime; background polls are no activity."""

import pytest
from django.urls import reverse

from tracker import sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    now = {"t": 1_800_000_000}
    monkeypatch.setattr(sessions.time, "time", lambda: now["t"])
    return now


def test_a_session_idle_longer_than_the_limit_is_signed_out(client, analyst, clock, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client.force_login(analyst)
    clock["t"] += 29 * 60
    assert client.get(reverse("accounts:list")).status_code == 200
    clock["t"] += 29 * 60  # active 29 minutes ago: still in
    assert client.get(reverse("accounts:list")).status_code == 200
    clock["t"] += 31 * 60
    response = client.get(reverse("accounts:list"))
    assert response.status_code == 302 and response["Location"].startswith("/auth/login/")


def test_a_session_ends_at_its_absolute_lifetime_however_active(client, analyst, clock, settings):
    settings.SESSION_ABSOLUTE_MINUTES = 12 * 60
    client.force_login(analyst)
    for _ in range(12 * 3 + 1):  # a request every 20 minutes for over 12 hours
        clock["t"] += 20 * 60
        last = client.get(reverse("accounts:list"))
    assert last.status_code == 302
    from tracker.models import SecurityEvent

    assert SecurityEvent.objects.filter(kind="session_expired", detail="lifetime").exists()


def test_the_notification_poll_does_not_keep_a_session_alive(client, analyst, clock):
    client.force_login(analyst)
    for _ in range(31):
        clock["t"] += 60
        client.get(reverse("notification_bell"))
    assert client.get(reverse("accounts:list")).status_code == 302


def test_the_defaults_are_30_minutes_idle_and_12_hours_absolute():
    from django.conf import settings

    assert (settings.SESSION_IDLE_MINUTES, settings.SESSION_ABSOLUTE_MINUTES) == (30, 720)
