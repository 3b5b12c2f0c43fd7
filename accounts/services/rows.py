"""The one validator of an account row: every door that creates accounts (the API's single
create and bulk endpoint, the entry page, `import_accounts`, any upload) turns its input into a
row and passes it here, so they refuse the same inputs with the same codes and fields.

A row is a mapping of the single create's fields. JSON gives lists as arrays; a spreadsheet
cell gives them as text (`cells=True`: names separated by ";", "|" or new lines).
"""

import dataclasses
import functools
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from core.datetimes import OUT_OF_RANGE_MESSAGE, DateTimeOutOfRange, storable_utc
from core.errors import DomainError

from ..choices import AccountStatus
from ..handles import MAX_INPUT_LENGTH, PLATFORM_SLUGS, HandleError, parse_handle
from ..models import Platform, ProscribedGroup

# The fields a row may carry.
ACCOUNT_ROW_FIELDS = frozenset(
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
        "removed_at",
        "reason",
    }
)
# Columns a file (an export of this tracker) may carry that are not the row's own input: the
# profile URL must be the same account as the handle (or stands for it when there is none), and
# who flagged the account is not carried over (whoever imports the file is the flagger).
ACCOUNT_FILE_READ_ONLY = frozenset({"profile_url", "flagged_by"})
ACCOUNT_FILE_FIELDS = ACCOUNT_ROW_FIELDS | ACCOUNT_FILE_READ_ONLY
ACCOUNT_ROW_LIST_FIELDS = frozenset({"groups", "tags"})
# Characters each text field may hold (the model's column, or a bound on free text).
ROW_TEXT_LIMITS = {
    "handle": MAX_INPUT_LENGTH,
    "platform": 32,
    "status": 32,
    "platform_account_id": 128,
    "display_name": 255,
    "bio": 10_000,
    "notes": 10_000,
    "profile_url": MAX_INPUT_LENGTH,
    "flagged_by": 150,
    # simple_history stores a change reason in 100 characters.
    "reason": 100,
}
MAX_TAGS = 50
TAG_MAX_LENGTH = 64

# Names in one spreadsheet cell are separated by ";" or "|" (group names themselves hold commas).
_LIST_SEPARATORS = re.compile(r"[;|\n]")


class InvalidRow(DomainError):
    """One or more fields of a row are refused; `errors` holds one DomainError per field."""

    code = "invalid"

    def __init__(self, errors: list[DomainError]):
        fields = sorted({e.field for e in errors if e.field})
        message = (
            _("Some fields are invalid: %(names)s.") % {"names": ", ".join(fields)}
            if fields
            else errors[0].message
        )
        super().__init__(message, field=errors[0].field)
        self.errors = errors


class RowLookups:
    """Platforms and groups loaded once for a whole batch, instead of once per row (and only
    when a row needs them)."""

    @functools.cached_property
    def zone(self):
        """The current time zone, in which a date without an offset is read."""
        return timezone.get_current_timezone()

    @functools.cached_property
    def platforms(self) -> dict[str, Platform]:
        return {p.slug: p for p in Platform.objects.filter(is_active=True)}

    @functools.cached_property
    def _groups(self) -> tuple[dict, dict]:
        by_id, by_name = {}, {}
        for group in ProscribedGroup.objects.prefetch_related("aliases"):
            by_id[group.pk] = group
            for name in [group.name, *(a.name for a in group.aliases.all())]:
                by_name.setdefault(name.casefold(), group)
        return by_id, by_name

    def group(self, ref) -> ProscribedGroup:
        """A group by id, name or alias (any case), or DomainError "unknown_group"."""
        if isinstance(ref, ProscribedGroup):
            return ref
        by_id, by_name = self._groups
        if isinstance(ref, int) and not isinstance(ref, bool):
            found = by_id.get(ref)
        elif isinstance(ref, str):
            text = " ".join(ref.split())
            found = by_name.get(text.casefold())
            if found is None and text.isdecimal():
                found = by_id.get(int(text))
        else:
            found = None
        if found is None:
            raise DomainError(
                _("Unknown group “%s”: give a group id, name or alias.") % str(ref)[:100],
                code="unknown_group",
                field="groups",
            )
        return found


