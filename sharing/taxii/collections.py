"""The TAXII collections and the paging through their objects.

A collection's objects come from its accounts (each one's user-account, avatar file and
relationships) and the groups they are linked to, in the order in which they were added or last
changed: `date_added` is the record's `updated_at`, so a poller asking for what was added after
its last poll also gets what changed. A page ends after `limit` objects; `next` remembers the
record and how many of its objects were already sent, so no object is skipped or sent twice
however many records share one timestamp. `match[id]` (and the object-by-id route) first finds
the records whose objects can carry the asked ids (`records_of_ids`), then pages through those.
"""

import base64
import dataclasses
import heapq
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from accounts.models import FlaggedAccount, Platform, ProscribedGroup
from core.errors import DomainError

from ..stix.objects import (
    ATTRIBUTED_TO,
    DERIVED_FROM,
    account_objects,
    account_stix_id,
    group_stix_id,
    intrusion_set,
    relationship_id,
    timestamp,
)
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


# A STIX identifier: "<object type>--<UUID>" (STIX 2.1, section 2.9).
STIX_ID = re.compile(
    r"^[a-z][a-z0-9-]*[a-z0-9]--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
VERSION_WORDS = {"first", "last", "all"}


def parse_ids(value: str, *, field: str = "match[id]") -> set[str] | None:
    """The STIX ids of a comma-separated match[id] (None: no filter); 400 for a malformed one."""
    ids = {item.strip() for item in value.split(",") if item.strip()}
    bad = sorted(i for i in ids if not STIX_ID.match(i))
    if bad:
        raise BadQuery(_("“%s” is not a STIX identifier (type--UUID).") % bad[0][:80], field=field)
    return ids or None


def parse_versions(value: str) -> set[str] | None:
    """match[version]: first, last, all or timestamps (None or "all": every version)."""
    versions = {item.strip() for item in value.split(",") if item.strip()}
    for item in versions - VERSION_WORDS:
        moment = parse_datetime(item) if item.endswith("Z") else None
        if moment is None:
            raise BadQuery(
                _("match[version] takes first, last, all or a timestamp in UTC."),
                field="match[version]",
            )
    if not versions or "all" in versions:
        return None
    return versions


def object_version(obj: dict, date_added: datetime) -> str:
    """An object's version (it has one): its modified time, or its date_added for the
    cyber-observables, which have none."""
    return obj.get("modified") or timestamp(date_added)


def _version_matches(obj: dict, at: datetime, versions: set[str] | None) -> bool:
    if versions is None or versions & VERSION_WORDS:
        return True  # one version per object: it is the first and the last
    return object_version(obj, at) in {timestamp(parse_datetime(v)) for v in versions}


def records_of_ids(collection: Collection, ids: set[str]) -> tuple[set[int], set[int]]:
    """(account pks, group pks) of the collection whose objects can carry one of `ids`.

    The ids of user-accounts, intrusion-sets and their attributed-to and derived-from
    relationships follow from the stored columns, read in one pass; a file's id (and its
    related-to relationship) comes from the stored file's hashes, so only when such an id is
    asked are the objects of the accounts with an avatar built."""
    group_pks = {
        pk for pk in collection.groups().values_list("pk", flat=True) if group_stix_id(pk) in ids
    }
    account_pks: set[int] = set()
    kinds = {i.split("--", 1)[0] for i in ids}
    accounts = collection.accounts()
    if kinds & {"user-account", "relationship"}:
        groups_of: dict[int, list[int]] = {}
        if "relationship" in kinds:
            links = FlaggedAccount.groups.through.objects.filter(flaggedaccount__in=accounts)
            for account_pk, group_pk in links.values_list(
                "flaggedaccount_id", "proscribedgroup_id"
            ):
                groups_of.setdefault(account_pk, []).append(group_pk)
        rows = accounts.values_list(
            "pk", "platform__slug", "handle", "mirror_of__platform__slug", "mirror_of__handle"
        )
        for pk, slug, handle, original_slug, original_handle in rows.iterator(chunk_size=5000):
            own = account_stix_id(slug, handle)
            carried = {own}
            if "relationship" in kinds:
                carried.update(
                    relationship_id(ATTRIBUTED_TO, own, group_stix_id(group_pk))
                    for group_pk in groups_of.get(pk, ())
                )
                if original_slug:
                    original = account_stix_id(original_slug, original_handle)
                    carried.add(relationship_id(DERIVED_FROM, own, original))
            if carried & ids:
                account_pks.add(pk)
    if kinds & {"file", "relationship"}:
        with_avatar = accounts.exclude(pk__in=account_pks).filter(
            Q(avatar_pdq__gt="") | Q(avatar__gt="")
        )
        for account in _load_accounts(with_avatar).iterator(chunk_size=BATCH):
            if {obj["id"] for obj in _objects_of(ACCOUNT, account)} & ids:
                account_pks.add(account.pk)
    return account_pks, group_pks


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
    collection: Collection,
    *,
    cursor: Cursor | None,
    limit: int,
    types: set[str] | None,
    ids: set[str] | None = None,
    versions: set[str] | None = None,
) -> Page:
    """Up to `limit` objects of the collection from the cursor on (of the given types, ids and
    versions)."""
    accounts, groups = collection.accounts(), collection.groups()
    if ids is not None:
        account_pks, group_pks = records_of_ids(collection, ids)
        accounts, groups = accounts.filter(pk__in=account_pks), groups.filter(pk__in=group_pks)
    streams = []
    if not types or types - {"intrusion-set"}:
        streams.append(_records(accounts, ACCOUNT, cursor, _load_accounts))
    if not types or "intrusion-set" in types:
        streams.append(_records(groups, GROUP, cursor, _load_groups))
    merged = heapq.merge(*streams, key=lambda entry: entry[:3])
    found: list[tuple[datetime, dict]] = []
    for at, kind, pk, record in merged:
        objects = _objects_of(kind, record)
        start = (
            cursor.skip if cursor and (at, kind, pk) == (cursor.at, cursor.kind, cursor.pk) else 0
        )
        for index, obj in enumerate(objects):
            if (
                index < start
                or (types and obj["type"] not in types)
                or (ids is not None and obj["id"] not in ids)
                or not _version_matches(obj, at, versions)
            ):
                continue
            if len(found) == limit:
                return Page(found, True, Cursor(at, kind, pk, index).encode())
            found.append((at, obj))
    return Page(found, False, None)
