"""django-axes: lockout per username and per address, the administrator's unlock, passwords."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tracker.models import SecurityEvent

pytestmark = pytest.mark.django_db


def _sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_five_wrong_passwords_lock_the_username_even_with_the_right_one(client, analyst):
    for _ in range(4):
        assert _sign_in(client, "analyst", "wrong").status_code == 200
    assert _sign_in(client, "analyst", "wrong").status_code == 429  # the fifth locks
    response = _sign_in(client, "analyst", PASSWORD, address="10.9.9.9")  # any address
    assert response.status_code == 429
    assert "Signing in is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Five wrong passwords, and the right one refused while locked.
    assert SecurityEvent.objects.filter(kind="login_failed", username="analyst").count() == 6
    assert SecurityEvent.objects.filter(kind="lockout", username="analyst").exists()


def test_failures_from_one_address_lock_that_address_for_every_user(client, analyst):
    for n in range(5):
        _sign_in(client, f"guess{n}", "wrong", address="10.0.0.7")
    assert _sign_in(client, "analyst", PASSWORD, address="10.0.0.7").status_code == 429
    assert _sign_in(client, "analyst", PASSWORD, address="10.0.0.8").status_code == 302


def test_an_administrator_unlocks_in_the_admin(admin_client, analyst):
    client = Client()
    for _ in range(5):
        _sign_in(client, "analyst", "wrong")
    assert _sign_in(client, "analyst", PASSWORD).status_code == 429
    attempt = AccessAttempt.objects.get(username="analyst")
    response = admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert _sign_in(client, "analyst", PASSWORD).status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, analyst):
    for _ in range(4):
        _sign_in(client, "analyst", "wrong")
    assert _sign_in(client, "analyst", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _sign_in(client, "analyst", "wrong")
    assert _sign_in(client, "analyst", PASSWORD).status_code == 302


@pytest.mark.parametrize("password", ["short-pass1", "password1234", "123456789012"])
def test_passwords_under_12_characters_or_common_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_the_demo_password_passes_the_policy(settings):
    user = UserFactory.build(username="supervisor", email="supervisor@example.org")
    validate_password(settings.DEMO_PASSWORD, user)
