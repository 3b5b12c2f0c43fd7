"""API rate limits: per token, per session user and per address, answered 429 with Retry-After."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.api_fixtures import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    cache.clear()
    settings.API_THROTTLE_RATES = {"token": "3/minute", "user": "3/minute", "address": "5/minute"}
    yield settings.API_THROTTLE_RATES
    cache.clear()


def test_a_token_over_its_rate_gets_429_with_retry_after(limits, supervisor):
    client = token_client(supervisor)
    assert [client.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    response = client.get("/api/v1/me/")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["error"]["code"] == "throttled"


def test_each_token_has_its_own_count(limits, supervisor):
    first, second = token_client(supervisor), token_client(supervisor)
    for _ in range(3):
        first.get("/api/v1/me/")
    assert first.get("/api/v1/me/").status_code == 429
    assert second.get("/api/v1/me/").status_code == 200


def test_one_address_is_limited_whatever_tokens_it_uses(limits, supervisor):
    statuses = [
        token_client(supervisor).get("/api/v1/me/", REMOTE_ADDR="10.5.5.5").status_code
        for _ in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    assert token_client(supervisor).get("/api/v1/me/", REMOTE_ADDR="10.5.5.6").status_code == 200


def test_a_session_user_is_limited_too(limits, analyst):
    client = APIClient()
    client.force_login(analyst)
    assert [client.get("/api/v1/me/").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_an_empty_rate_switches_the_limit_off(settings, supervisor):
    settings.API_THROTTLE_RATES = {"token": "", "user": "", "address": ""}
    client = token_client(supervisor)
    assert {client.get("/api/v1/me/").status_code for _ in range(10)} == {200}


def test_the_defaults_come_from_the_environment():
    from tracker import settings as project_settings

    assert project_settings.API_THROTTLE_RATES == {
        "token": "1200/minute",
        "user": "600/minute",
        "address": "1200/minute",
    }


def test_token_use_is_logged_once_an_hour(supervisor):
    from tracker.models import SecurityEvent

    client = token_client(supervisor)
    for _ in range(3):
        client.get("/api/v1/me/")
    assert SecurityEvent.objects.filter(kind="token_used", user=supervisor).count() == 1
