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


def _signed_in(user):
    from django.test import Client

    other = Client()
    other.force_login(user)
    return other


def test_a_user_signs_out_of_their_other_sessions_and_keeps_this_one(client, analyst, analyst2):
    from tracker.models import SecurityEvent

    client.force_login(analyst)
    phone, laptop = _signed_in(analyst), _signed_in(analyst)
    colleague = _signed_in(analyst2)

    response = client.post(reverse("sessions_end_others"), follow=True)

    assert response.redirect_chain == [(reverse("preferences"), 302)]
    assert "Signed out of 2 other sessions." in response.content.decode()
    assert client.get(reverse("accounts:list")).status_code == 200  # this session stays
    for ended in (phone, laptop):
        gone = ended.get(reverse("accounts:list"))
        assert gone.status_code == 302 and gone["Location"].startswith("/auth/login/")
    assert colleague.get(reverse("accounts:list")).status_code == 200  # not theirs
    event = SecurityEvent.objects.get(kind="sessions_ended")
    assert (event.user_id, event.detail) == (analyst.pk, "2 other session(s) ended")
    assert event.address == "127.0.0.1"


def test_ending_other_sessions_needs_a_post(client, analyst):
    from tracker.models import SecurityEvent

    client.force_login(analyst)
    phone = _signed_in(analyst)
    assert client.get(reverse("sessions_end_others")).status_code == 405
    assert phone.get(reverse("accounts:list")).status_code == 200
    assert not SecurityEvent.objects.filter(kind="sessions_ended").exists()


def test_the_preferences_page_offers_to_end_the_other_sessions(client, analyst):
    client.force_login(analyst)
    page = client.get(reverse("preferences")).content.decode()
    assert f'action="{reverse("sessions_end_others")}"' in page
    assert "Sign out of all other sessions" in page


def test_the_service_refuses_a_session_without_a_key(analyst):
    from core.errors import DomainError
    from tracker.user_services import user_other_sessions_end

    with pytest.raises(DomainError):
        user_other_sessions_end(user=analyst, session_key="")
