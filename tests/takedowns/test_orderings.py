"""One ordering declaration for the takedown list: the request list page's sort links and the
API's `?ordering=` speak the same keys and sort the same way."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from takedowns.choices import RequestStatus
from takedowns.models import TakedownRequest
from takedowns.orderings import TAKEDOWN_ORDERING
from tests.factories import TakedownFactory

pytestmark = pytest.mark.django_db
KEYS = [sign + key for key in TAKEDOWN_ORDERING.fields for sign in ("", "-")]


@pytest.fixture
def requests_to_sort(platforms):
    now = timezone.now()
    made = []
    for index, (slug, status) in enumerate(
        [
            ("x", RequestStatus.SUBMITTED),
            ("telegram", RequestStatus.DRAFT),
            ("facebook", RequestStatus.ACKNOWLEDGED),
            ("x", RequestStatus.APPROVED),
            ("telegram", RequestStatus.SUBMITTED),
        ]
    ):
        takedown = TakedownFactory(platform=platforms[slug], status=status)
        due = now + timedelta(hours=10 - 3 * index) if index % 2 == 0 else None
        TakedownRequest.objects.filter(pk=takedown.pk).update(
            due_at=due, created_at=now - timedelta(hours=index % 3)
        )
        made.append(takedown)
    return made


def api_ids(client, ordering: str) -> list[int]:
    ids, url = [], f"/api/v1/takedowns/?page_size=2&ordering={ordering}"
    while url:
        body = client.get(url).json()
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
    return ids


@pytest.mark.parametrize("key", KEYS)
def test_page_and_api_sort_by_the_same_keys_in_the_same_order(
    key, requests_to_sort, client, supervisor, supervisor_api
):
    client.force_login(supervisor)

    page = client.get(reverse("takedowns:list"), {"sort": key})

    page_ids = [t.pk for t in page.context["page"].object_list]
    assert page_ids == api_ids(supervisor_api, key)
    assert page.context["current_sort"] == key


def test_the_pages_old_sort_keys_still_work(requests_to_sort, client, supervisor):
    client.force_login(supervisor)

    for old, new in (("due", "due_at"), ("-created", "-created_at"), ("ref", "id")):
        page = client.get(reverse("takedowns:list"), {"sort": old})
        assert page.context["current_sort"] == new


def test_sort_links_carry_the_apis_keys(requests_to_sort, client, supervisor):
    client.force_login(supervisor)

    html = client.get(reverse("takedowns:list")).content.decode()

    for key in ("id", "platform", "status", "due_at", "created_at"):
        assert f"sort={key}" in html or f"sort=-{key}" in html
