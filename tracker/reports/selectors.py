"""Reads of stored reports."""

from django.db.models import QuerySet

from .models import ComplianceReport
from .orderings import REPORT_ORDERING


def report_list(*, ordering: str | None = None) -> QuerySet[ComplianceReport]:
    """Stored reports with platform and author loaded, in REPORT_ORDERING (newest first unless
    another key is asked for)."""
    reports = ComplianceReport.objects.select_related("platform", "created_by")
    return REPORT_ORDERING.apply(reports, ordering)
