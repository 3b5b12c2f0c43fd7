"""The mirror review page and the mirror API read a fixed number of queries, however many
suggestions wait and however many groups their accounts are in."""

import pytest
from django.urls import reverse

from tests.factories import GroupFactory, MirrorCandidateFactory

pytestmark = pytest.mark.django_db

SIZES = [3, 30]


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


@pytest.mark.parametrize("rows", SIZES)
def test_the_review_page_reads_a_fixed_number_of_queries(
    rows, queue, client, supervisor, django_assert_max_num_queries
):
    candidate = queue(rows)[rows // 2]
    client.force_login(supervisor)
    url = reverse("accounts:mirror_review", args=[candidate.pk])

    with django_assert_max_num_queries(QUERIES["review"]):
        response = client.get(url)

    assert response.status_code == 200
    assert reverse("accounts:mirror_confirm", args=[candidate.pk]) in response.content.decode()


@pytest.mark.parametrize("rows", SIZES)
def test_the_queue_reads_a_fixed_number_of_queries(
    rows, queue, client, supervisor, django_assert_max_num_queries
):
    queue(rows)
    client.force_login(supervisor)

    with django_assert_max_num_queries(QUERIES["queue"]):
        response = client.get(reverse("accounts:mirror_queue"))

    assert response.status_code == 302


@pytest.mark.parametrize("rows", SIZES)
def test_the_suggestion_list_api_reads_a_fixed_number_of_queries(
    rows, queue, supervisor_api, django_assert_max_num_queries
):
    queue(rows)
    supervisor_api.get("/api/v1/me/")  # the token's first use of the hour is logged

    with django_assert_max_num_queries(QUERIES["api_list"]):
        response = supervisor_api.get("/api/v1/mirror-candidates/", {"page_size": 100})

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", SIZES)
def test_a_suggestion_in_the_api_reads_a_fixed_number_of_queries(
    rows, queue, supervisor_api, django_assert_max_num_queries
):
    candidate = queue(rows)[0]
    supervisor_api.get("/api/v1/me/")

    with django_assert_max_num_queries(QUERIES["api_detail"]):
        response = supervisor_api.get(f"/api/v1/mirror-candidates/{candidate.pk}/")

    assert response.json()["id"] == candidate.pk


@pytest.mark.parametrize("rows", SIZES)
def test_a_decision_in_the_api_reads_a_fixed_number_of_queries(
    rows, queue, supervisor_api, django_assert_max_num_queries
):
    candidate = queue(rows)[0]
    supervisor_api.get("/api/v1/me/")

    with django_assert_max_num_queries(QUERIES["api_decide"]):
        response = supervisor_api.post(f"/api/v1/mirror-candidates/{candidate.pk}/reject/")

    assert response.json()["status"] == "rejected"


# Measured at both sizes; none grows with the rows (select_related and prefetch_related in
# accounts/mirror_selectors.py and accounts/selectors.py).
QUERIES = {"review": 10, "queue": 5, "api_list": 3, "api_detail": 3, "api_decide": 9}
