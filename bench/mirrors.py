"""Speed of one mirror check at national scale, beside the obvious alternative.

    python bench/mirrors.py [--accounts 1000000] [--queries 200] [--scan-queries 30]
                            [--recall-queries N] [--no-seed]

Seeds its own PostgreSQL database (tracker_bench_mirrors, or BENCH_MIRRORS_DATABASE_URL) with
COPY: platforms, 300 groups, N flagged accounts of which a fifth are removed, and the removed
ones' watch-list signals (folded handle keys, display-name keys, contact points from their bios,
groups, and for half of them a PDQ avatar hash with its two crop hashes; the hashes are random
256-bit values, since hashing a million pictures measures Pillow, not the look-up). Then, for
mirrors made from removed accounts with the generator's tricks, prints p50/p95 of
`services.mirror_check` and of a brute-force check that reads every removed account's signals
and ranks them with rapidfuzz (also of the same scan over signals already in memory), their
ratio, and the recall of the indexed candidates against the brute-force top 10.

A mirror's avatar, as a real upload, carries eight PDQ hashes (`pdqhash.compute_dihedral`: the
picture and its rotations and flips): the first is the removed account's hash with 2-20 bits
flipped (a re-encoded copy), the seven others random 256-bit hashes. A rotated or flipped
picture's hash is about 128 bits from the original's, as unrelated to it as a random hash, so
random hashes cost the look-up what the real variants cost (the 16 x 17 slice values each).

The timed brute-force checks (`--scan-queries`) read the watch list from the database each
time; the recall is computed on every checked mirror (`--recall-queries`, all by default) with
the same scan over the watch list read once, in memory (same ranking, untimed).
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import copy, database_url, ensure_database, setup_django
from bench.mirror_data import apply_trick, phone_format, telegram_format
from bench.mirror_words import COMMON, HANDLE_TRICKS, LAQAB, PERSON, PHRASES, PLATFORMS

NOW = datetime.now(UTC).replace(microsecond=0)
VARIANT_SEED = 20261203
FLOOR = 0.6  # below this similarity a handle or name adds nothing to a score
# The WatchKey indexes (accounts.mirrors.models), rebuilt after the COPY.
KEY_INDEXES = {"watchkey_key_idx": "key", "watchkey_account_idx": "account_id"}


def mirrors_url() -> str:
    if os.environ.get("BENCH_MIRRORS_DATABASE_URL"):
        return os.environ["BENCH_MIRRORS_DATABASE_URL"]
    return urlunsplit(urlsplit(database_url())._replace(path="/tracker_bench_mirrors"))


def _word(rng):
    consonants, vowels = "bdfghjklmnpqrstvwz", "aeiou"
    return "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))


def _identity(rng):
    words = [rng.choice(PERSON), rng.choice(LAQAB), _word(rng)]
    if rng.random() < 0.3:
        words[rng.randrange(3)] = rng.choice(COMMON)
    return words


def _hex(rng):
    return f"{rng.getrandbits(256):064x}"


def _clean(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ").replace("\\", "")


def watched_variants(vrng: random.Random, pdq: str, crops) -> list[str]:
    """A removed avatar's watched hashes as `hash_image` gives them (AvatarHash.watched): the
    picture's eight dihedral variants, then each crop's eight; the rotated and flipped ones are
    random 256-bit hashes (as far from the picture's as real ones, and as costly to store)."""
    out = []
    for own in (pdq, *crops):
        out += [own, *(_hex(vrng) for _ in range(7))]
    return out


def avatar_rows(pk: int, signals) -> list[tuple]:
    """The WatchAvatar COPY rows of an account's signals."""
    return [
        (str(pk), row.pdq, row.bits, *(str(getattr(row, f)) for f in row.SLICE_FIELDS))
        for row in signals.avatars(pk)
    ]


def rebuild_avatar_indexes(build) -> None:
    """WatchAvatar's slice b-trees dropped, `build()` run (a COPY), and the b-trees built once."""
    from django.db import connection

    from accounts.models import WatchAvatar

    with connection.schema_editor() as editor:
        for index in WatchAvatar._meta.indexes:
            editor.execute(f"DROP INDEX IF EXISTS {index.name}")
        build()
        for index in WatchAvatar._meta.indexes:
            editor.add_index(WatchAvatar, index)


def reindex_avatars(step) -> None:
    """Rewrite the watched avatars of a database seeded before migration 0013 as `seed` writes
    them now (the same random variants, drawn in the same order), without reseeding the rest."""
    from django.db import connection, transaction

    from accounts.mirrors.watchlist import AccountSignals
    from accounts.models import FlaggedAccount, WatchAvatar

    vrng = random.Random(VARIANT_SEED)
    hashes: dict[int, list[str]] = {}
    for account_id, pdq in WatchAvatar.objects.order_by("account_id", "id").values_list(
        "account_id", "pdq"
    ):
        hashes.setdefault(account_id, []).append(pdq)
    rows, variants = [], []
    for pk, pdq in (
        FlaggedAccount.objects.filter(pk__in=list(hashes))
        .exclude(avatar_pdq="")
        .order_by("pk")
        .values_list("pk", "avatar_pdq")
    ):
        crops = [h for h in hashes[pk] if h != pdq]
        watched = watched_variants(vrng, pdq, crops)
        signals = AccountSignals((), "", False, pdq, (), tuple(crops), tuple(watched))
        rows += avatar_rows(pk, signals)
        variants.append((str(pk), json.dumps(watched)))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE accounts_watchavatar")
        cursor.execute("SET LOCAL session_replication_role = replica")  # as seed: no FK triggers

        def build():
            copy(cursor, "accounts_watchavatar",
                 ["account_id", "pdq", "bits", *WatchAvatar.SLICE_FIELDS], rows)  # fmt: skip

        rebuild_avatar_indexes(build)
        cursor.execute("CREATE TEMP TABLE bench_variants (id integer, variants jsonb)")
        copy(cursor, "bench_variants", ["id", "variants"], variants)
        cursor.execute(
            "UPDATE accounts_flaggedaccount f SET avatar_variants = v.variants"
            " FROM bench_variants v WHERE f.id = v.id"
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE accounts_watchavatar, accounts_flaggedaccount")
    step(f"{len(rows):,} watch-list avatar hashes of {len(variants):,} avatars rewritten")


def seed(accounts: int, rng: random.Random, step) -> dict:
    """Fill the database; returns {removed id: (platform slug, handle, name, bio, avatar)}."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from accounts.mirrors import handle_stem
    from accounts.mirrors.watchlist import signals_from

    call_command("migrate", verbosity=0)
    step("migrated")
    removed = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE accounts_watchkey, accounts_watchsignal, accounts_watchavatar, "
            "accounts_mirrorcandidate, "
            "accounts_flaggedaccount_groups, accounts_flaggedaccount, accounts_platform, "
            "accounts_proscribedgroup RESTART IDENTITY CASCADE"
        )
        # The blocking keys' b-trees are built once after the load, not row by row during it.
        for name in KEY_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        cursor.execute("SET LOCAL session_replication_role = replica")
        copy(cursor, "accounts_platform",
             ["id", "slug", "name", "submission_url", "submission_email", "adapter",
              "adapter_config", "rate_limit_per_minute", "is_active"],
             ((str(i + 1), slug, slug.title(), "", "", "manual", "{}", "30", "t")
              for i, slug in enumerate(PLATFORMS)))  # fmt: skip
        copy(cursor, "accounts_proscribedgroup",
             ["id", "name", "name_key", "country", "notes", "created_at", "updated_at"],
             ((str(g), f"Group {g}", f"group {g}", "", "", NOW.isoformat(), NOW.isoformat())
              for g in range(1, 301)))  # fmt: skip
        signals, keys, avatars, links, used = [], [], [], [], set()
        # The rotated and flipped variants from a generator of their own, so that the rest of
        # the data set is the one seeded before they were stored (reindex_avatars draws alike).
        vrng = random.Random(VARIANT_SEED)

        def rows():
            for pk in range(1, accounts + 1):
                slug = PLATFORMS[pk % len(PLATFORMS)]
                words = _identity(rng)
                handle = rng.choice(["_", "", "."]).join(words)[:30] + (
                    str(pk % 97) if rng.random() < 0.3 else ""
                )
                if (slug, handle.lower()) in used:
                    handle = f"{handle}{pk}"
                used.add((slug, handle.lower()))
                name = " ".join(w.title() for w in words)
                is_removed = rng.random() < 0.2
                bio, avatar, variants = rng.choice(PHRASES), None, []
                groups = rng.sample(range(1, 301), 1 if rng.random() < 0.7 else 2)
                links.extend((str(pk), str(g)) for g in groups)
                removed_at = "\\N"
                if is_removed:
                    if rng.random() < 0.45:
                        bio += " " + telegram_format(rng, f"{words[0]}{words[1]}{pk}")
                    if rng.random() < 0.3:
                        digits = f"3{rng.randint(0, 49):02d}{rng.randint(10**6, 10**7 - 1)}"
                        bio += " " + phone_format(rng, digits)
                    if rng.random() < 0.5:
                        avatar = (_hex(rng), [_hex(rng), _hex(rng)])
                        variants = watched_variants(vrng, *avatar)
                    when = NOW - timedelta(days=rng.uniform(0, 1000))
                    removed_at = when.isoformat()
                    found = signals_from(
                        handle=handle.lower(), display_name=name, bio=bio,
                        avatar_pdq=avatar[0] if avatar else "", avatar_quality=90,
                        avatar_crops=avatar[1] if avatar else (), avatar_variants=variants,
                    )  # fmt: skip
                    group_ids = groups
                    for kind, value in found.rows(group_ids):
                        signals.append((str(pk), kind, _clean(value), NOW.isoformat()))
                    keys.extend((str(pk), str(key)) for key in found.block_keys())
                    avatars.extend(avatar_rows(pk, found))
                    removed[pk] = (slug, handle, name, bio, avatar, groups)
                yield (
                    str(pk), str(PLATFORMS.index(slug) + 1), handle, handle.lower(),
                    handle_stem(handle.lower()), "", f"https://{slug}.example/{handle}",
                    name, _clean(bio), "", avatar[0] if avatar else "", "90" if avatar else "\\N",
                    "[]", json.dumps(variants), "removed" if is_removed else "active",
                    NOW.isoformat(), "\\N", removed_at, "\\N", "", "\\N", NOW.isoformat(),
                    NOW.isoformat(),
                )  # fmt: skip

        from accounts.models import FlaggedAccount

        columns = [f.column for f in FlaggedAccount._meta.concrete_fields]
        copy(cursor, "accounts_flaggedaccount", columns, rows())
        step(f"{accounts:,} accounts ({len(removed):,} removed)")
        copy(cursor, "accounts_flaggedaccount_groups", ["flaggedaccount_id", "proscribedgroup_id"],
             links)  # fmt: skip
        count = copy(
            cursor, "accounts_watchsignal", ["account_id", "kind", "value", "created_at"], signals
        )
        step(f"{count:,} watch-list signals")
        count = copy(cursor, "accounts_watchkey", ["account_id", "key"], keys)
        step(f"{count:,} blocking keys")
        from accounts.models import WatchAvatar

        def build():
            columns = ["account_id", "pdq", "bits", *WatchAvatar.SLICE_FIELDS]
            count = copy(cursor, "accounts_watchavatar", columns, avatars)
            step(f"{count:,} watch-list avatar hashes")

        rebuild_avatar_indexes(build)
        step("avatar slice indexes built")
        for name, column in KEY_INDEXES.items():
            cursor.execute(f"CREATE INDEX {name} ON accounts_watchkey ({column})")
        step("blocking-key indexes built")
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('accounts_flaggedaccount', 'id'), %s)", [accounts]
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE accounts_watchkey, accounts_watchsignal, accounts_watchavatar, "
            "accounts_flaggedaccount"
        )
    step("committed and analysed")
    return removed


def load_removed() -> dict:
    from accounts.models import FlaggedAccount

    out = {}
    for pk, slug, handle, name, bio, pdq, crops in FlaggedAccount.objects.filter(
        status="removed"
    ).values_list("pk", "platform__slug", "handle", "display_name", "bio", "avatar_pdq",
                  "avatar_crops"):  # fmt: skip
        out[pk] = (slug, handle, name, bio, (pdq, crops) if pdq else None, [])
    return out


def make_queries(removed: dict, n: int, rng: random.Random) -> list[dict]:
    """Mirrors of randomly chosen removed accounts, with the generator's tricks."""
    from accounts.mirrors.avatars import AvatarHash

    out = []
    for pk in rng.sample(sorted(removed), n):
        slug, handle, name, bio, avatar, groups = removed[pk]
        handle = handle.split(".")[0] if rng.random() < 0.1 else handle
        for trick in rng.sample(HANDLE_TRICKS, rng.randint(1, 2)):
            if trick != "homoglyph":  # ASCII handles on these platforms
                handle = apply_trick(rng, trick, handle)
        query = {
            "target": pk,
            "platform": rng.choice([slug, slug, rng.choice(PLATFORMS)]),
            "handle": handle,
            "display_name": name if rng.random() < 0.6 else "",
            "bio": bio if rng.random() < 0.4 else rng.choice(PHRASES),
            "avatar": None,
            "groups": groups,
        }
        if avatar and rng.random() < 0.5:
            bits = int(avatar[0], 16)
            for bit in rng.sample(range(256), rng.randint(2, 20)):
                bits ^= 1 << bit
            pdq = f"{bits:064x}"
            others = tuple(f"{rng.getrandbits(256):064x}" for _ in range(7))
            query["avatar"] = AvatarHash(pdq=pdq, quality=90, variants=(pdq, *others))
        out.append(query)
    return out


_PLATFORMS: dict = {}


def service_check(query):
    """One check as the entry form makes it: the platform already resolved."""
    from accounts import services
    from accounts.models import Platform

    if not _PLATFORMS:
        _PLATFORMS.update({p.slug: p for p in Platform.objects.all()})
    return services.mirror_check(
        platform=_PLATFORMS[query["platform"]],
        handle=query["handle"],
        display_name=query["display_name"],
        bio=query["bio"],
        avatar=query["avatar"],
    )


def probe_of(query):
    from accounts.mirrors.scoring import make_probe
    from accounts.mirrors.watchlist import signals_from
    from accounts.models import Platform

    avatar = query["avatar"]
    signals = signals_from(
        handle=query["handle"].lower(), display_name=query["display_name"], bio=query["bio"],
        avatar_pdq=avatar.pdq if avatar else "", avatar_quality=avatar.quality if avatar else None,
    )  # fmt: skip
    platform = Platform.objects.get(slug=query["platform"])
    return make_probe(signals, platform_id=platform.pk, avatar=avatar)


def read_watchlist():
    """Every removed account's signals, read from the database: what a scan has to do."""
    from django.db import connection

    handles, names, contacts, avatars = {}, {}, {}, {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT account_id, kind, value FROM accounts_watchsignal "
            "WHERE kind IN ('handle', 'name', 'contact', 'avatar')"
        )
        for account_id, kind, value in cursor.fetchall():
            if kind == "handle":
                handles.setdefault(account_id, []).append(value)
            elif kind == "name":
                if not value.startswith("~"):
                    names[account_id] = (value.removeprefix("ar:"), value.startswith("ar:"))
            elif kind == "contact":
                contacts.setdefault(value, []).append(account_id)
            else:
                avatars.setdefault(account_id, []).append(int(value, 16))
    return handles, names, contacts, avatars


def brute_force(probe, watchlist, limit=10):
    """The top accounts by handle or name similarity (rapidfuzz over all of them), a shared
    contact point or an avatar within 31 bits, above the similarity floor."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import OSA

    handles, names, contacts, avatars = watchlist
    best: dict[int, float] = {}
    if probe.handle_keys:
        ids = [pk for pk, keys in handles.items() for _ in keys]
        keys = [key for keys in handles.values() for key in keys]
        for key in probe.handle_keys:
            for _, score, index in process.extract(
                key, keys, scorer=OSA.normalized_similarity, limit=limit, score_cutoff=FLOOR
            ):
                best[ids[index]] = max(best.get(ids[index], 0), score)
    if probe.name_key:
        ids, keys = list(names), [key for key, _ in names.values()]
        for _, score, index in process.extract(
            probe.name_key, keys, scorer=fuzz.token_sort_ratio, limit=limit,
            score_cutoff=FLOOR * 100,
        ):  # fmt: skip
            best[ids[index]] = max(best.get(ids[index], 0), score / 100)
    for value in probe.contacts:
        for account_id in contacts.get(value, ()):
            best[account_id] = 1.0
    for variant in probe.avatar_variants:
        bits = int(variant, 16)
        for account_id, hashes in avatars.items():
            if min((bits ^ h).bit_count() for h in hashes) <= 31:
                best[account_id] = 1.0
    return [pk for pk, _ in sorted(best.items(), key=lambda kv: -kv[1])[:limit]]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def split_by_avatar(queries, service_ms) -> str:
    """The same checks' p50/p95, those whose mirror carries an avatar apart from the others."""
    parts = []
    for label, wanted in (("with an avatar", True), ("without", False)):
        ms = [
            t
            for q, t in zip(queries, service_ms, strict=True)
            if (q["avatar"] is not None) == wanted
        ]
        if ms:
            parts.append(
                f"{label}: p50 {percentile(ms, 0.5):.1f} ms p95 {percentile(ms, 0.95):.1f} ms "
                f"(n={len(ms)})"
            )
    return "  service checks " + ";  ".join(parts)


def show_miss(query, probe, watchlist, pk) -> None:
    """One suggested candidate the look-up missed: the probe's and the candidate's signals."""
    handles, names, contacts, avatars = watchlist
    shown = {key: value for key, value in query.items() if key != "avatar"}
    print(f"  MISSED removed account {pk} for the check {shown}")
    print(f"    probe: handle keys {probe.handle_keys}, name key {probe.name_key!r}")
    print(
        f"    candidate: handle keys {handles.get(pk)}, name {names.get(pk)}, contacts "
        f"{[value for value, ids in contacts.items() if pk in ids]}, avatar {pk in avatars}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--scan-queries", type=int, default=30)
    parser.add_argument(
        "--recall-queries", type=int, default=None,
        help="checks whose recall is computed by the in-memory scan (default: all of them)",
    )  # fmt: skip
    parser.add_argument("--no-seed", action="store_true", help="reuse the seeded database")
    parser.add_argument(
        "--show-misses", action="store_true",
        help="print each candidate the full score suggests that the indexed look-up did not reach",
    )  # fmt: skip
    parser.add_argument(
        "--reindex-avatars", action="store_true",
        help="with --no-seed: first rewrite the watched avatars of a database seeded before "
        "migration 0013 (migrate it first) with their rotations and flips, as seeding does now",
    )  # fmt: skip
    parser.add_argument(
        "--query-seed", type=int, default=20261202,
        help="seed of the mirrors checked (tune on another one than the one you report)",
    )  # fmt: skip
    args = parser.parse_args()
    os.environ["BENCH_DATABASE_URL"] = mirrors_url()
    ensure_database(mirrors_url())
    setup_django()
    from django.conf import settings
    from django.db import connection

    from accounts.mirrors.watchlist import candidate_ids
    from bench.mirror_recall import Scan

    started = time.monotonic()

    def step(message):
        load = "/".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"[{time.monotonic() - started:7.1f}s] {message}   (load {load})", flush=True)

    rng = random.Random(20261201)
    if args.no_seed and args.reindex_avatars:
        reindex_avatars(step)
    removed = load_removed() if args.no_seed else seed(args.accounts, rng, step)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_flaggedaccount")
        total = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM accounts_watchsignal")
        signal_rows = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM accounts_watchkey")
        key_rows = cursor.fetchone()[0]
    print(
        f"size: {total:,} accounts, {len(removed):,} removed, {signal_rows:,} watch-list rows, "
        f"{key_rows:,} blocking keys"
    )
    queries = make_queries(removed, args.queries, random.Random(args.query_seed))
    for query in queries[:5]:
        service_check(query)  # warm the caches and the connection
    service_ms, found_target = [], 0
    for query in queries:
        t0 = time.perf_counter()
        found = service_check(query)
        service_ms.append((time.perf_counter() - t0) * 1000)
        found_target += bool(found) and found[0].removed_account.pk == query["target"]
    step(f"{len(queries)} checks through services.mirror_check")
    p50, p95 = percentile(service_ms, 0.5), percentile(service_ms, 0.95)
    print(
        f"service check (indexed)            p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   "
        f"(n={len(service_ms)}; true original ranked first in {found_target / len(queries):.1%})"
    )
    split = split_by_avatar(queries, service_ms)
    print(split)
    scan_ms, memory_ms, recalls = [], [], []
    top_total, top_found = 0, 0
    threshold = settings.MIRROR_SUGGEST_SCORE
    scan, suggested, suggested_found, suggesting_checks = None, 0, 0, 0
    watchlist = None
    recall_n = len(queries) if args.recall_queries is None else args.recall_queries
    checked = queries[: max(recall_n, args.scan_queries)]
    for n, query in enumerate(checked):
        probe = probe_of(query)
        if n < args.scan_queries:
            t0 = time.perf_counter()
            watchlist = read_watchlist()
            t1 = time.perf_counter()
            top = brute_force(probe, watchlist)
            t2 = time.perf_counter()
            scan_ms.append((t2 - t0) * 1000)
            memory_ms.append((t2 - t1) * 1000)
            if n == args.scan_queries - 1:
                step(f"{len(scan_ms)} timed brute-force checks")
        else:
            watchlist = watchlist or read_watchlist()  # read once: only the recall is wanted
            top = brute_force(probe, watchlist)
        indexed = candidate_ids(probe)
        if top:
            recalls.append(sum(1 for pk in top if pk in indexed) / len(top))
            top_total += len(top)
            top_found += sum(1 for pk in top if pk in indexed)
        scan = scan or Scan(watchlist)
        truth = scan.suggested(probe, threshold=threshold)
        suggested += len(truth)
        suggested_found += len(truth & indexed)
        if args.show_misses:
            for pk in sorted(truth - indexed):
                show_miss(query, probe, watchlist, pk)
        suggesting_checks += bool(truth)
        if (n + 1) % 20 == 0:
            step(f"recall: {n + 1} checks")
    step(f"recall over {len(checked)} checks (in-memory scan)")
    s50, s95 = percentile(scan_ms, 0.5), percentile(scan_ms, 0.95)
    m50, m95 = percentile(memory_ms, 0.5), percentile(memory_ms, 0.95)
    print()
    print(
        f"service check (indexed)            p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   "
        f"(n={len(service_ms)}; true original ranked first in {found_target / len(queries):.1%})"
    )
    print(split)
    print(
        f"brute force: read + rapidfuzz scan p50 {s50:8.1f} ms   p95 {s95:8.1f} ms   "
        f"(n={len(scan_ms)})"
    )
    print(f"brute force: rapidfuzz, in memory  p50 {m50:8.1f} ms   p95 {m95:8.1f} ms")
    print(
        f"ratio (scan / service): p50 {s50 / p50:.0f}x, p95 {s95 / p95:.0f}x;   "
        f"in-memory scan / service: p50 {m50 / p50:.1f}x"
    )
    print(
        f"recall of the indexed candidates against the brute-force candidates scoring >= "
        f"MIRROR_SUGGEST_SCORE ({threshold}): {suggested_found / max(suggested, 1):.3f} "
        f"({suggested_found} of {suggested}, over {suggesting_checks} of {len(checked)} checks)"
        "   [the target]"
    )
    print(
        f"recall of the indexed candidates against the brute-force top 10 (any similarity "
        f">= {FLOOR}): mean per check {statistics.mean(recalls):.3f}, pooled "
        f"{top_found / max(top_total, 1):.3f} ({top_found} of {top_total}, over {len(recalls)} "
        f"of {len(checked)} checks)"
    )
    print(
        "targets: service p95 < 50 ms, >= 50x faster than the scan, recall of the candidates "
        "scoring >= MIRROR_SUGGEST_SCORE >= 0.98"
    )


if __name__ == "__main__":
    main()
