"""Enumerations of the sharing app, shared by its models, services, API and pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SignalAction(models.TextChoices):
    ADDED = "added", _("Added")
    CHANGED = "changed", _("Changed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class FeedFormat(models.TextChoices):
    PAGE = "page", _("Signed page")
    CSV = "csv", _("CSV download")
    JSON = "json", _("JSON download")
