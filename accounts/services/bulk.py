"""Bulk account creation: one row validator shared by the API's bulk endpoint and imports."""

import dataclasses
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.permissions import require_permission

from ..choices import AccountStatus
from ..mirrors.watchlist import suppressed_signals
from ..models import (
    FlaggedAccount,
    Platform,
    ProscribedGroup,
)
from ..normalization import MAX_INPUT_LENGTH
from .accounts import account_create

# Keys a bulk row may carry: the single-create input of the API, and the import file's columns.
BULK_ROW_FIELDS = frozenset(
    {
        "handle",
        "platform",
        "platform_account_id",
        "display_name",
        "bio",
        "groups",
        "tags",
        "notes",
        "status",
        "first_seen_at",
    }
)


_BULK_TEXT_LIMITS = {
    "handle": MAX_INPUT_LENGTH,
    "platform": 32,
    "status": 32,
    "platform_account_id": 128,
    "display_name": 255,
    "bio": None,
    "notes": None,
}


# Names in one spreadsheet cell are separated by ";" or "|" (group names themselves hold commas).
_LIST_SEPARATORS = re.compile(r"[;|\n]")


@dataclasses.dataclass(frozen=True)
class RowError:
    """Why one row of a bulk create was refused (index counts from 0 in the given rows)."""

    index: int
    field: str | None
    code: str
    message: str
    extra: dict = dataclasses.field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "index": self.index,
            "field": self.field,
            "code": self.code,
            "message": self.message,
            **self.extra,
        }


@dataclasses.dataclass(frozen=True)
class BulkCreateResult:
    """The accounts a bulk create recorded and the rows it refused."""

    created: list[FlaggedAccount]
    errors: list[RowError]


class _BulkLookups:
    """Platforms and groups loaded once for a whole batch, instead of once per row."""

    def __init__(self):
        self.platforms = {p.slug: p for p in Platform.objects.filter(is_active=True)}
        self.groups_by_id = {}
        self.groups_by_name = {}
        for group in ProscribedGroup.objects.prefetch_related("aliases"):
            self.groups_by_id[group.pk] = group
            for name in [group.name, *(a.name for a in group.aliases.all())]:
                self.groups_by_name.setdefault(name.casefold(), group)

    def group(self, ref) -> ProscribedGroup:
        if isinstance(ref, ProscribedGroup):
            return ref
        if isinstance(ref, int) and not isinstance(ref, bool):
            found = self.groups_by_id.get(ref)
        elif isinstance(ref, str):
            text = " ".join(ref.split())
            found = self.groups_by_name.get(text.casefold())
            if found is None and text.isdecimal():
                found = self.groups_by_id.get(int(text))
        else:
            found = None
        if found is None:
            raise DomainError(
                _("Unknown group “%s”: give a group id, name or alias.") % str(ref)[:100],
                code="unknown_group",
                field="groups",
            )
        return found


def _bulk_text(row: Mapping, name: str) -> str:
    value = row.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise DomainError(_("Give text here."), code="invalid_type", field=name)
    value = str(value)  # spreadsheet cells hold phone numbers and account ids as numbers
    if "\x00" in value:
        raise DomainError(_("The text holds a NUL character."), code="invalid", field=name)
    limit = _BULK_TEXT_LIMITS[name]
    if limit is not None and len(value) > limit:
        raise DomainError(
            _("At most %(limit)d characters (this has %(length)d).")
            % {"limit": limit, "length": len(value)},
            code="max_length",
            field=name,
        )
    return value


def _bulk_names(value, field: str) -> list:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [part.strip() for part in _LIST_SEPARATORS.split(value) if part.strip()]
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    if isinstance(value, (list, tuple)):
        return list(value)
    raise DomainError(_("Give a list."), code="invalid_type", field=field)


def _parse_moment(text: str) -> datetime | None:
    try:
        moment = parse_datetime(text)
        day = None if moment else parse_date(text)
    except ValueError:
        return None
    return moment or (datetime.combine(day, datetime.min.time()) if day else None)


