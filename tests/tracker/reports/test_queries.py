"""The reports page and the reports API read a fixed number of queries however many reports
are stored (report_list() loads the platform and the author with each report)."""

from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import QUERY_SIZES
from tracker.reports.models import ComplianceReport

pytestmark = [pytest.mark.django_db, pytest.mark.parametrize("rows", QUERY_SIZES)]


@pytest.fixture
def stored(platforms, supervisor):
    def make(rows: int):
        return [
            ComplianceReport.objects.create(
                period_start=date(2026, 11, 1),
                period_end=date(2026, 12, 1),
                platform=platforms["x"] if n % 2 else None,
                figures={"requests": {"total": n}},
                pdf=f"reports/2026/12/r{n}.pdf",
                csv=f"reports/2026/12/r{n}.csv",
                created_by=supervisor if n % 3 else None,
            )
            for n in range(rows)
        ]

    return make


def test_the_reports_page_reads_6_queries(rows, stored, client, supervisor, counted_get):
    stored(rows)
    client.force_login(supervisor)

    response = counted_get(client, reverse("reports:index"), 6)

    assert response.content.decode().count("/pdf/") == rows


def test_the_report_list_api_reads_3_queries(rows, stored, supervisor_api, counted_get):
    stored(rows)

    response = counted_get(supervisor_api, "/api/v1/reports/", 3, page_size=100)

    assert len(response.json()["results"]) == rows


def test_a_report_in_the_api_reads_3_queries(rows, stored, supervisor_api, counted_get):
    report = stored(rows)[-1]

    response = counted_get(supervisor_api, f"/api/v1/reports/{report.pk}/", 3)

    assert response.json()["figures"] == report.figures
