"""tracker.cache: with Redis unreachable, pages and API calls still work from the database."""

import socket

import pytest
from django.core.cache import caches

from tracker.api import tokens

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    """The cache pointed at a Redis port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free now, and nothing will listen on it
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield
    caches["default"].close()


def test_api_calls_and_pages_work_while_redis_is_down(redis_down, supervisor, client, caplog):
    _token, key = tokens.api_token_issue(user=supervisor, name="CERT", scope="read")

    api = client.get("/api/v1/takedowns/", HTTP_AUTHORIZATION=f"Token {key}")
    stats = client.get("/api/v1/stats/", HTTP_AUTHORIZATION=f"Token {key}")
    client.force_login(supervisor)
    dashboard = client.get("/dashboard/")

    assert (api.status_code, stats.status_code, dashboard.status_code) == (200, 200, 200)
    assert "Cache unavailable" in caplog.text


def test_a_token_revoked_while_redis_is_down_is_refused(redis_down, supervisor, client):
    token, key = tokens.api_token_issue(user=supervisor, name="CERT", scope="read")
    tokens.api_token_revoke(token=token)

    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 401
