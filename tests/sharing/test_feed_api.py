"""The prevention feed's API (sharing/feeds/api.py): signed pages, cursors, scoped tokens,
downloads and the security log of every pull."""

import csv
import io
import json

import pytest
from rest_framework.test import APIClient

from accounts.choices import AccountStatus
from accounts.services import account_set_status
from sharing.feeds.keys import feed_key_rotate, feed_token_revoke
from sharing.feeds.pages import CSV_COLUMNS, KEY_ID_HEADER, SIGNATURE_HEADER
from sharing.models import FeedPull, FeedToken
from takedowns.webhooks.signing import webhook_signature_verify
from tests.api_fixtures import session_client, token_client
from tests.factories import GroupFactory
from tests.images import good_avatar
from tracker.models import SecurityEvent

from .conftest import feed_client

pytestmark = pytest.mark.django_db

PAGE = "/api/v1/feeds/{}/"


def _page(client, platform="x", **params):
    response = client.get(PAGE.format(platform), params)
    assert response.status_code == 200, response.content
    return response, json.loads(response.content)


def test_a_page_is_signed_and_a_tampered_page_is_not(feeds, remove):
    remove("abu_hamza_media")
    _feed, secret, token = feeds["x"]

    response, body = _page(feed_client(token))

    header = response[SIGNATURE_HEADER]
    assert webhook_signature_verify(secret=secret, header=header, body=response.content)
    assert response[KEY_ID_HEADER] == body["key_id"]
    tampered = response.content.replace(b"abu_hamza_media", b"abu_hamza_medix")
    assert not webhook_signature_verify(secret=secret, header=header, body=tampered)
    assert not webhook_signature_verify(
        secret="another-secret", header=header, body=response.content
    )


def test_after_rotation_pages_are_signed_with_the_new_key(feeds, remove, administrator):
    remove("abu_hamza_media")
    feed, old_secret, token = feeds["x"]
    key, new_secret = feed_key_rotate(feed=feed, user=administrator)

    response, body = _page(feed_client(token))

    assert body["key_id"] == key.key_id
    header = response[SIGNATURE_HEADER]
    assert webhook_signature_verify(secret=new_secret, header=header, body=response.content)
    assert not webhook_signature_verify(secret=old_secret, header=header, body=response.content)


def test_a_withdrawn_signal_appears_as_withdrawn(feeds, remove, analyst):
    account = remove("abu_hamza_media")
    account_set_status(account=account, user=analyst, status=AccountStatus.REPORTED)

    _response, body = _page(feed_client(feeds["x"][2]))

    assert [(e["sequence"], e["action"]) for e in body["signals"]] == [
        (1, "added"),
        (2, "withdrawn"),
    ]
    assert body["signals"][1]["signals"]["handle"] == "abu_hamza_media"


def test_cursor_paging_loses_nothing_and_repeats_nothing(feeds, remove, analyst):
    accounts = [remove(f"removed_{n}") for n in range(7)]
    client = feed_client(feeds["x"][2])
    seen, cursor, pages = [], 0, 0
    while True:
        response, body = _page(client, cursor=cursor, limit=3)
        seen += [e["sequence"] for e in body["signals"]]
        assert response["X-Feed-Next-Cursor"] == str(body["next_cursor"])
        cursor, pages = body["next_cursor"], pages + 1
        if pages == 1:
            # Written while the platform is between pages: read on a later page.
            account_set_status(account=accounts[0], user=analyst, status=AccountStatus.REPORTED)
            remove("removed_late")
        if not body["has_more"]:
            break
    assert seen == list(range(1, 10))
    assert len(seen) == len(set(seen))
    _response, empty = _page(client, cursor=cursor)
    assert empty["signals"] == [] and empty["next_cursor"] == cursor


def test_a_token_of_one_platform_cannot_read_another(feeds, remove):
    remove("abuhamza_channel", "telegram")
    response = feed_client(feeds["x"][2]).get(PAGE.format("telegram"))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "wrong_feed"
    assert _page(feed_client(feeds["telegram"][2]), "telegram")[1]["count"] == 1


