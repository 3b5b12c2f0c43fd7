"""The upload of an account list in the browser, step by step: keep the file, map its columns,
check every row (the preview), import all or only the good rows. A list of more than
BACKGROUND_ROWS rows is checked and imported by a Celery job (accounts.tasks), with its progress
in the cache. The rows always come from the stored file, never from the browser; the import is
the bulk create every door uses."""

import csv
import hashlib
import io
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError, NotAllowed
from core.history import audited
from core.permissions import require_permission
from core.spreadsheets import guard
from core.tasks import enqueue_on_commit

from ..services.bulk import accounts_bulk_create
from ..services.bulk_plan import rows_plan
from ..services.mirrors import mirror_check
from ..services.rows import RowLookups
from .files import (
    MAX_FILE_BYTES,
    Table,
    check_columns,
    guess_columns,
    open_account_rows,
    read_table,
    table_rows,
    unguard,
)
from .models import AccountUpload

logger = logging.getLogger(__name__)

BACKGROUND_ROWS = 2000
PROGRESS_EVERY = 200
State = AccountUpload.State


def _own(upload: AccountUpload, user) -> None:
    require_permission(user, "accounts.add_flaggedaccount")
    if user is not None and upload.owner_id != user.pk:
        raise NotAllowed(_("This upload belongs to another user."))


