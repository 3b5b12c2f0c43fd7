"""Fixtures of the sharing tests: platforms' feeds with keys and tokens, removed accounts, and a
small shared world (groups with designations and aliases, a removed account with an avatar hash,
its confirmed mirror, and a takedown request covering both)."""

from dataclasses import dataclass
from datetime import date

import pytest
from rest_framework.test import APIClient

from accounts.choices import AccountStatus, Authority
from accounts.models import Designation, FlaggedAccount, GroupAlias, ProscribedGroup
from accounts.services import account_create
from sharing.feeds.keys import feed_key_rotate, feed_token_issue
from sharing.feeds.log import feed_for
from takedowns.models import TakedownRequest
from tests.factories import AccountFactory, GroupFactory, TakedownFactory


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


PDQ = "f" * 16 + "0" * 16 + "a5" * 16


@dataclass
class World:
    groups: list[ProscribedGroup]
    original: FlaggedAccount
    mirror: FlaggedAccount
    other: FlaggedAccount
    request: TakedownRequest


@pytest.fixture
def world(platforms, analyst) -> World:
    lej = GroupFactory(name="Lashkar-e-Jhangvi", country="Pakistan")
    GroupAlias.objects.create(group=lej, name="لشکر جھنگوی", name_key="lej")
    Designation.objects.create(
        group=lej,
        authority=Authority.UN,
        reference="QDe.096",
        listed_on=date(2003, 2, 3),
        source_url="https://main.un.org/securitycouncil/en/sanctions/1267",
        source_record_id="110",
    )
    Designation.objects.create(
        group=lej, authority=Authority.PK_NACTA, reference="14", source_record_id="nacta-14"
    )
    ttp = GroupFactory(name="Tehrik-e-Taliban Pakistan")
    original = AccountFactory(
        platform=platforms["x"],
        handle="lej_media",
        display_name="LeJ Media",
        status=AccountStatus.REMOVED,
        avatar_pdq=PDQ,
        avatar_quality=90,
        platform_account_id="1234567",
        flagged_by=analyst,
    )
    original.groups.set([lej])
    mirror = AccountFactory(
        platform=platforms["x"],
        handle="lej_media2",
        display_name="LeJ Media ٢",
        mirror_of=original,
        flagged_by=analyst,
    )
    mirror.groups.set([lej])
    other = AccountFactory(
        platform=platforms["telegram"],
        handle="ttp_news",
        profile_url="https://t.me/ttp_news",
        flagged_by=analyst,
    )
    other.groups.set([ttp])
    request = TakedownFactory(platform=platforms["x"], accounts=[original, mirror])
    return World([lej, ttp], original, mirror, other, request)
