"""The watch list: the signals of removed accounts, and the indexed look-up of the removed
accounts that could be re-created by a new one.

Candidate generation never scans the watch list: exact values (handle keys, name keys, contact
points) go through the (kind, value) b-tree, similar handle and name keys through their deletion
neighbourhoods (accounts.mirrors.blocking), hashed, through the WatchKey b-tree, avatars through
the slice b-trees of WatchAvatar with the Hamming distance computed in SQL. Each is one query,
whatever the size of the watch list.
"""

import time
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q

from ..choices import WatchSignalKind as Kind
from .avatars import (
    MATCH_DISTANCE,
    MIN_QUALITY,
    SLICE_FIELDS,
    best_distance,
    bit_string,
    hamming,
    probe_slices,
    slices,
)
from .blocking import probe_keys, stored_keys
from .contacts import extract_contacts
from .features import SIMILARITY_FLOOR, Context, Probe, Watched
from .folding import (
    consonant_key,
    display_name_key,
    handle_keys,
    handle_similarity,
    is_arabic_script,
    name_similarity,
)
from .models import SuppressedSignal, WatchAvatar, WatchKey, WatchSignal

ARABIC_PREFIX = "ar:"
CONSONANT_PREFIX = "~"
# Accounts kept from the blocking keys, those sharing the most keys with the probe first (a
# variant shared by more accounts is a short or common key, weak evidence anyway).
BLOCK_LIMIT = 200
# Exact matches kept per check: a value shared by more accounts is weak evidence anyway.
EXACT_LIMIT = 500
# Accounts kept from the avatar look-up, the nearest first (more within 31 bits of one picture
# is a default avatar, whose rarity makes it count for little anyway).
AVATAR_LIMIT = 50


@dataclass(frozen=True)
class AccountSignals:
    """What an account gives the watch list, computed from its fields (no query)."""

    handle_keys: tuple[str, ...]
    name_key: str
    name_arabic: bool
    avatar_pdq: str
    contacts: tuple[str, ...]
    avatar_crops: tuple[str, ...] = ()
    # The avatar's and its crops' rotations and flips (FlaggedAccount.avatar_variants).
    avatar_variants: tuple[str, ...] = ()

    def rows(self, group_ids) -> list[tuple[str, str]]:
        """(kind, value) rows for WatchSignal."""
        rows = [(Kind.HANDLE, key) for key in self.handle_keys]
        if self.name_key:
            prefix = ARABIC_PREFIX if self.name_arabic else ""
            rows.append((Kind.NAME, (prefix + self.name_key)[:255]))
            consonants = consonant_key(self.name_key).replace(" ", "")
            if consonants:
                rows.append((Kind.NAME, CONSONANT_PREFIX + consonants[:250]))
        rows += [(Kind.AVATAR, pdq) for pdq in self.avatar_signals()]
        rows += [(Kind.CONTACT, value[:255]) for value in self.contacts]
        rows += [(Kind.GROUP, str(pk)) for pk in sorted(set(group_ids))]
        return list(dict.fromkeys(rows))

    def avatar_signals(self) -> list[str]:
        """The avatar's hash and its crops' (WatchSignal rows: what a supervisor suppresses)."""
        if not self.avatar_pdq:
            return []
        return list(dict.fromkeys((self.avatar_pdq, *self.avatar_crops)))

    def avatar_hashes(self) -> list[str]:
        """Every hash the avatar look-up compares the upload's own hash with (each a WatchAvatar
        row): the avatar's and its crops', and the rotations and flips of each (24 in all; the
        first three alone for an account whose picture could not be hashed again)."""
        if not self.avatar_pdq:
            return []
        return list(dict.fromkeys((*self.avatar_signals(), *self.avatar_variants)))

    def avatars(self, account_id) -> list[WatchAvatar]:
        """WatchAvatar rows (not saved) for the account's avatar hashes, with their slices."""
        return [
            WatchAvatar(
                account_id=account_id,
                pdq=pdq,
                bits=bit_string(pdq),
                **dict(zip(SLICE_FIELDS, slices(pdq), strict=True)),
            )
            for pdq in self.avatar_hashes()
        ]

    def block_keys(self) -> list[int]:
        """The blocking-key hashes for WatchKey (accounts.mirrors.blocking)."""
        return stored_keys(self.handle_keys, self.name_key)


