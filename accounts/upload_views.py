"""The account-list upload page, step by step: upload, mapping, preview, import, result.
Thin: the file and every row stay on the server (accounts.imports.services); the pages only
show the upload's state and post the user's choices."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.views import call_service

from .imports import services
from .models import AccountUpload
from .upload_forms import FIELD_LABELS, ImportForm, MappingForm, UploadForm

ADD = "accounts.add_flaggedaccount"
PREVIEW_PAGE = 200
SAMPLE_ROWS = 3


def _upload(request, pk: int) -> AccountUpload:
    # Only the owner sees an upload: another analyst's list is a 404, not a 403 that confirms it.
    return get_object_or_404(AccountUpload, pk=pk, owner=request.user)


@login_required
@permission_required(ADD, raise_exception=True)
def upload_start(request):
    """Drop a CSV or XLSX list."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        upload = call_service(
            request,
            services.account_upload_create,
            user=request.user,
            name=file.name,
            data=file.read(),
        )
        if upload is not None:
            return redirect("accounts:upload_mapping", pk=upload.pk)
    recent = AccountUpload.objects.filter(owner=request.user)[:10]
    return render(request, "accounts/upload/start.html", {"form": form, "recent": recent})


def _samples(upload: AccountUpload) -> list[list]:
    table = services._table(upload)
    return [cells for _line, cells in table.rows[:SAMPLE_ROWS]]


@login_required
@permission_required(ADD, raise_exception=True)
def upload_mapping(request, pk: int):
    """Which column is which field (guessed from the headings, English or Urdu)."""
    upload = _upload(request, pk)
    if upload.state not in (AccountUpload.State.UPLOADED, AccountUpload.State.CHECKED):
        return redirect("accounts:upload_preview", pk=upload.pk)
    form = MappingForm(request.POST or None, headings=upload.headings, columns=upload.columns)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            request,
            services.account_upload_map,
            upload=upload,
            user=request.user,
            columns=form.columns(),
        )
        if done is not None:
            return redirect("accounts:upload_preview", pk=upload.pk)
    samples = _samples(upload)
    rows = [
        (heading, field, [s[i] if i < len(s) else "" for s in samples])
        for i, (heading, field) in enumerate(form.rows())
    ]
    return render(request, "accounts/upload/mapping.html", {"upload": upload, "form": form,
                                                            "rows": rows})  # fmt: skip


@login_required
@permission_required(ADD, raise_exception=True)
def upload_preview(request, pk: int):
    """Every row: created, duplicate in the file, already in the tracker, likely mirror, or its
    errors; then the import."""
    upload = _upload(request, pk)
    if upload.state in (AccountUpload.State.IMPORTING, AccountUpload.State.DONE):
        return redirect("accounts:upload_result", pk=upload.pk)
    show = request.GET.get("show", "")
    entries = upload.preview
    if show:
        entries = [e for e in entries if e["kind"] == show]
    page = Paginator(entries, PREVIEW_PAGE).get_page(request.GET.get("page"))
    context = {
        "upload": upload,
        "page": page,
        "show": show,
        "form": ImportForm(),
        "labels": FIELD_LABELS,
        "progress": services.upload_progress(upload) if upload.is_running else None,
    }
    return render(request, "accounts/upload/preview.html", context)


@require_POST
@login_required
@permission_required(ADD, raise_exception=True)
def upload_import(request, pk: int):
    """Import all or nothing, or only the good rows."""
    upload = _upload(request, pk)
    form = ImportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how to import."))
        return redirect("accounts:upload_preview", pk=upload.pk)
    done = call_service(
        request,
        services.account_upload_import,
        upload=upload,
        user=request.user,
        partial=form.cleaned_data["mode"] == "partial",
    )
    if done is None:
        return redirect("accounts:upload_preview", pk=upload.pk)
    return redirect("accounts:upload_result", pk=upload.pk)


@login_required
@permission_required(ADD, raise_exception=True)
def upload_result(request, pk: int):
    """What the import did (a progress bar while a job runs)."""
    upload = _upload(request, pk)
    progress = services.upload_progress(upload) if upload.is_running else None
    return render(request, "accounts/upload/result.html", {"upload": upload,
                                                           "progress": progress})  # fmt: skip


@login_required
@permission_required(ADD, raise_exception=True)
def upload_progress(request, pk: int):
    """The progress bar (htmx polls it); tells the page to reload once the job is over."""
    upload = _upload(request, pk)
    if not upload.is_running:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    done, total = services.upload_progress(upload)
    return render(request, "accounts/upload/progress.html", {"upload": upload, "done": done,
                                                             "total": total})  # fmt: skip


@login_required
@permission_required(ADD, raise_exception=True)
def upload_bad_rows(request, pk: int):
    """The refused rows as they were in the file, with why, as CSV to fix."""
    upload = _upload(request, pk)
    response = HttpResponse(services.bad_rows_csv(upload), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rows-to-fix.csv"'
    return response
