"""Building, storing and mailing reports; the monthly job builds each month's report once."""

import csv
import io
from datetime import date
from unittest import mock

import pytest
from django.core import mail
from django.db import IntegrityError
from pypdf import PdfReader

from core.errors import DomainError, NotAllowed
from tracker.reports.models import ComplianceReport, ReportSchedule
from tracker.reports.services import compliance_report_create, compliance_reports_monthly
from tracker.tasks import compliance_report_monthly_task

from .conftest import NOVEMBER, NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.COMPLIANCE_REPORT_PLATFORMS = []


def test_report_is_stored_with_pdf_and_csv_holding_its_figures(november, supervisor):
    start, end = NOVEMBER
    report = compliance_report_create(user=supervisor, start=start, end=end, platform=november.x)

    assert report.schedule == ReportSchedule.ON_DEMAND
    assert report.figures["deadline"] == {"decided": 4, "within": 1, "share": 0.25}
    with report.pdf.open("rb") as pdf:
        text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Compliance report, X, 2026-11-01 to 2026-11-30" in " ".join(text.split())
    assert "25.0% (1 / 4)" in text
    assert "Parody account" in text
    assert "mirror_one" in text and "mirror_two" in text
    with report.csv.open("rb") as table:
        rows = list(csv.reader(io.StringIO(table.read().decode("utf-8-sig"))))
    assert ["time_to_action", "actioned", "p90_hours", "55.0"] in rows
    assert ["requests", "removal", "rejected", "1"] in rows


def test_analyst_may_not_build_a_report(analyst):
    with pytest.raises(NotAllowed):
        compliance_report_create(user=analyst, start=date(2026, 11, 1), end=date(2026, 12, 1))
    assert not ComplianceReport.objects.exists()


def test_a_period_must_end_after_it_starts(supervisor):
    with pytest.raises(DomainError):
        compliance_report_create(user=supervisor, start=date(2026, 11, 1), end=date(2026, 11, 1))


def test_monthly_job_builds_last_month_once_and_mails_supervisors_once(november, supervisor):
    supervisor.email = "supervisor@example.org"
    supervisor.save()

    first = compliance_reports_monthly(now=NOW)
    second = compliance_reports_monthly(now=NOW)

    assert len(first) == 1 and second == []
    report = ComplianceReport.objects.get()
    assert (report.schedule, report.period_start, report.period_end, report.platform) == (
        ReportSchedule.MONTHLY,
        *NOVEMBER,
        None,
    )
    assert report.figures["requests"]["total"] == 7
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.bcc == ["supervisor@example.org"]
    assert sorted(name for name, _content, _type in message.attachments) == [
        "compliance-all-20261101-20261201.csv",
        "compliance-all-20261101-20261201.pdf",
    ]
    assert report.emailed_at is not None


def test_monthly_task_twice_keeps_one_report_per_month_and_scope(november, settings):
    settings.COMPLIANCE_REPORT_PLATFORMS = ["x"]
    with mock.patch("tracker.reports.services.timezone.now", return_value=NOW):
        assert compliance_report_monthly_task() == 2
        assert compliance_report_monthly_task() == 0
    scopes = sorted(
        (r.platform.slug if r.platform else "all")
        for r in ComplianceReport.objects.filter(schedule=ReportSchedule.MONTHLY)
    )
    assert scopes == ["all", "x"]


def test_the_database_refuses_a_second_monthly_report_for_a_scope(november):
    compliance_reports_monthly(now=NOW)
    report = ComplianceReport.objects.get()
    report.pk = None
    with pytest.raises(IntegrityError):
        report.save()


def test_a_period_far_outside_the_tracker_years_is_refused(supervisor):
    with pytest.raises(DomainError) as refused:
        compliance_report_create(user=supervisor, start=date(1, 1, 1), end=date(1, 1, 2))
    assert refused.value.field == "start"