def signals_from(
    *,
    handle: str,
    display_name: str = "",
    bio: str = "",
    profile_url: str = "",
    avatar_pdq: str = "",
    avatar_quality: int | None = None,
    avatar_crops=(),
    avatar_variants=(),
) -> AccountSignals:
    """The signals of an account's fields; an avatar hash of low quality is left out."""
    usable = bool(avatar_pdq) and (avatar_quality or 0) >= MIN_QUALITY
    return AccountSignals(
        handle_keys=handle_keys(handle),
        name_key=display_name_key(display_name),
        name_arabic=is_arabic_script(display_name),
        avatar_pdq=avatar_pdq if usable else "",
        contacts=tuple(extract_contacts(bio, profile_url)),
        avatar_crops=tuple(avatar_crops or ()) if usable else (),
        avatar_variants=tuple(avatar_variants or ()) if usable else (),
    )


def account_signals(account) -> AccountSignals:
    """The signals of a FlaggedAccount."""
    return signals_from(
        handle=account.handle_normalized or account.handle,
        display_name=account.display_name,
        bio=account.bio,
        profile_url=account.profile_url,
        avatar_pdq=account.avatar_pdq,
        avatar_quality=account.avatar_quality,
        avatar_crops=account.avatar_crops,
        avatar_variants=account.avatar_variants,
    )


def index_account(account, group_ids) -> int:
    """Put the account's signals on the watch list (replacing any it had); returns the rows."""
    withdraw_account(account)
    signals = account_signals(account)
    rows = signals.rows(group_ids)
    WatchSignal.objects.bulk_create(
        [WatchSignal(account=account, kind=kind, value=value) for kind, value in rows]
    )
    WatchKey.objects.bulk_create(
        [WatchKey(account=account, key=key) for key in signals.block_keys()]
    )
    WatchAvatar.objects.bulk_create(signals.avatars(account.pk))
    return len(rows)


def withdraw_account(account) -> int:
    """Take the account's signals and blocking keys off the watch list; returns how many
    signals there were."""
    WatchKey.objects.filter(account=account).delete()
    WatchAvatar.objects.filter(account=account).delete()
    return WatchSignal.objects.filter(account=account).delete()[0]


# --- look-up ------------------------------------------------------------------------------------


def _blocked(probe: Probe) -> set[int]:
    """Accounts sharing a blocking key with the probe (one query, `= ANY` over the b-tree): the
    BLOCK_LIMIT sharing the most keys."""
    hashes = probe_keys(probe.handle_keys, probe.name_key)
    if not hashes:
        return set()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT account_id, count(*) AS n FROM accounts_watchkey"
                " WHERE key = ANY(%s::bigint[]) GROUP BY account_id ORDER BY n DESC, account_id"
                " DESC LIMIT %s",
                [hashes, BLOCK_LIMIT],
            )
            return {row[0] for row in cursor.fetchall()}
    shared = defaultdict(int)
    for account_id in WatchKey.objects.filter(key__in=hashes).values_list("account_id", flat=True):
        shared[account_id] += 1
    return set(sorted(shared, key=lambda pk: (-shared[pk], -pk))[:BLOCK_LIMIT])


def _any_of(pairs) -> Q:
    """(kind = k AND value IN (...)) OR ... for (kind, value) pairs, grouped by kind."""
    by_kind = defaultdict(list)
    for kind, value in pairs:
        by_kind[kind].append(value)
    condition = Q(pk__in=[])
    for kind, values in by_kind.items():
        condition |= Q(kind=kind, value__in=values)
    return condition


def _name_lookups(probe: Probe) -> list[str]:
    if not probe.name_key:
        return []
    consonants = consonant_key(probe.name_key).replace(" ", "")
    values = [probe.name_key, ARABIC_PREFIX + probe.name_key]
    return values + ([CONSONANT_PREFIX + consonants] if consonants else [])


