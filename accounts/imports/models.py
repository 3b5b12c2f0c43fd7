"""An account list uploaded in the browser, kept on the server between the steps of the upload
page (mapping, preview, import): the page never takes rows back from the browser."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AccountUpload(models.Model):
    """One uploaded CSV or XLSX list: the file, its owner, its column mapping, the preview of
    every row and what the import did."""

    class State(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="account_uploads",
        verbose_name=_("uploaded by"),
    )
    file = models.FileField(_("file"), upload_to="uploads/accounts/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    encoding = models.CharField(_("encoding"), max_length=16, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.UPLOADED)
    headings = models.JSONField(_("headings"), default=list)
    columns = models.JSONField(_("column mapping"), default=list)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    partial = models.BooleanField(_("only the good rows"), default=False)
    # [{line, handle, platform, kind, errors: [{column, field, code, message}], ...}]
    preview = models.JSONField(_("preview"), default=list, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    # {created, errors: [{line, column, field, code, message}]}
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["preview", "summary", "result", "headings"])

    class Meta:
        verbose_name = _("account list upload")
        verbose_name_plural = _("account list uploads")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="upload_owner_idx")]

    def __str__(self):
        return f"{self.original_name} ({self.get_state_display()})"

    @property
    def is_running(self) -> bool:
        return self.state in (self.State.CHECKING, self.State.IMPORTING)
