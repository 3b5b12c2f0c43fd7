"""Takedown request lists out, as CSV or XLSX, for a supervisor's spreadsheet: one row per
request with its dates, deadline and accounts. Cells go through core.spreadsheets' formula
guard, as account exports do (a handle or a ticket reference can start with `=` or `+`).

The request list has no importer: these columns are for reading, not for reading back.
"""

from collections.abc import Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from core.security import security_report
from core.spreadsheets import CSV_TYPE, XLSX_TYPE, moment, table_csv, table_xlsx

from .choices import ItemOutcome
from .models import TakedownRequest
from .querysets import OVERDUE
from .selectors import takedown_export_list

COLUMNS = [
    "reference",
    "platform",
    "kind",
    "priority",
    "status",
    "legal_basis",
    "created_by",
    "created_at",
    "approved_by",
    "approved_at",
    "submitted_by",
    "submitted_at",
    "platform_ticket",
    "acknowledged_at",
    "due_at",
    "overdue",
    "resolved_at",
    "accounts",
    "accounts_pending",
    "accounts_actioned",
    "handles",
    "outcomes",
]


def _name(user) -> str:
    return user.get_username() if user else ""


def takedown_values(takedown: TakedownRequest, *, now=None) -> list:
    """One request as its export cells, unguarded (handles and outcomes joined with "; ", in
    the same order, so the n-th outcome is the n-th handle's)."""
    items = list(takedown.items.all())
    pending = sum(1 for item in items if item.outcome == ItemOutcome.PENDING)
    return [
        takedown.reference,
        takedown.platform.slug,
        takedown.kind,
        takedown.priority,
        takedown.status,
        takedown.legal_basis,
        _name(takedown.created_by),
        moment(takedown.created_at),
        _name(takedown.approved_by),
        moment(takedown.approved_at),
        _name(takedown.submitted_by),
        moment(takedown.submitted_at),
        takedown.platform_ticket,
        moment(takedown.acknowledged_at),
        moment(takedown.due_at),
        "yes" if takedown.deadline(now).state == OVERDUE else "no",
        moment(takedown.resolved_at),
        len(items),
        pending,
        len(items) - pending,
        "; ".join(item.account.handle for item in items),
        "; ".join(item.outcome for item in items),
    ]


def _rows(takedowns: Iterable[TakedownRequest]) -> Iterator[list]:
    now = timezone.now()  # one moment for the whole file: every row's "overdue" agrees
    for takedown in takedowns:
        yield takedown_values(takedown, now=now)


def takedowns_csv(takedowns: Iterable[TakedownRequest]) -> Iterator[str]:
    """The requests as CSV lines."""
    return table_csv(COLUMNS, _rows(takedowns))


def takedowns_xlsx(takedowns: Iterable[TakedownRequest]) -> bytes:
    """The requests as an XLSX workbook."""
    return table_xlsx(COLUMNS, _rows(takedowns), title="requests")


def takedowns_download(request, takedowns, kind: str) -> HttpResponse:
    """The filtered requests as a CSV (streamed) or XLSX download, for the page and the API
    alike, recorded in the security log with the filters it carried (500 characters kept)."""
    rows = takedown_export_list(takedowns).iterator(chunk_size=500)
    filename = f"takedown-requests.{kind}"
    security_report("export", request=request, detail=f"{filename}?{request.GET.urlencode()}"[:500])
    if kind == "xlsx":
        response = HttpResponse(takedowns_xlsx(rows), content_type=XLSX_TYPE)
    else:
        response = StreamingHttpResponse(takedowns_csv(rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
