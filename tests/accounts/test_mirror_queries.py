"""The mirror review page and the mirror API read a fixed number of queries, however many
suggestions wait and however many groups their accounts are in (both sides are loaded by
accounts/mirror_selectors.py and accounts/selectors.py with their joins)."""

import pytest
from django.urls import reverse

from tests.conftest import QUERY_SIZES
from tests.factories import GroupFactory, MirrorCandidateFactory

pytestmark = [pytest.mark.django_db, pytest.mark.parametrize("rows", QUERY_SIZES)]


@pytest.fixture
def queue(platforms):
    """`rows` suggestions, each account in `rows` groups (shared by both sides)."""

    def make(rows: int):
        groups = GroupFactory.create_batch(rows)
        candidates = [
            MirrorCandidateFactory(
                removed_account__platform=platforms["x"], score=0.5 + n / (rows * 10)
            )
            for n in range(rows)
        ]
        for candidate in candidates:
            candidate.account.groups.set(groups)
            candidate.removed_account.groups.set(groups)
        return candidates

    return make


def test_the_review_page_reads_10_queries(rows, queue, client, supervisor, counted_get):
    candidate = queue(rows)[rows // 2]
    client.force_login(supervisor)

    response = counted_get(client, reverse("accounts:mirror_review", args=[candidate.pk]), 10)

    assert reverse("accounts:mirror_confirm", args=[candidate.pk]) in response.content.decode()


def test_the_queue_reads_5_queries(rows, queue, client, supervisor, counted_get):
    queue(rows)
    client.force_login(supervisor)

    assert counted_get(client, reverse("accounts:mirror_queue"), 5).status_code == 302


def test_the_suggestion_list_api_reads_3_queries(rows, queue, supervisor_api, counted_get):
    queue(rows)

    response = counted_get(supervisor_api, "/api/v1/mirror-candidates/", 3, page_size=100)

    assert len(response.json()["results"]) == rows


def test_a_suggestion_in_the_api_reads_3_queries(rows, queue, supervisor_api, counted_get):
    candidate = queue(rows)[0]

    response = counted_get(supervisor_api, f"/api/v1/mirror-candidates/{candidate.pk}/", 3)

    assert response.json()["id"] == candidate.pk


def test_a_decision_in_the_api_reads_16_queries(rows, queue, supervisor_api, counted_get):
    url = f"/api/v1/mirror-candidates/{queue(rows)[0].pk}/reject/"

    # 9 for the decision itself; 7 for the prevention feed, which checks in the same transaction
    # whether the decided account's signals are now to be shared or withdrawn (a savepoint, the
    # account with its groups and designations, its feed and its last feed entry).
    assert counted_get(supervisor_api, url, 16, method="post").json()["status"] == "rejected"
