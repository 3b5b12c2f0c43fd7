"""Writing compliance reports: build and store one, the monthly job's reports (never twice for
a month and scope) and the e-mail that sends them to the supervisors."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Platform
from core.errors import DomainError
from core.permissions import require_permission
from tracker.roles import SUPERVISOR

from .documents import report_csv, report_pdf, report_title
from .figures import compliance_figures
from .models import ComplianceReport, ReportSchedule

REPORT_PERMISSION = "tracker.add_compliancereport"
MAX_PERIOD_DAYS = 366
# Dates a report may cover (far outside, time-zone arithmetic overflows).
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 1, 1)


def _file_stem(*, start: date, end: date, platform: Platform | None) -> str:
    return f"compliance-{platform.slug if platform else 'all'}-{start:%Y%m%d}-{end:%Y%m%d}"


def _build(*, start, end, platform, schedule, user, now) -> ComplianceReport:
    figures = compliance_figures(start=start, end=end, platform=platform, now=now)
    stem = _file_stem(start=start, end=end, platform=platform)
    report = ComplianceReport(
        period_start=start,
        period_end=end,
        platform=platform,
        schedule=schedule,
        figures=figures,
        created_by=user,
    )
    report.pdf.save(f"{stem}.pdf", ContentFile(report_pdf(figures)), save=False)
    report.csv.save(f"{stem}.csv", ContentFile(report_csv(figures)), save=False)
    report.save()
    return report


@transaction.atomic
def compliance_report_create(
    *, user, start: date, end: date, platform: Platform | None = None
) -> ComplianceReport:
    """Build a report for [start, end) over one platform or all, and keep it listed."""
    require_permission(user, REPORT_PERMISSION)
    if start < EARLIEST or end > LATEST:
        raise DomainError(
            _("Give a period between %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
            field="start",
        )
    if end <= start:
        raise DomainError(_("The period must end after it starts."), field="end")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise DomainError(
            _("A report covers at most %(days)s days.") % {"days": MAX_PERIOD_DAYS}, field="end"
        )
    return _build(
        start=start,
        end=end,
        platform=platform,
        schedule=ReportSchedule.ON_DEMAND,
        user=user,
        now=timezone.now(),
    )


def previous_month(today: date) -> tuple[date, date]:
    """The first day of last month and the first day of this month."""
    end = today.replace(day=1)
    return (end - timedelta(days=1)).replace(day=1), end


def monthly_scopes() -> list[Platform | None]:
    """All platforms together, then each platform named in COMPLIANCE_REPORT_PLATFORMS."""
    slugs = settings.COMPLIANCE_REPORT_PLATFORMS
    return [None, *Platform.objects.filter(slug__in=slugs).order_by("name")]


def compliance_reports_monthly(*, now=None) -> list[ComplianceReport]:
    """Last month's report for every scope that has none yet, then e-mail what is unsent.

    Safe to run any number of times: the unique constraint on (month, scope) of monthly reports
    makes a second build roll back, and each report is e-mailed once.
    """
    now = now or timezone.now()
    start, end = previous_month(timezone.localdate(now))
    built = []
    for platform in monthly_scopes():
        exists = ComplianceReport.objects.filter(
            schedule=ReportSchedule.MONTHLY, period_start=start, period_end=end, platform=platform
        ).exists()
        if exists:
            continue
        try:
            with transaction.atomic():
                built.append(
                    _build(
                        start=start,
                        end=end,
                        platform=platform,
                        schedule=ReportSchedule.MONTHLY,
                        user=None,
                        now=now,
                    )
                )
        except IntegrityError:
            continue  # another worker built it meanwhile
    for report in ComplianceReport.objects.filter(
        schedule=ReportSchedule.MONTHLY, emailed_at__isnull=True
    ):
        compliance_report_email(report_id=report.pk)
    return built


def supervisors_to_email():
    """Active supervisors with an address who take e-mail notifications."""
    return (
        get_user_model()
        .objects.filter(groups__name=SUPERVISOR, is_active=True, email_notifications=True)
        .exclude(email="")
        .order_by("pk")
        .distinct()
    )


@transaction.atomic
def compliance_report_email(*, report_id: int) -> bool:
    """Send the report's PDF and CSV to the supervisors once; False if it was already sent."""
    report = ComplianceReport.objects.select_for_update().get(pk=report_id)
    if report.emailed_at is not None:
        return False
    recipients = list(supervisors_to_email().values_list("email", flat=True))
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):
            title = report_title(
                start=report.period_start,
                last_day=report.period_end - timedelta(days=1),
                platform_name=report.platform.name if report.platform_id else None,
            )
            message = EmailMessage(
                subject=title,
                body=_(
                    "The compliance report is attached as PDF and CSV; it is also listed "
                    "under Reports in the tracker."
                ),
                to=[settings.DEFAULT_FROM_EMAIL],
                bcc=recipients,
            )
            with report.pdf.open("rb") as pdf:
                message.attach(report.pdf.name.rsplit("/", 1)[-1], pdf.read(), "application/pdf")
            with report.csv.open("rb") as table:
                message.attach(report.csv.name.rsplit("/", 1)[-1], table.read(), "text/csv")
            message.send()
    report.emailed_at = timezone.now()
    report.save(update_fields=["emailed_at"])
    return True
