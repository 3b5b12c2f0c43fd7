"""The dashboard and the stats API read a fixed number of queries however many requests,
accounts, mirrors and suggestions there are."""

import pytest
from django.urls import reverse

from takedowns.choices import RequestStatus
from tests.factories import MirrorCandidateFactory, removed_with_mirror, submitted_takedown

pytestmark = pytest.mark.django_db

SIZES = [3, 30]


@pytest.fixture(autouse=True)
def _no_cached_figures(settings):
    settings.TRACKER_STATS_CACHE_SECONDS = 0


@pytest.fixture
def busy(platforms, analyst, supervisor):
    """`rows` requests of each state the dashboard lists, mirrors and suggestions."""
    from datetime import timedelta

    from tests.factories import TakedownFactory

    def make(rows: int):
        for n in range(rows):
            TakedownFactory(
                platform=platforms["x"], created_by=analyst, status=RequestStatus.PENDING_APPROVAL
            )
            submitted_takedown(supervisor=supervisor, due_in=timedelta(hours=n - rows // 2))
            removed_with_mirror(platform=platforms["telegram"])
            MirrorCandidateFactory(removed_account__platform=platforms["x"])

    return make


@pytest.mark.parametrize("rows", SIZES)
def test_the_dashboard_reads_a_fixed_number_of_queries(
    rows, busy, client, supervisor, django_assert_max_num_queries
):
    busy(rows)
    client.force_login(supervisor)

    with django_assert_max_num_queries(QUERIES["dashboard"]):
        response = client.get(reverse("dashboard"))

    assert response.status_code == 200


@pytest.mark.parametrize("rows", SIZES)
def test_the_stats_api_reads_a_fixed_number_of_queries(
    rows, busy, supervisor_api, django_assert_max_num_queries
):
    busy(rows)
    supervisor_api.get("/api/v1/me/")  # the token's first use of the hour is logged

    with django_assert_max_num_queries(QUERIES["stats"]):
        response = supervisor_api.get("/api/v1/stats/")

    assert response.json()["mirrors"]["confirmed"] == rows


# Measured at both sizes.
QUERIES = {"dashboard": 22, "stats": 15}