def _text(row: Mapping, name: str) -> str:
    value = row.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise DomainError(_("Give text here."), code="invalid_type", field=name)
    value = str(value)  # spreadsheet cells hold phone numbers and account ids as numbers
    if "\x00" in value:
        raise DomainError(_("The text holds a NUL character."), code="invalid", field=name)
    limit = ROW_TEXT_LIMITS[name]
    if len(value) > limit:
        raise DomainError(
            _("At most %(limit)d characters (this has %(length)d).")
            % {"limit": limit, "length": len(value)},
            code="max_length",
            field=name,
        )
    return value


def _names(value, field: str, *, cells: bool) -> list:
    if value is None or (cells and value == ""):
        return []
    if cells and isinstance(value, str):
        return [part.strip() for part in _LIST_SEPARATORS.split(value) if part.strip()]
    if cells and isinstance(value, int) and not isinstance(value, bool):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes, Mapping)):
        return list(value)  # a JSON array, or the groups a page's form chose
    raise DomainError(_("Give a list."), code="invalid_type", field=field)


def _tags(value, *, cells: bool) -> list[str]:
    tags = _names(value, "tags", cells=cells)
    if not all(isinstance(t, str) and "\x00" not in t for t in tags):
        raise DomainError(_("Tags are plain text."), code="invalid_type", field="tags")
    if len(tags) > MAX_TAGS:
        raise DomainError(_("At most %d tags.") % MAX_TAGS, code="max_length", field="tags")
    if any(len(t.strip()) > TAG_MAX_LENGTH for t in tags):
        raise DomainError(
            _("A tag holds at most %d characters.") % TAG_MAX_LENGTH,
            code="max_length",
            field="tags",
        )
    return tags


def _parse_moment(text: str) -> datetime | None:
    try:
        moment = parse_datetime(text)
        day = None if moment else parse_date(text)
    except ValueError:
        return None
    return moment or (datetime.combine(day, datetime.min.time()) if day else None)


def _moment(value, field: str = "first_seen_at", zone=None) -> datetime | None:
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
                field=field,
            )
    else:
        raise DomainError(_("Give a date."), code="invalid_type", field=field)
    try:
        return storable_utc(moment, zone)
    except DateTimeOutOfRange as exc:
        raise DomainError(str(OUT_OF_RANGE_MESSAGE), code="out_of_range", field=field) from exc


def _platform(row: Mapping, lookups: RowLookups):
    value = row.get("platform")
    if isinstance(value, Platform):
        return value
    slug = _text(row, "platform").strip().casefold()
    return lookups.platforms.get(slug) or slug or None


_STATUSES = frozenset(AccountStatus.values)  # `.values` builds a list on every read


def _status(row: Mapping) -> str:
    status = _text(row, "status").strip().casefold() or AccountStatus.ACTIVE
    if status not in _STATUSES:
        raise DomainError(
            _("Unknown status “%(status)s”: use one of %(choices)s.")
            % {"status": status[:40], "choices": ", ".join(AccountStatus.values)},
            code="invalid_choice",
            field="status",
        )
    return status


def _handle(row: Mapping) -> str:
    handle = _text(row, "handle") or _text(row, "profile_url")
    if not handle.strip():
        raise DomainError(
            _("Enter a handle or a profile address."), code="required", field="handle"
        )
    return handle


def _removed_at(row: Mapping, status: str | None, zone=None) -> datetime | None:
    moment = _moment(row.get("removed_at"), "removed_at", zone)
    if moment is not None and status not in (None, AccountStatus.REMOVED, AccountStatus.RESTORED):
        raise DomainError(
            _("Only a removed or restored account has a removal date."),
            code="invalid",
            field="removed_at",
        )
    return moment


