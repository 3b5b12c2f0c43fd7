"""The reports page: build a report for a period and scope, and every past one to download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.views import call_service

from .forms import ReportForm
from .models import ComplianceReport
from .selectors import report_list
from .services import compliance_report_create

VIEW_PERMISSION = "tracker.view_compliancereport"


@login_required
@permission_required(VIEW_PERMISSION, raise_exception=True)
def report_index(request):
    """GET: the form and the past reports; POST: build one."""
    form = ReportForm(request.POST or None, initial=ReportForm.last_month_initial())
    if request.method == "POST" and form.is_valid():
        report = call_service(
            request, compliance_report_create, user=request.user, **form.service_kwargs()
        )
        if report is not None:
            messages.success(request, _("The report is ready: %(report)s.") % {"report": report})
            return redirect("reports:index")
    return render(
        request,
        "tracker/reports.html",
        {
            "form": form,
            "reports": report_list()[:100],
            "can_build": request.user.has_perm("tracker.add_compliancereport"),
        },
    )


def report_file_response(report: ComplianceReport, kind: str) -> FileResponse:
    """The stored PDF or CSV of a report as a download."""
    if kind not in ("pdf", "csv"):
        raise Http404
    stored = getattr(report, kind)
    content_type = "application/pdf" if kind == "pdf" else "text/csv; charset=utf-8"
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=stored.name.rsplit("/", 1)[-1],
        content_type=content_type,
    )


@login_required
@permission_required(VIEW_PERMISSION, raise_exception=True)
def report_file(request, pk: int, kind: str):
    """Download one stored report file."""
    return report_file_response(get_object_or_404(ComplianceReport, pk=pk), kind)