def _bulk_datetime(value) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, datetime.min.time())
    elif isinstance(value, str):
        moment = _parse_moment(value.strip())
        if moment is None:
            raise DomainError(
                _("“%s” is not a date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM.") % value.strip()[:40],
                code="invalid_date",
                field="first_seen_at",
            )
    else:
        raise DomainError(_("Give a date."), code="invalid_type", field="first_seen_at")
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _bulk_row_kwargs(row, lookups: _BulkLookups) -> dict:
    """Turn one raw row (API JSON or a file's cells) into account_create's arguments."""
    if not isinstance(row, Mapping):
        raise DomainError(_("Each row must be an object with named fields."), code="invalid_type")
    unknown = sorted(str(k) for k in row if k not in BULK_ROW_FIELDS)
    if unknown:
        raise DomainError(
            _("Unknown fields: %s.") % ", ".join(unknown)[:200],
            code="unknown_field",
            field=unknown[0][:100],
        )
    handle = _bulk_text(row, "handle")
    if not handle.strip():
        raise DomainError(
            _("Enter a handle or a profile address."), code="required", field="handle"
        )
    slug = _bulk_text(row, "platform").strip().casefold()
    status = _bulk_text(row, "status").strip().casefold() or AccountStatus.ACTIVE
    if status not in AccountStatus.values:
        raise DomainError(
            _("Unknown status “%(status)s”: use one of %(choices)s.")
            % {"status": status[:40], "choices": ", ".join(AccountStatus.values)},
            code="invalid_choice",
            field="status",
        )
    tags = _bulk_names(row.get("tags"), "tags")
    if not all(isinstance(t, str) and "\x00" not in t for t in tags):
        raise DomainError(_("Tags are plain text."), code="invalid_type", field="tags")
    return {
        "value": handle,
        "platform": lookups.platforms.get(slug) or slug or None,
        "platform_account_id": _bulk_text(row, "platform_account_id").strip(),
        "display_name": _bulk_text(row, "display_name"),
        "bio": _bulk_text(row, "bio"),
        "notes": _bulk_text(row, "notes"),
        "groups": [lookups.group(ref) for ref in _bulk_names(row.get("groups"), "groups")],
        "tags": tags,
        "status": status,
        "first_seen_at": _bulk_datetime(row.get("first_seen_at")),
    }


@transaction.atomic
def accounts_bulk_create(
    *, user, rows: Iterable, partial: bool = False, dry_run: bool = False
) -> BulkCreateResult:
    """Record many accounts; every row is checked and its errors reported.

    All or nothing by default: one bad row and nothing is written (DomainError "invalid_rows"
    carrying every row's error). With partial=True the valid rows are recorded and the bad ones
    reported; a batch in which no row is valid still raises. dry_run checks everything exactly
    as a real run would (duplicates within the batch included), then writes nothing.
    """
    require_permission(user, "accounts.add_flaggedaccount")
    lookups = _BulkLookups()
    # Every row is scored against the watch list; the suppressed signals are read once.
    suppressed = suppressed_signals()
    created, errors = [], []
    for index, row in enumerate(rows):
        try:
            # A savepoint per row: a refused row leaves no trace, and later rows still run
            # (so a file's second copy of an account is reported as a duplicate of the first).
            with transaction.atomic():
                kwargs = _bulk_row_kwargs(row, lookups)
                created.append(account_create(user=user, mirror_suppressed=suppressed, **kwargs))
        except DomainError as exc:
            errors.append(RowError(index, exc.field, exc.code, exc.message, dict(exc.extra)))
    if errors and (not partial or not created):
        raise DomainError(
            _("%(bad)d of %(total)d rows have errors; no account was recorded.")
            % {"bad": len(errors), "total": len(errors) + len(created)},
            code="invalid_rows",
            rows=[e.as_dict() for e in errors],
        )
    if dry_run:
        transaction.set_rollback(True)
    return BulkCreateResult(created=created, errors=errors)
