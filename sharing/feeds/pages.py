"""Reading a platform's feed: a page of entries after a cursor, its canonical JSON body and
signature, the hash-list CSV, and the record of every pull (FeedPull and the security log).

A page's body is JSON with sorted keys and no spaces; the signature is the webhooks' header
(takedowns/webhooks/signing.py): `t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`
over exactly the bytes sent, so a platform verifies before it parses.
"""

import csv
import io
import json
import time

from django.db import transaction

from core.security import security_report
from takedowns.webhooks.signing import webhook_signature

from ..models import FeedPull, PlatformFeed, SignalEvent

SIGNATURE_HEADER = "X-Tracker-Signature"
KEY_ID_HEADER = "X-Feed-Key-Id"
NEXT_CURSOR_HEADER = "X-Feed-Next-Cursor"
HAS_MORE_HEADER = "X-Feed-Has-More"
CSV_COLUMNS = (
    "hash",
    "hash_type",
    "labels",
    "first_seen",
    "action",
    "sequence",
    "platform",
    "handle",
)


def feed_entries(*, feed: PlatformFeed, cursor: int, limit: int) -> tuple[list[SignalEvent], bool]:
    """The entries after `cursor`, oldest first, at most `limit`, and whether more follow
    (one query)."""
    rows = list(
        SignalEvent.objects.filter(feed=feed, sequence__gt=cursor)
        .order_by("sequence")
        .only("sequence", "action", "reason", "signals", "created_at")[: limit + 1]
    )
    return rows[:limit], len(rows) > limit


def entry_data(event: SignalEvent) -> dict:
    return {
        "sequence": event.sequence,
        "action": event.action,
        "reason": event.reason,
        "at": event.created_at.isoformat(),
        "signals": event.signals,
    }


def page_body(*, feed, events, cursor: int, has_more: bool, key_id: str) -> dict:
    next_cursor = events[-1].sequence if events else cursor
    return {
        "platform": feed.platform.slug,
        "cursor": cursor,
        "next_cursor": next_cursor,
        "has_more": has_more,
        "count": len(events),
        "key_id": key_id,
        "signals": [entry_data(event) for event in events],
    }


def canonical_json(data) -> bytes:
    """The bytes that are sent and signed."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _labels(signals: dict) -> str:
    labels = [f"platform:{signals.get('platform', '')}", f"handle:{signals.get('handle', '')}"]
    labels.append(f"status:{signals.get('status', '')}")
    if signals.get("mirror_of"):
        labels.append(f"mirror_of:{signals['mirror_of'].get('handle', '')}")
    for group in signals.get("groups", []):
        labels.append(f"group:{group['name']}")
        labels += [
            f"designation:{d['authority']}:{d['reference']}".rstrip(":")
            for d in group.get("designations", [])
            if d.get("current", True)
        ]
    # The separator of the column: no label may carry it.
    return ";".join(label.replace(";", ",") for label in dict.fromkeys(labels))


def hash_rows(events) -> list[list]:
    """CSV rows in the hash-sharing layout: one per avatar hash (PDQ when usable, MD5, SHA-256)
    of each entry; withdrawn entries tell the importer which hashes to drop."""
    rows = []
    for event in events:
        signals = event.signals
        avatar = signals.get("avatar") or {}
        hashes = []
        if avatar.get("pdq") and avatar.get("pdq_usable"):
            hashes.append((avatar["pdq"], "pdq"))
        hashes += [(avatar[kind], kind) for kind in ("md5", "sha256") if avatar.get(kind)]
        for value, kind in hashes:
            rows.append(
                [
                    value,
                    kind,
                    _labels(signals),
                    signals.get("first_seen_at") or "",
                    event.action,
                    event.sequence,
                    signals.get("platform", ""),
                    signals.get("handle", ""),
                ]
            )
    return rows


def csv_bytes(events) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in hash_rows(events):
        # Cells a spreadsheet would run as a formula are quoted with an apostrophe.
        writer.writerow(
            [f"'{c}" if isinstance(c, str) and c[:1] in ("=", "+", "-", "@") else c for c in row]
        )
    return out.getvalue().encode()


def signed_headers(*, key_id: str, secret: str, body: bytes) -> dict:
    """The signature and key id headers of a body."""
    return {
        SIGNATURE_HEADER: webhook_signature(secret=secret, timestamp=int(time.time()), body=body),
        KEY_ID_HEADER: key_id,
    }


@transaction.atomic
def feed_pull_record(
    *, feed, token, user, request, format: str, cursor: int, next_cursor: int, count: int
) -> FeedPull:
    """Log one pull of a feed: a FeedPull row (the feeds page) and a security-log event."""
    pull = FeedPull.objects.create(
        feed=feed,
        token=token,
        user=user if getattr(user, "pk", None) else None,
        format=format,
        cursor=cursor,
        next_cursor=next_cursor,
        count=count,
    )
    security_report(
        "feed_pull",
        user=user,
        request=request,
        obj=feed,
        detail=(
            f"{feed.platform.slug} {format} cursor {cursor}->{next_cursor}, {count} entries"
            + (f", token {token.prefix}" if token is not None else "")
        )[:500],
    )
    return pull
