"""Token authentication: hashed keys, expiry, revocation, last use, scopes; session CSRF."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import FlaggedAccount
from tracker.api import tokens
from tracker.models import ApiToken

pytestmark = pytest.mark.django_db


def call(key, path="/api/v1/me/", method="get", **kwargs):
    client = APIClient()
    return getattr(client, method)(path, HTTP_AUTHORIZATION=f"Token {key}", **kwargs)


def test_only_the_hash_of_a_key_is_stored(analyst):
    token, key = tokens.api_token_issue(user=analyst, name="CERT", scope="write")

    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == ApiToken.hash_key(key) != key
    assert stored.prefix == key[:8]
    assert not ApiToken.objects.filter(key_hash=key).exists()


def test_a_valid_token_authenticates_its_user_and_shows_its_scope(analyst):
    _token, key = tokens.api_token_issue(user=analyst, name="CERT", scope="read")

    response = call(key)

    assert response.status_code == 200
    assert response.json() == {
        "username": "analyst",
        "roles": ["Analyst"],
        "token": {"name": "CERT", "prefix": key[:8], "scope": "read", "expires_at": None},
    }


def test_first_use_records_last_used_at_and_later_uses_are_written_once_a_minute(
    analyst, monkeypatch
):
    token, key = tokens.api_token_issue(user=analyst, name="CERT")
    assert token.last_used_at is None

    call(key)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    call(key)
    second = ApiToken.objects.get(pk=token.pk).last_used_at
    later = first + timedelta(minutes=2)
    monkeypatch.setattr(tokens.timezone, "now", lambda: later)
    call(key)
    third = ApiToken.objects.get(pk=token.pk).last_used_at

    assert first is not None
    assert second == first
    assert third == later


def test_a_known_token_is_checked_without_a_database_query(analyst):
    _token, key = tokens.api_token_issue(user=analyst, name="CERT")
    call(key)

    with CaptureQueriesContext(connection) as queries:
        assert call(key).status_code == 200

    assert not [q for q in queries if "tracker_apitoken" in q["sql"]]


@pytest.mark.parametrize(
    "spoil",
    [
        lambda t: tokens.api_token_revoke(token=t),
        lambda t: t.delete(),
        lambda t: setattr(t.user, "is_active", False) or t.user.save(),
        lambda t: t.user.delete(),
    ],
    ids=["revoked", "deleted", "user-deactivated", "user-deleted"],
)
def test_a_token_in_use_is_refused_as_soon_as_it_is_revoked_or_its_user_goes(spoil, analyst):
    token, key = tokens.api_token_issue(user=analyst, name="CERT")
    assert call(key).status_code == 200  # now cached

    spoil(ApiToken.objects.select_related("user").get(pk=token.pk))

    assert call(key).status_code == 401


def test_a_cached_token_expires_on_time(analyst, monkeypatch):
    expires_at = timezone.now() + timedelta(hours=1)
    _token, key = tokens.api_token_issue(user=analyst, name="CERT", expires_at=expires_at)
    assert call(key).status_code == 200

    monkeypatch.setattr(tokens.timezone, "now", lambda: expires_at + timedelta(seconds=1))

    assert call(key).status_code == 401


@pytest.mark.parametrize(
    "spoil",
    [
        lambda t: ApiToken.objects.filter(pk=t.pk).update(revoked_at=timezone.now()),
        lambda t: ApiToken.objects.filter(pk=t.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        ),
        lambda t: type(t.user).objects.filter(pk=t.user_id).update(is_active=False),
    ],
    ids=["revoked", "expired", "inactive-user"],
)
def test_revoked_expired_or_inactive_tokens_are_refused(spoil, analyst):
    token, key = tokens.api_token_issue(user=analyst, name="CERT")
    spoil(token)

    response = call(key)

    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "invalid_token",
        "message": "Invalid, expired or revoked token.",
        "fields": {},
    }
    assert ApiToken.objects.get(pk=token.pk).last_used_at is None


def test_revoking_keeps_the_first_revocation_time(analyst):
    token, _key = tokens.api_token_issue(user=analyst, name="CERT")
    first = tokens.api_token_revoke(token=token).revoked_at

    again = tokens.api_token_revoke(token=token).revoked_at

    assert first is not None and again == first


@pytest.mark.parametrize(
    "header", ["Token", "Token a b", "Token nope", "Token \u00e9t\u00e9"], ids=str
)
def test_malformed_or_unknown_token_headers_are_401(header):
    response = APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"]["code"] in ("invalid_token", "invalid_token_header")


def test_no_credentials_is_401_with_the_token_challenge():
    response = APIClient().get("/api/v1/accounts/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"]["code"] == "not_authenticated"


def test_read_scope_reads_but_cannot_write(supervisor, platforms):
    _token, key = tokens.api_token_issue(user=supervisor, name="reporting", scope="read")

    read = call(key, "/api/v1/accounts/")
    write = call(key, "/api/v1/accounts/", "post", data={"handle": "https://t.me/abcde"})

    assert read.status_code == 200
    assert write.status_code == 403
    assert write.json()["error"]["code"] == "read_only_token"
    assert FlaggedAccount.objects.count() == 0


def test_a_token_cannot_do_more_than_its_users_role(analyst):
    _token, key = tokens.api_token_issue(user=analyst, name="w", scope="write")

    response = call(key, "/api/v1/disclosures/")

    assert response.status_code == 403


def test_a_user_without_any_role_is_refused_everything(platforms):
    from tests.factories import UserFactory

    _token, key = tokens.api_token_issue(user=UserFactory(), name="w", scope="write")

    assert call(key, "/api/v1/accounts/").status_code == 403
    assert call(key, "/api/v1/me/").status_code == 200


def test_session_writes_need_the_csrf_token(analyst, platforms):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(analyst)

    response = client.post("/api/v1/accounts/", {"handle": "https://t.me/abcde"}, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]
    assert FlaggedAccount.objects.count() == 0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x", "scope": "admin"}, "scope"),
        ({"name": "x", "expires_at": timezone.now() - timedelta(days=1)}, "expires_at"),
    ],
)
def test_issuing_a_token_checks_its_name_scope_and_expiry(kwargs, field, analyst):
    from core.errors import DomainError

    with pytest.raises(DomainError) as exc:
        tokens.api_token_issue(user=analyst, **kwargs)

    assert exc.value.field == field
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize("path", ["/api/v1/accounts/", "/api/v1/stats/", "/api/v1/me/"])
def test_options_describes_an_endpoint_to_any_logged_in_caller(path, analyst):
    _token, key = tokens.api_token_issue(user=analyst, name="w", scope="read")

    response = APIClient().options(path, HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200
    assert response.json()["renders"] == ["application/json"]


def test_a_copy_cached_by_a_request_racing_a_revocation_is_not_used(
    analyst, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    token, key = tokens.api_token_issue(user=analyst, name="CERT")
    assert call(key).status_code == 200
    before = ApiToken.objects.select_related("user").get(pk=token.pk)  # what a racer read
    entry = tokens._cache_key(token.key_hash)

    with django_capture_on_commit_callbacks(execute=True):
        tokens.api_token_revoke(token=token)
        assert not cache.add(entry, before, 60)  # a racer's copy cannot replace the mark
        cache.set(entry, before, 60)  # nor survive the commit if it got in first

    assert call(key).status_code == 401
