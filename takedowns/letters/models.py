"""The letter templates administrators edit; takedowns/models.py imports this module so that
Django registers the model under the takedowns app."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Platform

from ..choices import RequestKind
from .checks import template_problem


class LetterTemplate(models.Model):
    """The wording of the letter for one platform and kind of request; an empty platform or
    kind means "any", and the most specific template wins."""

    name = models.CharField(_("name"), max_length=100)
    platform = models.ForeignKey(
        Platform,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letter_templates",
        verbose_name=_("platform"),
        help_text=_("Empty: every platform without a template of its own."),
    )
    kind = models.CharField(
        _("request kind"),
        max_length=24,
        choices=RequestKind,
        blank=True,
        help_text=_("Empty: every kind without a template of its own."),
    )
    issuing_unit = models.CharField(_("issuing unit"), max_length=255)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(
        _("body"),
        help_text=_(
            "Django template syntax. Variables: reference, platform, platform_portal, kind, "
            "priority, legal_basis, deadline, deadline_hours, account_count, issuing_unit, "
            "date, ticket. The accounts and evidence hashes follow the body as a table."
        ),
    )
    closing = models.TextField(_("closing and signature"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        ordering = ["platform__name", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "kind"],
                name="lettertemplate_unique_scope",
                nulls_distinct=False,
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        for field in ("subject", "body", "closing"):
            problem = template_problem(getattr(self, field), field=field)
            if problem:
                errors[field] = problem
        if errors:
            raise ValidationError(errors)