@transaction.atomic
def account_upload_create(*, user, name: str, data: bytes) -> AccountUpload:
    """Keep an uploaded list and guess its column mapping; an unreadable file is refused
    (DomainError with the reason) and nothing is kept."""
    require_permission(user, "accounts.add_flaggedaccount")
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(
            _("The file is larger than %d MB.") % (MAX_FILE_BYTES // 2**20),
            code="too_large",
            field="file",
        )
    table = read_table(data=data, name=name)
    if not table.rows:
        raise DomainError(_("The file has a heading row but no account rows."), code="empty_file")
    upload = AccountUpload(
        owner=user,
        original_name=name[-255:],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        encoding=table.encoding,
        headings=table.headings,
        columns=guess_columns(table.headings),
        row_count=len(table.rows),
    )
    upload.file.save(f"{upload.sha256[:16]}{_suffix(name)}", ContentFile(data), save=False)
    audited(upload, user, "uploaded").save()
    return upload


def _suffix(name: str) -> str:
    return ".xlsx" if name.casefold().endswith(".xlsx") else ".csv"


def _table(upload: AccountUpload) -> Table:
    with upload.file.open("rb") as handle:
        data = handle.read()
    return read_table(data=data, name=upload.file.name)


@transaction.atomic
def account_upload_map(*, upload: AccountUpload, user, columns: list) -> AccountUpload:
    """Set which column is which field, then check every row: at once for a small list, by a
    background job for a big one."""
    _own(upload, user)
    upload = AccountUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.state not in (State.UPLOADED, State.CHECKED):
        raise DomainError(_("This upload can no longer be changed."), code="invalid_state")
    if len(columns) != len(upload.headings):
        raise DomainError(_("Give one field (or none) per column."), code="invalid")
    check_columns(upload.headings, columns, strict=False)
    upload.columns = list(columns)
    upload.preview, upload.summary = [], {}
    if upload.row_count > BACKGROUND_ROWS:
        upload.state = State.CHECKING
        audited(upload, user, "columns mapped; checking").save()
        _progress_set(upload.pk, 0, upload.row_count)
        enqueue_on_commit("accounts.upload_check", upload.pk)
        return upload
    upload.state = State.UPLOADED
    audited(upload, user, "columns mapped").save()
    return account_upload_check(upload_id=upload.pk)


def _column_of(upload: AccountUpload, field: str | None) -> str:
    if field in upload.columns:
        return upload.headings[upload.columns.index(field)] or field
    return field or ""


def _error_dicts(upload, errors) -> list[dict]:
    return [
        {
            "column": _column_of(upload, e.field),
            "field": e.field,
            "code": e.code,
            "message": e.message,
        }
        for e in errors
    ]


def _mirror(plan) -> dict | None:
    fields = plan.fields
    found = mirror_check(
        platform=plan.platform,
        handle=fields["value"],
        display_name=fields["display_name"],
        bio=fields["bio"],
        group_ids=[g.pk for g in fields["groups"]],
        limit=1,
    )
    best = found[0] if found else None
    if best is None or best.score < settings.MIRROR_SUGGEST_SCORE:
        return None
    removed = best.removed_account
    return {"id": removed.pk, "handle": removed.handle, "score": best.score, "strong": best.strong}


def _preview_row(upload, row, plan) -> dict:
    entry = {
        "line": row.line,
        "handle": str(row.values.get("handle") or row.values.get("profile_url") or "")[:200],
        "platform": plan.platform.slug if plan.platform else str(row.values.get("platform", "")),
        "kind": plan.kind,
        "errors": _error_dicts(upload, plan.errors),
    }
    if plan.existing is not None:
        entry["existing"] = {"id": plan.existing.pk, "handle": plan.existing.handle}
    if plan.first_index is not None:
        entry["first_line"] = None  # set by the caller, which knows the lines
    if plan.ok:
        mirror = _mirror(plan)
        if mirror:
            entry["kind"], entry["mirror"] = "mirror", mirror
    return entry


def account_upload_check(*, upload_id: int) -> AccountUpload:
    """Check every row of the stored file with the mapping (the bulk create's own plan, and the
    mirror engine's check for each new account); writes only the upload's preview."""
    upload = AccountUpload.objects.get(pk=upload_id)
    if upload.state not in (State.UPLOADED, State.CHECKING):
        return upload  # a repeated job: already checked
    try:
        rows = table_rows(_table(upload), upload.columns)
        plans = rows_plan((r.values for r in rows), lookups=RowLookups(), cells=True)
        preview = []
        for number, (row, plan) in enumerate(zip(rows, plans, strict=True), start=1):
            entry = _preview_row(upload, row, plan)
            if plan.first_index is not None:
                entry["first_line"] = rows[plan.first_index].line
            preview.append(entry)
            if number % PROGRESS_EVERY == 0:
                _progress_set(upload.pk, number, len(rows))
    except DomainError as exc:
        return _fail(upload, exc.message)
    summary = {kind: 0 for kind in ("create", "mirror", "duplicate_in_file", "in_tracker", "error")}
    for entry in preview:
        summary[entry["kind"]] += 1
    summary["good"] = summary["create"] + summary["mirror"]
    summary["bad"] = len(preview) - summary["good"]
    # The progress first: whoever sees the state "checked" also sees every row done.
    _progress_set(upload.pk, len(rows), len(rows))
    upload.preview, upload.summary, upload.state = preview, summary, State.CHECKED
    audited(upload, None, "checked").save()
    return upload


def _fail(upload: AccountUpload, message: str) -> AccountUpload:
    upload.state, upload.error = State.FAILED, message
    audited(upload, None, "failed").save()
    return upload


@transaction.atomic
def account_upload_import(*, upload: AccountUpload, user, partial: bool) -> AccountUpload:
    """Import the checked list: all or nothing (partial=False), or only the good rows."""
    _own(upload, user)
    upload = AccountUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.state != State.CHECKED:
        raise DomainError(_("Check the list before importing it."), code="invalid_state")
    summary = upload.summary
    if not summary.get("good"):
        raise DomainError(_("No row of this list can be imported."), code="invalid_rows")
    if summary.get("bad") and not partial:
        raise DomainError(
            _(
                "%(bad)d rows have errors: fix them in the file and upload it again, or import "
                "only the good rows."
            )
            % {"bad": summary["bad"]},
            code="invalid_rows",
        )
    upload.partial, upload.state = partial, State.IMPORTING
    audited(upload, user, "import started").save()
    if upload.row_count > BACKGROUND_ROWS:
        _progress_set(upload.pk, 0, summary["good"])
        enqueue_on_commit("accounts.upload_import", upload.pk)
        return upload
    return account_upload_run(upload_id=upload.pk)


def account_upload_run(*, upload_id: int) -> AccountUpload:
    """Record the upload's accounts through the bulk create (as its owner); safe to run twice:
    only an upload still importing is run."""
    with transaction.atomic():
        upload = AccountUpload.objects.select_for_update().get(pk=upload_id)
        if upload.state != State.IMPORTING:
            return upload
        rows = None
        # The rows the check found (one preview entry each), for the progress.
        total = upload.summary.get("good", 0) + upload.summary.get("bad", 0)
        try:
            # Read from the stored file as the bulk create plans them, never whole.
            with upload.file.open("rb") as handle:
                rows = open_account_rows(file=handle, name=upload.file.name, columns=upload.columns)
                result = accounts_bulk_create(
                    user=upload.owner,
                    rows=rows.values(),
                    partial=upload.partial,
                    reason=_("list upload %s") % upload.original_name[:60],
                    progress=lambda done, _total: _progress_set(upload.pk, done, total),
                    keep=False,
                )
        except DomainError as exc:
            failed = exc
        else:
            failed = None
            upload.result = {
                "created": result.count,
                "errors": [
                    {**_lines(rows, e.index, e.extra), **_error_dicts(upload, [e])[0]}
                    for e in result.errors
                ],
            }
            upload.state = State.DONE
            audited(upload, upload.owner, "imported").save()
    if failed is not None:
        # The bulk create rolled back: nothing was written; the upload says why.
        with transaction.atomic():
            upload = AccountUpload.objects.get(pk=upload_id)
            upload.result = {
                "created": 0,
                "errors": [
                    {**e, **_lines(rows, e["index"], e)}
                    for e in failed.extra.get("rows", [])[:1000]
                ],
            }
            return _fail(upload, failed.message)
    return upload


def _lines(rows, index: int, extra: dict) -> dict:
    """The line of a refused row, and of the earlier row it repeats (a duplicate in the file)."""

    def line(i):
        return rows.line(i) if rows and 0 <= i < rows.count else None

    lines = {"line": line(index)}
    if extra.get("first_index") is not None:
        lines["first_line"] = line(extra["first_index"])
    return lines


def _progress_key(upload_id: int) -> str:
    return f"accounts:upload-progress:{upload_id}"


def _progress_set(upload_id: int, done: int, total: int) -> None:
    cache.set(_progress_key(upload_id), (done, total), timeout=6 * 3600)


def upload_progress(upload: AccountUpload) -> tuple[int, int]:
    """(rows done, rows in all) of a running check or import; (0, rows) when unknown."""
    return cache.get(_progress_key(upload.pk)) or (0, upload.row_count)


def bad_rows_csv(upload: AccountUpload) -> str:
    """The rows the preview refused, as they were in the file, with a last column saying why:
    to fix and upload again."""
    reasons = {}
    for entry in upload.preview:
        if entry["kind"] in ("error", "duplicate_in_file", "in_tracker"):
            reasons[entry["line"]] = "; ".join(
                f"{e['column']}: {e['message']}" if e["column"] else e["message"]
                for e in entry["errors"]
            )
    table = _table(upload)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([guard(h) for h in [*table.headings, _("error")]])
    for line, cells in table.rows:
        if line in reasons:
            padded = list(cells) + [""] * (len(table.headings) - len(cells))
            writer.writerow([guard(unguard(c)) for c in [*padded, reasons[line]]])
    return "\ufeff" + out.getvalue()
