"""The STIX 2.1 bundle of a set of accounts, groups and requests, written as a stream.

Constant memory: the querysets are read in chunks (`iterator(chunk_size)`), each object is
serialised with json.dumps the moment it is built and nothing but the ids of the groups met so
far is kept (a set as large as the number of groups). A StreamingHttpResponse sends the chunks.
"""

import json
from collections.abc import Iterable, Iterator

from django.db.models import Q, QuerySet

from accounts.models import FlaggedAccount, ProscribedGroup

from .ids import bundle_id
from .objects import account_objects, account_stix_id, intrusion_set, request_note
from .source import export_accounts, export_groups, export_signals

CHUNK_SIZE = 1000
MEDIA_TYPE = "application/stix+json;version=2.1"


def dumps(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def account_stream(accounts: QuerySet, groups_seen: set[int]) -> Iterator[dict]:
    """Every account's objects; the ids of the groups they point to go into groups_seen."""
    for account in export_accounts(accounts).iterator(chunk_size=CHUNK_SIZE):
        signals = export_signals(account)
        groups_seen.update(group["id"] for group in signals["groups"])
        yield from account_objects(signals, created=account.created_at, modified=account.updated_at)


def group_stream(groups: QuerySet) -> Iterator[dict]:
    for group in export_groups(groups).iterator(chunk_size=CHUNK_SIZE):
        yield intrusion_set(group)


def request_stream(requests: QuerySet) -> Iterator[dict]:
    """A note per request, about the accounts it covers."""
    requests = requests.select_related("platform").prefetch_related("accounts__platform")
    for request in requests.order_by("pk").iterator(chunk_size=CHUNK_SIZE):
        ids = [account_stix_id(a.platform.slug, a.handle) for a in request.accounts.all()]
        note = request_note(request, ids)
        if note is not None:
            yield note


def bundle_objects(
    *,
    accounts: QuerySet | None = None,
    groups: QuerySet | None = None,
    requests: QuerySet | None = None,
) -> Iterator[dict]:
    """The objects of a bundle: the requests' notes, the accounts (those given and those the
    requests cover) and every group they point to, each object once."""
    groups_seen: set[int] = set()
    if requests is not None:
        yield from request_stream(requests)
        covered = FlaggedAccount.objects.filter(takedowns__in=requests).distinct()
        if accounts is not None:
            covered = FlaggedAccount.objects.filter(
                Q(pk__in=accounts.values("pk")) | Q(pk__in=covered.values("pk"))
            )
        accounts = covered
    if accounts is not None:
        yield from account_stream(accounts, groups_seen)
    wanted = Q(pk__in=sorted(groups_seen))
    if groups is not None:
        wanted |= Q(pk__in=groups.values("pk"))
    if groups is not None or groups_seen:
        yield from group_stream(ProscribedGroup.objects.filter(wanted))


def bundle_chunks(objects: Iterable[dict]) -> Iterator[str]:
    """A bundle as text, one object per line."""
    yield f'{{"type":"bundle","id":"{bundle_id()}","objects":['
    separator = "\n"
    for obj in objects:
        yield separator + dumps(obj)
        separator = ",\n"
    yield "\n]}\n"


def bundle_text(**sets) -> str:
    """The whole bundle in one string (tests, small exports)."""
    return "".join(bundle_chunks(bundle_objects(**sets)))
