"""The TAXII collections and the paging through their objects.

A collection's objects come from its accounts (each one's user-account, avatar file and
relationships) and the groups they are linked to, in the order in which they were added or last
changed: `date_added` is the record's `updated_at`, so a poller asking for what was added after
its last poll also gets what changed. A page ends after `limit` objects; `next` remembers the
record and how many of its objects were already sent, so no object is skipped or sent twice
however many records share one timestamp.
"""

import base64
import dataclasses
import heapq
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from accounts.models import FlaggedAccount, Platform, ProscribedGroup
from core.errors import DomainError

from ..stix.objects import account_objects, intrusion_set
from ..stix.source import export_accounts, export_groups, export_signals

ALL = "all"
ACCOUNT, GROUP = "a", "g"  # the order of the two record kinds at one timestamp
BATCH = 500


def collection_id(key: str) -> str:
    return str(uuid.uuid5(uuid.UUID(settings.STIX_NAMESPACE), f"taxii-collection:{key}"))


@dataclasses.dataclass(frozen=True)
class Collection:
    key: str  # "all" or a platform's slug
    title: str
    description: str

    @property
    def id(self) -> str:
        return collection_id(self.key)

    def accounts(self) -> QuerySet:
        accounts = FlaggedAccount.objects.all()
        return accounts if self.key == ALL else accounts.filter(platform__slug=self.key)

    def groups(self) -> QuerySet:
        if self.key == ALL:
            return ProscribedGroup.objects.all()
        linked = FlaggedAccount.groups.through.objects.filter(
            flaggedaccount__platform__slug=self.key
        ).values("proscribedgroup_id")
        return ProscribedGroup.objects.filter(pk__in=linked)


def collections() -> list[Collection]:
    """One collection for every account, then one per active platform."""
    found = [Collection(ALL, "All accounts", "Every flagged account and its groups.")]
    for platform in Platform.objects.filter(is_active=True).order_by("slug"):
        found.append(
            Collection(
                platform.slug,
                f"{platform.name} accounts",
                f"Flagged {platform.name} accounts and the groups they are linked to.",
            )
        )
    return found


def collection_get(collection_id_value: str) -> Collection | None:
    return next((c for c in collections() if c.id == str(collection_id_value)), None)


class BadQuery(DomainError):
    code = "invalid"


@dataclasses.dataclass(frozen=True)
class Cursor:
    """Where a page starts: the record (date_added, kind, pk) and objects of it already sent."""

    at: datetime
    kind: str
    pk: int
    skip: int = 0

    def encode(self) -> str:
        text = f"{self.at.isoformat()}|{self.kind}|{self.pk}|{self.skip}"
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str) -> "Cursor":
        try:
            text = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
            at, kind, pk, skip = text.split("|")
            moment = datetime.fromisoformat(at)
            if kind not in (ACCOUNT, GROUP) or moment.tzinfo is None:
                raise ValueError(kind)
            return cls(moment, kind, int(pk), int(skip))
        except (ValueError, UnicodeDecodeError):
            raise BadQuery(_("“next” is not a value this server gave."), field="next") from None

    @classmethod
    def after(cls, moment: datetime) -> "Cursor":
        # "~" sorts after both kinds: every record at `moment` is excluded.
        return cls(moment, "~", 0)


def parse_added_after(value: str) -> datetime:
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise BadQuery(
            _("added_after must be a timestamp in UTC, such as 2026-01-31T12:00:00.000Z."),
            field="added_after",
        )
    return moment.astimezone(UTC)


def _after(queryset: QuerySet, kind: str, cursor: Cursor | None) -> QuerySet:
    if cursor is None:
        return queryset
    if kind > cursor.kind:
        return queryset.filter(updated_at__gte=cursor.at)
    if kind == cursor.kind:
        return queryset.filter(
            Q(updated_at__gt=cursor.at) | Q(updated_at=cursor.at, pk__gte=cursor.pk)
        )
    return queryset.filter(updated_at__gt=cursor.at)


def _records(queryset: QuerySet, kind: str, cursor: Cursor | None, load) -> Iterator[tuple]:
    """(date_added, kind, pk, record) in order from the cursor on, fetched BATCH at a time."""
    queryset = _after(queryset, kind, cursor).order_by("updated_at", "pk")
    while True:
        batch = list(load(queryset)[:BATCH])
        for record in batch:
            yield record.updated_at, kind, record.pk, record
        if len(batch) < BATCH:
            return
        last = batch[-1]
        queryset = queryset.filter(
            Q(updated_at__gt=last.updated_at) | Q(updated_at=last.updated_at, pk__gt=last.pk)
        )


def _objects_of(kind: str, record) -> list[dict]:
    if kind == ACCOUNT:
        return account_objects(
            export_signals(record), created=record.created_at, modified=record.updated_at
        )
    return [intrusion_set(record)]


def _load_accounts(queryset):
    return export_accounts(queryset).order_by("updated_at", "pk")


def _load_groups(queryset):
    return export_groups(queryset).order_by("updated_at", "pk")


@dataclasses.dataclass
class Page:
    objects: list[tuple[datetime, dict]]  # (date_added, object)
    more: bool
    next: str | None


def page(
    collection: Collection, *, cursor: Cursor | None, limit: int, types: set[str] | None
) -> Page:
    """Up to `limit` objects of the collection from the cursor on (of the given types)."""
    streams = []
    if not types or types - {"intrusion-set"}:
        streams.append(_records(collection.accounts(), ACCOUNT, cursor, _load_accounts))
    if not types or "intrusion-set" in types:
        streams.append(_records(collection.groups(), GROUP, cursor, _load_groups))
    merged = heapq.merge(*streams, key=lambda entry: entry[:3])
    found: list[tuple[datetime, dict]] = []
    for at, kind, pk, record in merged:
        objects = _objects_of(kind, record)
        start = (
            cursor.skip if cursor and (at, kind, pk) == (cursor.at, cursor.kind, cursor.pk) else 0
        )
        for index, obj in enumerate(objects):
            if index < start or (types and obj["type"] not in types):
                continue
            if len(found) == limit:
                return Page(found, True, Cursor(at, kind, pk, index).encode())
            found.append((at, obj))
    return Page(found, False, None)
