import os

import pytest

from tracker.roles import ADMINISTRATOR, ANALYST, SUPERVISOR

from .factories import PlatformFactory, UserFactory

REQUIRE_SERVICES = os.environ.get("TRACKER_REQUIRE_SERVICES") == "1"
# Fixtures for tests that run real Celery workers (broker, start_worker, http_server) and for
# API tests (clients authenticated by session and by token).
pytest_plugins = ["tests.workers", "tests.api_fixtures"]


def need(condition: bool, what: str) -> None:
    """Skip locally, fail in CI, when a real service a test needs is missing."""
    if condition:
        return
    message = f"{what} is needed by this test"
    if REQUIRE_SERVICES:
        pytest.fail(message + " and TRACKER_REQUIRE_SERVICES=1 forbids skipping", pytrace=False)
    pytest.skip(message)


_DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _role_groups(request):
    """The role groups come from a data migration, which a transactional test's flush removes:
    put them back for every database test (idempotent, one query when they are there)."""
    if not (
        _DB_FIXTURES & set(request.fixturenames) or request.node.get_closest_marker("django_db")
    ):
        return
    request.getfixturevalue("transactional_db" if _needs_transaction(request) else "db")
    from django.contrib.auth.models import Group, Permission

    from tracker.roles import ROLES, sync_roles

    if Group.objects.filter(name__in=ROLES).count() != len(ROLES):
        sync_roles(Group, Permission)


def _needs_transaction(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
        or (marker and marker.kwargs.get("transaction"))
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness costs seconds per test and tests nothing of ours.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _second_factor_passed_at_login(monkeypatch):
    """force_login of a supervisor or administrator gives a session that passed the second
    factor (tests/second_factor.py); the second factor's own tests opt out per client."""
    from .second_factor import install_auto_verify

    install_auto_verify(monkeypatch)


@pytest.fixture(autouse=True)
def _api_rate_limits_off(settings):
    # The suite makes thousands of API calls from one address; tests/tracker/test_throttling.py
    # switches the limits on.
    settings.API_THROTTLE_RATES = {}


@pytest.fixture
def analyst(db):
    return UserFactory(username="analyst", role=ANALYST)


@pytest.fixture
def analyst2(db):
    return UserFactory(username="analyst2", role=ANALYST)


@pytest.fixture
def supervisor(db):
    return UserFactory(username="supervisor", role=SUPERVISOR)


@pytest.fixture
def supervisor2(db):
    return UserFactory(username="supervisor2", role=SUPERVISOR)


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", role=ADMINISTRATOR)


@pytest.fixture
def admin_client(client, administrator):
    """The Django admin, signed in as an Administrator (staff) rather than a superuser."""
    administrator.is_staff = True
    administrator.save()
    client.force_login(administrator)
    return client


@pytest.fixture
def platforms(db):
    return {
        slug: PlatformFactory(slug=slug, name=name)
        for slug, name in [
            ("x", "X"),
            ("facebook", "Facebook"),
            ("instagram", "Instagram"),
            ("whatsapp", "WhatsApp"),
            ("telegram", "Telegram"),
            ("youtube", "YouTube"),
            ("tiktok", "TikTok"),
        ]
    }


@pytest.fixture(autouse=True)
def _fresh_mirror_caches():
    """The mirror engine keeps the active model and the suppressed signals for a few seconds
    per process; each test starts from its own database's."""
    from accounts.mirrors.scoring import forget_model
    from accounts.mirrors.watchlist import forget_suppressed

    forget_model()
    forget_suppressed()


# The sizes at which list pages and endpoints are counted: a count that holds at both does not
# grow with the rows.
QUERY_SIZES = [3, 30]


@pytest.fixture
def counted_get(django_assert_max_num_queries, monkeypatch):
    """GET (or `method`; streamed to the end) within `ceiling` queries. An API client calls
    once first: a token's first call also reads and marks the token and logs its hourly use,
    queries that are the authentication's, not the endpoint's (and the once-a-minute mark of
    last_used_at is held off, so that a minute turning mid-test adds nothing)."""
    from datetime import timedelta

    from rest_framework.test import APIClient

    monkeypatch.setattr("tracker.api.tokens.LAST_USED_RESOLUTION", timedelta(days=1))

    def get(client, url, ceiling, method="get", **params):
        if isinstance(client, APIClient):
            client.get("/api/v1/me/")
        with django_assert_max_num_queries(ceiling):
            response = getattr(client, method)(url, params)
            if response.streaming:
                response.downloaded = b"".join(response.streaming_content)
        return response

    return get
