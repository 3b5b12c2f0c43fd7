from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.utils import translation

from takedowns.choices import RequestStatus
from tracker.templatetags.ui import countdown, deadline_state, duration_text

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def request(status=RequestStatus.SUBMITTED, due_in=None, reminder_in=None, paused_ago=None):
    return SimpleNamespace(
        status=status,
        due_at=NOW + due_in if due_in is not None else None,
        reminder_at=NOW + reminder_in if reminder_in is not None else None,
        paused_at=NOW - paused_ago if paused_ago is not None else None,
    )


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(days=2, hours=3, minutes=59), "2 d 3 h"),
        (timedelta(hours=5, minutes=7), "5 h 7 min"),
        (timedelta(minutes=42, seconds=59), "42 min"),
        (-timedelta(hours=1, minutes=30), "1 h 30 min"),
    ],
)
def test_duration_text_is_short_and_unsigned(delta, text):
    assert duration_text(delta) == text


@pytest.mark.parametrize(
    ("takedown", "state", "left"),
    [
        (request(due_in=timedelta(hours=30), reminder_in=timedelta(hours=18)), "ok", 30),
        (request(due_in=timedelta(hours=6), reminder_in=-timedelta(hours=1)), "soon", 6),
        (request(due_in=-timedelta(hours=4)), "overdue", -4),
        (request(due_in=timedelta(hours=10), paused_ago=timedelta(hours=2)), "paused", 12),
        (request(status=RequestStatus.ACTIONED, due_in=-timedelta(hours=4)), "none", None),
        (request(status=RequestStatus.DRAFT), "none", None),
    ],
)
def test_deadline_state(takedown, state, left):
    got_state, got_left = deadline_state(takedown, NOW)
    assert got_state == state
    assert (got_left / timedelta(hours=1) if got_left is not None else None) == left


def test_countdown_carries_what_the_script_needs_and_the_server_text():
    html = countdown(request(due_in=-timedelta(hours=3, minutes=5)), NOW)
    assert 'class="deadline is-overdue"' in html
    assert 'data-due="2026-03-01T08:55:00+00:00"' in html
    assert '<span class="deadline-text">overdue by 3 h 5 min</span>' in html


def test_countdown_speaks_urdu():
    with translation.override("ur"):
        html = countdown(request(due_in=timedelta(days=1, hours=2)), NOW)
    assert "1 دن 2 گھنٹے باقی" in html


@pytest.mark.django_db
def test_user_role_is_named_from_the_roles_permissions(analyst, supervisor, administrator):
    from django.contrib.auth import get_user_model

    from tracker.templatetags.ui import user_role

    nobody = get_user_model().objects.create_user("nobody", password="x")
    with translation.override("en"):
        names = [user_role(u) for u in (analyst, supervisor, administrator, nobody)]
    assert names == ["Analyst", "Supervisor", "Administrator", "No role"]


def test_countdown_tells_the_script_the_servers_state_and_when_it_changes():
    html = countdown(request(due_in=timedelta(hours=10), reminder_in=timedelta(hours=4)), NOW)

    assert 'data-state="ok"' in html
    assert f'data-left="{10 * 3600}"' in html
    assert f'data-changes="soon:{4 * 3600} overdue:{10 * 3600}"' in html


def test_paused_countdown_is_frozen_with_no_changes_to_come():
    html = countdown(request(due_in=timedelta(hours=10), paused_ago=timedelta(hours=2)), NOW)

    assert 'data-state="paused"' in html and 'data-paused="1"' in html
    assert 'data-changes=""' in html