def near_avatars(probe: Probe) -> dict[int, int]:
    """{removed account: Hamming distance} for the AVATAR_LIMIT nearest watched hashes within the
    match distance of the upload's own hash (one query): the watch list holds every rotation and
    flip of the removed picture and of its crops (AccountSignals.avatar_hashes), so the upload's
    own hash alone is probed, every slice value within PROBE_RADIUS bits (16 x 17); PostgreSQL
    compares the full hashes (bit_count of the XOR) and returns only those within MATCH_DISTANCE,
    nearest first (accounts.mirrors.avatar_slices)."""
    if not probe.avatar_variants:
        return {}
    own = probe.avatar_variants[0]
    probes = [sorted(values) for values in probe_slices(own)]
    if connection.vendor != "postgresql":
        condition = Q(pk__in=[])
        for field, values in zip(SLICE_FIELDS, probes, strict=True):
            condition |= Q(**{f"{field}__in": values})
        near = defaultdict(lambda: MATCH_DISTANCE + 1)
        for account_id, pdq in WatchAvatar.objects.filter(condition).values_list(
            "account_id", "pdq"
        ):
            near[account_id] = min(near[account_id], hamming(own, pdq))
        kept = sorted((d, pk) for pk, d in near.items() if d <= MATCH_DISTANCE)[:AVATAR_LIMIT]
        return {pk: d for d, pk in kept}
    # Column names from the code; every value is a parameter. One index-only scan per slice
    # (each b-tree carries the account and the bit(256) hash), their rows appended: measured
    # against one BitmapOr over the same b-trees, which reads every chance row from the table
    # (bench/mirror_avatar_layouts.py, docs/mirrors.md).
    own_bits = bit_string(own)
    arms = " UNION ALL ".join(
        f"SELECT account_id, bit_count(bits # %s::bit(256)) AS distance"  # nosec B608
        f" FROM accounts_watchavatar WHERE {field} = ANY(%s::integer[])"
        for field in SLICE_FIELDS
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT account_id, min(distance) AS d FROM ({arms}) hits"  # nosec B608
            " WHERE distance <= %s GROUP BY account_id ORDER BY d, account_id DESC LIMIT %s",
            [*(value for values in probes for value in (own_bits, values)), MATCH_DISTANCE,
             AVATAR_LIMIT],
        )  # fmt: skip
        return dict(cursor.fetchall())


def candidate_ids(probe: Probe) -> set[int]:
    """Removed accounts sharing an exact value with the probe, an avatar within the match
    distance or a blocking key (a handle or name key a few edits away): three queries."""
    exact = [(Kind.HANDLE, key) for key in probe.handle_keys]
    exact += [(Kind.NAME, value) for value in _name_lookups(probe)]
    exact += [(Kind.CONTACT, value) for value in probe.contacts]
    # No DISTINCT or LIMIT in SQL: with them the planner walks the account_id index and filters
    # the whole table (measured: 270 ms); without, it ORs (kind, value) index scans.
    found = set(WatchSignal.objects.filter(_any_of(exact)).values_list("account_id", flat=True))
    if len(found) > EXACT_LIMIT:
        found = set(sorted(found)[-EXACT_LIMIT:])  # the latest records
    return found | set(near_avatars(probe)) | _blocked(probe)


