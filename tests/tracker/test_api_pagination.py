"""Keyset pagination: every row once, in order, forwards and backwards, ties and NULLs too."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import FlaggedAccount
from takedowns.models import TakedownRequest
from tests.factories import AccountFactory, TakedownFactory

pytestmark = pytest.mark.django_db


def walk(client, url, link="next"):
    pages, ids = 0, []
    while url:
        body = client.get(url).json()
        ids.extend(row["id"] for row in body["results"])
        url = body[link]
        pages += 1
    return ids, pages


@pytest.fixture
def accounts(platforms):
    now = timezone.now()
    made = AccountFactory.create_batch(11, platform=platforms["x"])
    # Four share one timestamp: the primary key must break the tie without losing a row.
    for index, account in enumerate(made):
        seen = now - timedelta(hours=index if index < 7 else 7)
        FlaggedAccount.objects.filter(pk=account.pk).update(first_seen_at=seen)
    return FlaggedAccount.objects.order_by("-first_seen_at", "-id")


def test_walking_next_links_yields_every_row_once_in_order(accounts, supervisor_api):
    ids, pages = walk(supervisor_api, "/api/v1/accounts/?page_size=3")

    assert ids == [a.pk for a in accounts]
    assert pages == 4


def test_previous_links_walk_back_to_the_first_page(accounts, supervisor_api):
    url = "/api/v1/accounts/?page_size=3"
    pages = []
    while url:
        body = supervisor_api.get(url).json()
        pages.append([row["id"] for row in body["results"]])
        url = body["next"]
    last = supervisor_api.get(
        "/api/v1/accounts/?page_size=3&cursor="
        + supervisor_api.get("/api/v1/accounts/?page_size=3").json()["next"].split("cursor=")[1]
    ).json()
    back = supervisor_api.get(last["previous"]).json()

    assert [row["id"] for row in back["results"]] == pages[0]
    assert back["previous"] is None


def test_ascending_order_by_handle(accounts, supervisor_api):
    ids, _pages = walk(supervisor_api, "/api/v1/accounts/?page_size=4&ordering=handle")

    assert ids == list(
        FlaggedAccount.objects.order_by("handle_normalized", "id").values_list("id", flat=True)
    )


def test_nullable_ordering_puts_nulls_last_both_ways(platforms, analyst, supervisor_api):
    now = timezone.now()
    made = [TakedownFactory(platform=platforms["x"], created_by=analyst) for _ in range(7)]
    for index, takedown in enumerate(made[:4]):
        TakedownRequest.objects.filter(pk=takedown.pk).update(due_at=now + timedelta(hours=index))

    ascending, _ = walk(supervisor_api, "/api/v1/takedowns/?page_size=2&ordering=due_at")
    descending, _ = walk(supervisor_api, "/api/v1/takedowns/?page_size=2&ordering=-due_at")

    dated = [t.pk for t in made[:4]]
    undated_up = sorted(t.pk for t in made[4:])
    assert ascending == dated + undated_up
    assert descending == dated[::-1] + undated_up[::-1]


def test_previous_from_a_page_of_nulls_comes_back_through_the_dated_rows(
    platforms, analyst, supervisor_api
):
    now = timezone.now()
    made = [TakedownFactory(platform=platforms["x"], created_by=analyst) for _ in range(4)]
    for index, takedown in enumerate(made[:2]):
        TakedownRequest.objects.filter(pk=takedown.pk).update(due_at=now + timedelta(hours=index))

    ids, _ = walk(supervisor_api, "/api/v1/takedowns/?page_size=1&ordering=due_at")
    url = "/api/v1/takedowns/?page_size=1&ordering=due_at"
    for _ in range(3):
        url = supervisor_api.get(url).json()["next"]
    backwards, _ = walk(supervisor_api, url, link="previous")

    assert backwards == ids[::-1]


def test_an_empty_list_has_no_links(supervisor_api, platforms):
    body = supervisor_api.get("/api/v1/accounts/").json()

    assert body == {"next": None, "previous": None, "results": []}
