"""The reports page and the reports API read a fixed number of queries however many reports
are stored."""

from datetime import date

import pytest
from django.urls import reverse

from tracker.reports.models import ComplianceReport

pytestmark = pytest.mark.django_db

SIZES = [3, 30]


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


@pytest.mark.parametrize("rows", SIZES)
def test_the_reports_page_reads_a_fixed_number_of_queries(
    rows, stored, client, supervisor, django_assert_max_num_queries
):
    stored(rows)
    client.force_login(supervisor)

    with django_assert_max_num_queries(QUERIES["page"]):
        response = client.get(reverse("reports:index"))

    assert response.content.decode().count("/pdf/") == rows


@pytest.mark.parametrize("rows", SIZES)
def test_the_report_list_api_reads_a_fixed_number_of_queries(
    rows, stored, supervisor_api, django_assert_max_num_queries
):
    stored(rows)
    supervisor_api.get("/api/v1/me/")  # the token's first use of the hour is logged

    with django_assert_max_num_queries(QUERIES["api_list"]):
        response = supervisor_api.get("/api/v1/reports/", {"page_size": 100})

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", SIZES)
def test_a_report_in_the_api_reads_a_fixed_number_of_queries(
    rows, stored, supervisor_api, django_assert_max_num_queries
):
    report = stored(rows)[-1]
    supervisor_api.get("/api/v1/me/")

    with django_assert_max_num_queries(QUERIES["api_detail"]):
        response = supervisor_api.get(f"/api/v1/reports/{report.pk}/")

    assert response.json()["figures"] == report.figures


# Measured at both sizes; report_list() loads the platform and the author with each report.
QUERIES = {"page": 6, "api_list": 3, "api_detail": 3}
