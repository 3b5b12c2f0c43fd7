"""One ordering declaration per list (accounts/orderings.py), read by pages and API alike."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.api.views import (
    AccountViewSet,
    DesignationViewSet,
    GroupViewSet,
    MirrorCandidateViewSet,
)
from accounts.orderings import (
    ACCOUNT_ORDERING,
    DESIGNATION_ORDERING,
    GROUP_ORDERING,
    MIRROR_CANDIDATE_ORDERING,
)
from tests.factories import AccountFactory


@pytest.mark.parametrize(
    ("viewset", "ordering"),
    [
        (AccountViewSet, ACCOUNT_ORDERING),
        (GroupViewSet, GROUP_ORDERING),
        (DesignationViewSet, DESIGNATION_ORDERING),
        (MirrorCandidateViewSet, MIRROR_CANDIDATE_ORDERING),
    ],
)
def test_the_api_reads_the_declared_keys_and_default(viewset, ordering):
    assert viewset.ordering == ordering.default
    assert viewset.ordering_fields.items() <= ordering.fields.items()


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["first_seen_at", "-first_seen_at", "handle", "-handle"])
def test_page_and_api_sort_the_accounts_alike_with_the_same_key(
    key, client, analyst, analyst_api, platforms
):
    now = timezone.now()
    for n, handle in enumerate(["charlie", "alpha", "bravo"]):
        AccountFactory(platform=platforms["x"], handle=handle, first_seen_at=now - timedelta(n))
    client.force_login(analyst)

    page = client.get(reverse("accounts:list"), {"sort": key})
    api = analyst_api.get("/api/v1/accounts/", {"ordering": key}).json()

    assert [a.handle for a in page.context["page"]] == [a["handle"] for a in api["results"]]
