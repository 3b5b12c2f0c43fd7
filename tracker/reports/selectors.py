"""Reads of stored reports."""

from django.db.models import QuerySet

from .models import ComplianceReport


def report_list() -> QuerySet[ComplianceReport]:
    """Stored reports, newest first, with platform and author loaded."""
    return ComplianceReport.objects.select_related("platform", "created_by").order_by(
        "-created_at", "-id"
    )
