"""The cache (django-redis, exceptions ignored): with Redis unreachable, pages, API calls and the
adapters' status re-checks still work from the database."""

import logging
import socket

import pytest
from django.core.cache import cache, caches

from accounts.choices import AccountStatus, AdapterKind
from takedowns import rechecks
from tests.factories import AccountFactory, PlatformFactory
from tracker.api import tokens

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    """The project's cache backend pointed at a Redis port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free now, and nothing will listen on it
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    yield
    caches["default"].close()


def test_the_settings_ignore_and_log_redis_errors(settings):
    assert settings.DJANGO_REDIS_IGNORE_EXCEPTIONS is True
    assert settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS is True


def test_every_call_answers_as_a_miss_while_redis_is_down(redis_down, caplog):
    with caplog.at_level(logging.ERROR, logger="django_redis"):
        answers = (
            cache.get("k"),
            cache.get("k", "default"),
            cache.get_many(["k"]),
            cache.set("k", 1),
            cache.add("k", 1),
            cache.incr("k"),
            cache.set_many({"k": 1}),
        )

    assert answers == (None, "default", {}, None, None, None, None)
    assert "Exception ignored" in caplog.text


def test_api_calls_and_pages_work_while_redis_is_down(redis_down, supervisor, client, caplog):
    _token, key = tokens.api_token_issue(user=supervisor, name="CERT", scope="read")

    api = client.get("/api/v1/takedowns/", HTTP_AUTHORIZATION=f"Token {key}")
    stats = client.get("/api/v1/stats/", HTTP_AUTHORIZATION=f"Token {key}")
    client.force_login(supervisor)
    dashboard = client.get("/dashboard/")

    assert (api.status_code, stats.status_code, dashboard.status_code) == (200, 200, 200)
    assert "Exception ignored" in caplog.text


def test_a_token_revoked_while_redis_is_down_is_refused(redis_down, supervisor, client):
    token, key = tokens.api_token_issue(user=supervisor, name="CERT", scope="read")
    tokens.api_token_revoke(token=token)

    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 401


def test_a_status_recheck_works_while_redis_is_down(redis_down, http_server):
    # The HTTP adapter takes each call from its per-minute budget in the cache (throttle).
    api = http_server(body={"status": "suspended"})
    platform = PlatformFactory(
        slug="x",
        adapter=AdapterKind.HTTP,
        adapter_config={"base_url": api.url, "backoff": 0},
        rate_limit_per_minute=100,
    )
    account = AccountFactory(platform=platform, status=AccountStatus.REPORTED)

    result = rechecks.platform_recheck(platform_id=platform.pk)

    assert (result.checked, result.changed, result.errors) == (1, 1, 0)
    assert len(api.requests) == 1
    account.refresh_from_db()
    assert account.status == AccountStatus.SUSPENDED