def test_a_feed_token_reads_nothing_but_its_feed(feeds):
    client = feed_client(feeds["x"][2])
    assert client.get("/api/v1/accounts/").status_code == 401


def test_anonymous_and_no_permission_are_refused(feeds, analyst, supervisor):
    assert APIClient().get(PAGE.format("x")).status_code == 401
    assert session_client(analyst).get(PAGE.format("x")).status_code == 403
    assert token_client(supervisor).get(PAGE.format("x")).status_code == 403


def test_an_administrator_reads_any_feed(feeds, administrator, remove):
    remove("abuhamza_channel", "telegram")
    assert _page(session_client(administrator), "telegram")[1]["count"] == 1


def test_a_revoked_token_is_refused(feeds, administrator):
    token = FeedToken.objects.get(feed=feeds["x"][0])
    feed_token_revoke(token=token, user=administrator)
    assert feed_client(feeds["x"][2]).get(PAGE.format("x")).status_code == 401


def test_bad_cursor_and_unknown_platform_are_clear_errors(feeds):
    client = feed_client(feeds["x"][2])
    response = client.get(PAGE.format("x"), {"cursor": "yesterday"})
    assert response.status_code == 400 and "cursor" in response.json()["error"]["fields"]
    assert client.get(PAGE.format("x"), {"limit": "0"}).status_code == 400
    assert client.get(PAGE.format("x"), {"cursor": "-1"}).status_code == 400
    assert FeedPull.objects.count() == 0
    assert client.get(PAGE.format("myspace")).status_code in (403, 404)


def test_a_feed_without_a_key_is_a_conflict(platforms, administrator):
    response = session_client(administrator).get(PAGE.format("tiktok"))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "no_feed_key"


def test_every_pull_writes_the_security_log(feeds, remove):
    remove("abu_hamza_media")
    client = feed_client(feeds["x"][2])
    before = SecurityEvent.objects.filter(kind="feed_pull").count()
    _page(client)
    client.get(PAGE.format("x") + "signals.csv")
    events = SecurityEvent.objects.filter(kind="feed_pull").order_by("pk")
    assert events.count() == before + 2
    assert events.last().username == "feed-x"
    assert "csv" in events.last().detail
    assert FeedPull.objects.filter(feed=feeds["x"][0]).count() == 2


def test_csv_download_has_the_hash_sharing_layout(feeds, remove):
    group = GroupFactory(name="Example Front")
    remove("abu_hamza_media", groups=[group], avatar=good_avatar(5))
    _feed, secret, token = feeds["x"]

    response = feed_client(token).get(PAGE.format("x") + "signals.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert webhook_signature_verify(
        secret=secret, header=response[SIGNATURE_HEADER], body=response.content
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert {row[1] for row in rows[1:]} == {"pdq", "md5", "sha256"}
    labels = rows[1][2].split(";")
    assert "group:Example Front" in labels and "platform:x" in labels
    assert all(row[4] == "added" for row in rows[1:])


def test_json_download_is_the_same_entries(feeds, remove):
    remove("abu_hamza_media")
    remove("abu_hamza_news")
    response = feed_client(feeds["x"][2]).get(PAGE.format("x") + "signals.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    body = json.loads(response.content)
    assert [e["signals"]["handle"] for e in body["signals"]] == [
        "abu_hamza_media",
        "abu_hamza_news",
    ]


def test_the_query_count_of_a_page_is_bounded(feeds, remove, django_assert_max_num_queries):
    for n in range(12):
        remove(f"removed_{n}", groups=[GroupFactory()])
    client = feed_client(feeds["x"][2])
    _page(client, limit=2)  # token's last use written, caches warm
    with django_assert_max_num_queries(8):
        _response, body = _page(client, limit=12)
    assert body["count"] == 12
