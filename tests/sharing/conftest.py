"""Fixtures of the sharing tests: platforms' feeds with keys and tokens, removed accounts."""

import pytest
from rest_framework.test import APIClient

from accounts.choices import AccountStatus
from accounts.services import account_create
from sharing.feeds.keys import feed_key_rotate, feed_token_issue
from sharing.feeds.log import feed_for


@pytest.fixture
def feeds(platforms, administrator):
    """slug -> (feed, signing secret, token key) for X and Telegram."""
    out = {}
    for slug in ("x", "telegram"):
        feed = feed_for(platforms[slug])
        _key, secret = feed_key_rotate(feed=feed, user=administrator)
        _token, token_key = feed_token_issue(feed=feed, user=administrator, name=f"{slug} trust")
        out[slug] = (feed, secret, token_key)
    return out


def feed_client(token_key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_key}")
    return client


@pytest.fixture
def remove(analyst, platforms):
    """remove(handle, platform="x", **fields): an account logged as removed."""

    def make(handle: str, platform: str = "x", **fields):
        return account_create(
            user=analyst, value=handle, platform=platform, status=AccountStatus.REMOVED, **fields
        )

    return make
