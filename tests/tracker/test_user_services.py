import pytest

from core.errors import DomainError
from tracker.user_services import user_preferences_update

pytestmark = pytest.mark.django_db


def test_preferences_update_stores_the_choices(analyst):
    user_preferences_update(
        user=analyst, language="ur", time_zone="Asia/Dubai", email_notifications=False
    )
    analyst.refresh_from_db()
    assert (analyst.language, analyst.time_zone, analyst.email_notifications) == (
        "ur",
        "Asia/Dubai",
        False,
    )


@pytest.mark.parametrize(
    ("language", "zone", "field"),
    [("fr", "Asia/Dubai", "language"), ("ur", "Asia/Nope", "time_zone")],
)
def test_preferences_update_refuses_unknown_values(analyst, language, zone, field):
    with pytest.raises(DomainError) as exc:
        user_preferences_update(
            user=analyst, language=language, time_zone=zone, email_notifications=True
        )
    assert exc.value.field == field
    analyst.refresh_from_db()
    assert (analyst.language, analyst.time_zone) == ("en", "Asia/Karachi")


def _signed_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_deactivating_a_user_ends_their_sessions_and_revokes_their_tokens(analyst):
    from tracker.api.tokens import api_token_authenticate, api_token_issue
    from tracker.models import ApiToken
    from tracker.user_services import user_deactivate

    client = _signed_in(analyst)
    _token, key = api_token_issue(user=analyst, name="bot", scope="write")
    assert api_token_authenticate(key=key) is not None  # cached from now on

    user_deactivate(user=analyst)

    assert client.get("/accounts/")["Location"].startswith("/auth/login/")
    assert ApiToken.objects.get().revoked_at is not None
    assert api_token_authenticate(key=key) is None
    from django.contrib.sessions.models import Session

    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id")]


def test_unticking_active_in_the_admin_ends_access_too(admin_client, analyst):
    from tracker.api.tokens import api_token_issue
    from tracker.models import ApiToken, SecurityEvent

    client = _signed_in(analyst)
    api_token_issue(user=analyst, name="bot")
    analyst.is_active = False
    analyst.save()  # what the admin's change form does

    assert client.get("/accounts/").status_code == 302
    assert ApiToken.objects.get().revoked_at is not None
    event = SecurityEvent.objects.get(kind="user_disabled")
    assert (event.object_id, event.detail) == (
        str(analyst.pk),
        "1 sessions ended, 1 tokens revoked",
    )


def test_saving_an_active_user_ends_nothing(analyst):
    from tracker.api.tokens import api_token_issue
    from tracker.models import ApiToken

    client = _signed_in(analyst)
    api_token_issue(user=analyst, name="bot")
    analyst.first_name = "Sana"
    analyst.save()

    assert client.get("/accounts/").status_code == 200
    assert ApiToken.objects.get().revoked_at is None