def load_watched(account_ids, *, avatars: bool = True) -> dict[int, Watched]:
    """The watch-list signals of these accounts, with their platform and removal time (one
    query), and every watched hash of their avatars (one more, unless `avatars` is false: a
    probe without an avatar compares none)."""
    watched: dict[int, Watched] = {}
    rows = WatchSignal.objects.filter(account_id__in=list(account_ids)).values_list(
        "account_id", "account__platform_id", "account__removed_at", "kind", "value"
    )
    for account_id, platform_id, removed_at, kind, value in rows:
        entry = watched.get(account_id)
        if entry is None:
            entry = watched[account_id] = Watched(account_id, platform_id, removed_at)
        if kind == Kind.HANDLE:
            entry.handle_keys.append(value)
        elif kind == Kind.NAME and not value.startswith(CONSONANT_PREFIX):
            if value.startswith(ARABIC_PREFIX):
                entry.name_arabic, value = True, value[len(ARABIC_PREFIX) :]
            entry.name_keys.append(value)
        elif kind == Kind.AVATAR:
            entry.avatars.append(value)
        elif kind == Kind.CONTACT:
            entry.contacts.add(value)
        elif kind == Kind.GROUP:
            entry.group_ids.add(int(value))
    if not avatars:
        return watched
    # Every watched hash of their avatars (the rotations and flips too), as the look-up saw them.
    for account_id, pdq in WatchAvatar.objects.filter(account_id__in=list(watched)).values_list(
        "account_id", "pdq"
    ):
        if pdq not in watched[account_id].avatars:
            watched[account_id].avatars.append(pdq)
    return watched


def frequencies(watched: dict[int, Watched], probe: Probe) -> dict:
    """How many watched accounts hold each handle key, name key and contact point in play:
    only the keys close enough to the probe's to count (the others' frequency changes nothing)."""
    wanted = defaultdict(set)
    for entry in watched.values():
        wanted[Kind.HANDLE].update(
            key
            for key in entry.handle_keys
            if handle_similarity(probe.handle_keys, (key,)) > SIMILARITY_FLOOR
        )
        arabic = probe.name_arabic or entry.name_arabic
        wanted[Kind.NAME].update(
            (ARABIC_PREFIX if entry.name_arabic else "") + key
            for key in entry.name_keys
            if name_similarity(probe.name_key, key, arabic=arabic) > SIMILARITY_FLOOR
        )
        wanted[Kind.CONTACT].update(entry.contacts & probe.contacts)
    pairs = [(kind, value) for kind, values in wanted.items() for value in values]
    out = {}
    if not pairs:
        return out
    for kind, value, count in (
        WatchSignal.objects.filter(_any_of(pairs))
        .values_list("kind", "value")
        .annotate(n=Count("id"))
        .values_list("kind", "value", "n")
    ):
        if kind == Kind.NAME and value.startswith(ARABIC_PREFIX):
            value = value[len(ARABIC_PREFIX) :]
        out[(kind, value)] = out.get((kind, value), 0) + count
    return out


# Suppressed signals change rarely and must take effect soon, not necessarily at once in every
# process: each process reads them again after this many seconds (at once after its own change).
SUPPRESSED_TTL = 30.0
_suppressed_cache: dict = {}


def forget_suppressed() -> None:
    """Drop this process's copy of the suppressed signals (after a suppression)."""
    _suppressed_cache.clear()


def suppressed_signals() -> tuple[frozenset, tuple[str, ...]]:
    """The suppressed (kind, value) pairs, and the suppressed avatar hashes."""
    cached = _suppressed_cache.get("value")
    if cached is not None and time.monotonic() - cached[0] < SUPPRESSED_TTL:
        return cached[1]
    pairs = frozenset(SuppressedSignal.objects.values_list("kind", "value"))
    avatars = tuple(value for kind, value in pairs if kind == Kind.AVATAR)
    _suppressed_cache["value"] = (time.monotonic(), (pairs, avatars))
    return pairs, avatars


def avatar_frequency(watched: dict[int, Watched], probe: Probe) -> int:
    """Watched candidates whose avatar is within the match distance of the probe's."""
    if not probe.avatar_variants:
        return 1
    return max(
        1,
        sum(
            1
            for entry in watched.values()
            if entry.avatars
            and best_distance(probe.avatar_variants, entry.avatars) <= MATCH_DISTANCE
        ),
    )


def build_context(watched, probe, *, now, suppressed=None) -> Context:
    """The frequencies and suppressed signals the features of these pairs need."""
    pairs, avatars = suppressed if suppressed is not None else suppressed_signals()
    return Context(
        now=now,
        frequency=frequencies(watched, probe),
        suppressed=pairs,
        suppressed_avatars=avatars,
        avatar_frequency=avatar_frequency(watched, probe),
    )
