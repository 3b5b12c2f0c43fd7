"""Stored compliance reports; tracker/models.py imports this module so that Django registers
the model under the tracker app."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Platform


class ReportSchedule(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    ON_DEMAND = "on_demand", _("On demand")


class ComplianceReport(models.Model):
    """One report's period, scope, figures and files; at most one monthly report per month
    and scope."""

    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until (exclusive)"))
    platform = models.ForeignKey(
        Platform,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="compliance_reports",
        verbose_name=_("platform"),
    )
    schedule = models.CharField(
        _("schedule"), max_length=16, choices=ReportSchedule, default=ReportSchedule.ON_DEMAND
    )
    figures = models.JSONField(_("figures"), encoder=DjangoJSONEncoder)
    pdf = models.FileField(_("PDF"), upload_to="reports/%Y/%m/")
    csv = models.FileField(_("CSV"), upload_to="reports/%Y/%m/")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="compliance_reports",
        verbose_name=_("built by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("compliance report")
        verbose_name_plural = _("compliance reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period_start", "period_end", "platform"],
                condition=Q(schedule="monthly"),
                nulls_distinct=False,
                name="report_unique_monthly_scope",
            ),
        ]
        indexes = [models.Index(fields=["-created_at", "-id"], name="report_created_idx")]

    def __str__(self):
        scope = self.platform.name if self.platform_id else _("all platforms")
        return f"{self.period_start:%Y-%m-%d} to {self.period_end:%Y-%m-%d} {scope}"
