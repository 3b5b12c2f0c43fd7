"""The dashboard and the stats API read a fixed number of queries however many requests,
accounts, mirrors and suggestions there are."""

from datetime import timedelta

import pytest
from django.urls import reverse

from takedowns.choices import RequestStatus
from tests.conftest import QUERY_SIZES
from tests.factories import (
    MirrorCandidateFactory,
    TakedownFactory,
    removed_with_mirror,
    submitted_takedown,
)

pytestmark = [pytest.mark.django_db, pytest.mark.parametrize("rows", QUERY_SIZES)]


@pytest.fixture(autouse=True)
def _no_cached_figures(settings):
    settings.TRACKER_STATS_CACHE_SECONDS = 0


@pytest.fixture
def busy(platforms, analyst, supervisor):
    """`rows` requests of each state the dashboard lists, mirrors and suggestions."""

    def make(rows: int):
        for n in range(rows):
            TakedownFactory(
                platform=platforms["x"], created_by=analyst, status=RequestStatus.PENDING_APPROVAL
            )
            submitted_takedown(supervisor=supervisor, due_in=timedelta(hours=n - rows // 2))
            removed_with_mirror(platform=platforms["telegram"])
            MirrorCandidateFactory(removed_account__platform=platforms["x"])

    return make


def test_the_dashboard_reads_22_queries(rows, busy, client, supervisor, counted_get):
    busy(rows)
    client.force_login(supervisor)

    assert counted_get(client, reverse("dashboard"), 22).status_code == 200


def test_the_stats_api_reads_15_queries(rows, busy, supervisor_api, counted_get):
    busy(rows)

    response = counted_get(supervisor_api, "/api/v1/stats/", 15)

    assert response.json()["mirrors"]["confirmed"] == rows
