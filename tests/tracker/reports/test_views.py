"""The reports page and the `reports` API: build, list, download; analysts and strangers are
refused."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.api_fixtures import token_client
from tracker.reports.models import ComplianceReport

from .conftest import NOVEMBER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_supervisor_builds_a_report_on_the_page_and_downloads_it(client, supervisor, november):
    client.force_login(supervisor)
    response = client.post(
        reverse("reports:index"),
        {"start": "2026-11-01", "last_day": "2026-11-30", "platform": november.x.pk},
    )
    assert response.status_code == 302
    report = ComplianceReport.objects.get()
    assert (report.period_start, report.period_end, report.platform) == (*NOVEMBER, november.x)
    assert report.created_by == supervisor

    page = client.get(reverse("reports:index")).content.decode()
    pdf_link = reverse("reports:file", args=[report.pk, "pdf"])
    assert pdf_link in page
    download = client.get(pdf_link)
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_page_refuses_a_period_that_ends_before_it_starts(client, supervisor):
    client.force_login(supervisor)
    response = client.post(
        reverse("reports:index"), {"start": "2026-11-30", "last_day": "2026-11-01"}, follow=True
    )
    assert "The period must end after it starts." in response.content.decode()
    assert not ComplianceReport.objects.exists()


def test_analyst_may_not_open_or_build_reports(client, analyst):
    client.force_login(analyst)
    assert client.get(reverse("reports:index")).status_code == 403
    response = client.post(
        reverse("reports:index"), {"start": "2026-11-01", "last_day": "2026-11-30"}
    )
    assert response.status_code == 403
    assert not ComplianceReport.objects.exists()


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(reverse("reports:index"))
    assert response.status_code == 302 and "/auth/login/" in response["Location"]


def test_api_builds_lists_and_serves_the_files(supervisor, november):
    api = token_client(supervisor)
    created = api.post(
        "/api/v1/reports/",
        {"start": "2026-11-01", "end": "2026-12-01", "platform": "x"},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["platform"] == "x"
    assert body["figures"]["deadline"] == {"decided": 4, "within": 1, "share": 0.25}

    listed = api.get("/api/v1/reports/").json()
    assert [r["id"] for r in listed["results"]] == [body["id"]]
    csv_file = api.get(body["csv"])
    assert csv_file.status_code == 200
    assert b"time_to_action" in b"".join(csv_file.streaming_content)


def test_api_answers_400_for_a_bad_period(supervisor):
    response = token_client(supervisor).post(
        "/api/v1/reports/", {"start": "2026-11-01", "end": "2026-10-01"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"].get("end") or response.json()["error"]["message"]


@pytest.mark.parametrize("who", ["analyst", "anonymous"])
def test_api_refuses_analysts_and_strangers(who, analyst):
    client = token_client(analyst) if who == "analyst" else APIClient()
    response = client.post(
        "/api/v1/reports/", {"start": "2026-11-01", "end": "2026-12-01"}, format="json"
    )
    assert response.status_code == (403 if who == "analyst" else 401)
    assert not ComplianceReport.objects.exists()


def test_schema_documents_the_reports_resource(supervisor):
    paths = token_client(supervisor).get("/api/schema/").json()["paths"]
    assert {"/api/v1/reports/", "/api/v1/reports/{id}/", "/api/v1/reports/{id}/file/"} <= set(paths)


def test_api_answers_404_for_a_report_id_that_is_no_number(supervisor):
    response = token_client(supervisor).get("/api/v1/reports/false/file/?kind=csv")
    assert response.status_code == 404


def test_the_page_and_the_api_order_reports_by_the_one_declaration(client, supervisor):
    api = token_client(supervisor)
    ids = [
        api.post("/api/v1/reports/", {"start": start, "end": end}, format="json").json()["id"]
        for start, end in (("2026-09-01", "2026-10-01"), ("2026-10-01", "2026-11-01"))
    ]

    newest_first = api.get("/api/v1/reports/").json()["results"]
    oldest_first = api.get("/api/v1/reports/?ordering=created_at").json()["results"]
    assert [r["id"] for r in newest_first] == ids[::-1]
    assert [r["id"] for r in oldest_first] == ids
    refused = api.get("/api/v1/reports/?ordering=period_start")
    assert refused.status_code == 400

    client.force_login(supervisor)
    page = client.get(reverse("reports:index")).content.decode()
    links = [page.index(reverse("reports:file", args=[pk, "pdf"])) for pk in ids]
    assert links[1] < links[0]


def test_api_refuses_an_empty_format_for_a_report_file(supervisor):
    api = token_client(supervisor)
    report = api.post(
        "/api/v1/reports/", {"start": "2026-11-01", "end": "2026-12-01"}, format="json"
    )
    file_url = f"/api/v1/reports/{report.json()['id']}/file/?kind=csv"

    assert api.get(file_url + "&format=").status_code == 404
    assert api.get(file_url + "&format=csv").status_code == 200