def _profile_url_check(row: Mapping, platform) -> None:
    """A file's profile URL beside a handle must be the same account (an export carries both)."""
    url, handle = row.get("profile_url"), row.get("handle")
    if not (isinstance(url, str) and isinstance(handle, str) and url.strip() and handle.strip()):
        return
    slug = platform.slug if isinstance(platform, Platform) else platform
    if slug and slug not in PLATFORM_SLUGS:
        return  # the unknown platform is reported where the account is recorded
    url, handle = _text(row, "profile_url").strip(), handle.strip()
    try:
        by_url = parse_handle(url, slug)
    except HandleError as exc:
        raise DomainError(exc.message, code=exc.code, field="profile_url") from exc
    try:
        by_handle = parse_handle(handle, slug or by_url.platform)
    except HandleError:
        return  # the handle's own error is reported where the account is recorded
    if (by_url.platform, by_url.normalized) != (by_handle.platform, by_handle.normalized):
        raise DomainError(
            _("The profile URL is another account than the handle “%s”.") % handle[:100],
            code="profile_url_mismatch",
            field="profile_url",
        )


def _groups(row: Mapping, lookups: RowLookups, *, cells: bool) -> list[ProscribedGroup]:
    return [lookups.group(ref) for ref in _names(row.get("groups"), "groups", cells=cells)]


def account_row_clean(row, *, lookups: RowLookups | None = None, cells: bool = False) -> dict:
    """Check one row and turn it into `account_create`'s arguments; raises InvalidRow naming
    every field at fault (each with its code)."""
    if not isinstance(row, Mapping):
        raise InvalidRow(
            [DomainError(_("Each row must be an object with named fields."), code="invalid_type")]
        )
    allowed = ACCOUNT_FILE_FIELDS if cells else ACCOUNT_ROW_FIELDS
    unknown = sorted(str(k) for k in row if k not in allowed)
    if unknown:
        raise InvalidRow(
            [
                DomainError(
                    _("Unknown fields: %s.") % ", ".join(unknown)[:200],
                    code="unknown_field",
                    field=unknown[0][:100],
                )
            ]
        )
    lookups = lookups or RowLookups()
    steps = {
        "value": lambda: _handle(row),
        "platform": lambda: _platform(row, lookups),
        "platform_account_id": lambda: _text(row, "platform_account_id").strip(),
        "display_name": lambda: _text(row, "display_name"),
        "bio": lambda: _text(row, "bio"),
        "notes": lambda: _text(row, "notes"),
        "groups": lambda: _groups(row, lookups, cells=cells),
        "tags": lambda: _tags(row.get("tags"), cells=cells),
        "status": lambda: _status(row),
        "first_seen_at": lambda: _moment(row.get("first_seen_at"), zone=lookups.zone),
        "removed_at": lambda: _removed_at(row, fields.get("status"), lookups.zone),
        "reason": lambda: _text(row, "reason"),
    }
    fields, errors = {}, []
    for name, step in steps.items():
        try:
            fields[name] = step()
        except DomainError as exc:
            errors.append(exc)
    try:
        if cells:
            _profile_url_check(row, fields.get("platform"))
            _text(row, "flagged_by")  # not carried over, but bounded like any cell
    except DomainError as exc:
        errors.append(exc)
    if errors:
        raise InvalidRow(errors)
    return fields


def row_errors(exc: DomainError) -> list[DomainError]:
    """The refusals one row met: each field's error of an InvalidRow, else the error itself."""
    return list(exc.errors) if isinstance(exc, InvalidRow) else [exc]


@dataclasses.dataclass(frozen=True)
class RowError:
    """Why one row of a bulk create was refused (index counts from 0 in the given rows)."""

    index: int
    field: str | None
    code: str
    message: str
    extra: dict = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, index: int, exc: DomainError) -> list["RowError"]:
        return [cls(index, e.field, e.code, e.message, dict(e.extra)) for e in row_errors(exc)]

    def as_dict(self) -> dict:
        return {
            "index": self.index,
            "field": self.field,
            "code": self.code,
            "message": self.message,
            **self.extra,
        }
