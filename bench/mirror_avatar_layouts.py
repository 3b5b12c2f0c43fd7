"""Slice layouts for the avatar look-up, side by side, on the same hashes and the same probes.

    python bench/mirror_avatar_layouts.py [--hashes 300000] [--queries 100] [--reuse]
                                          [--layouts "16x16 r1 (0012),16x16 r1 stored8 cov"]

What it decides: how WatchAvatar cuts a 256-bit PDQ hash into indexed slices, and what it stores,
so that a check finds every stored hash within 31 bits (HMA's match) in as little time as
possible. Each layout is a table of its own in a scratch database (tracker_bench_avatar_layouts,
or BENCH_LAYOUTS_DATABASE_URL) holding the same random hashes (300,000 = the avatar rows of the
1M-account bench: 100,000 avatars and two crops each), one b-tree per slice column. A layout
either stores each hash once and probes all eight dihedral variants of the upload, or stores
each hash with its seven rotations and flips (`stored8`: 8 rows a hash, the seven random 256-bit
hashes, as far apart as real variants) and probes the upload's own hash only. Every probe is one
stored hash moved 10-31 bits (spread over the slices) as one of the upload's eight variants, the
seven others random. Printed per layout: the probe values per check, the rows the slice indexes
hand to the distance test, p50/p95 of the query (client side: planning included) and how many
of the targets it found.

  11x23 r2/r1   11 slices of 23 bits, the upload's hash probed within 2 bits, its seven other
                variants within 1 bit (the layout of migration 0011; misses flipped copies
                22-31 bits away)
  11x23 r2      the same slices, every variant probed within 2 bits (the full guarantee)
  16x16 r1      16 slices of 16 bits, every variant within 1 bit (full guarantee: 16 x 2 > 31)
  ... bits      the hash stored as bit(256) (no hex conversion per row)
  ... stored8   8 rows a hash, the upload's own hash probed only (12x21 and 11x23 within 2 bits)
  ... cov       each slice b-tree INCLUDEs the account and the bit(256) hash: 16 index-only scans
                appended (UNION ALL) instead of one BitmapOr and the table's rows (migration 0013)

The layouts take turns on each probe (the order rotating), so that the load of the shared
machine, which changes by the minute, falls on all of them alike.
"""

import argparse
import os
import random
import statistics
import sys
import time
from itertools import combinations
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import database_url, ensure_database

# The distance test per row: the stored hex hash and each variant converted to bit(256) in a
# subquery over unnest(variants) (migration 0011's query), or the stored hash converted once and
# XORed with each variant passed as a bit(256) constant (the code's query since 0012).
SUBQUERY = "subquery"
LEAST = "least"
# The same XOR, but each slice's b-tree covers (INCLUDE) the hash and the account: one
# index-only scan per slice, their rows appended (UNION ALL), no visit to the table's rows.
COVERING = "covering"
# The stored hash as 64 hex digits converted per row (HEX), or a bit(256) column (BITS); the
# watched picture's hash only (1 row a hash) or its eight dihedral variants (8 rows a hash: the
# upload's own hash alone is probed, radius "-" for the other variants).
HEX, BITS = "hex", "bits"
LAYOUTS = {
    # name: (slices, bits, radius of the upload's own hash, of its other variants (None: not
    # probed), distance, stored column, stored rows per hash)
    "11x23 r2/r1 (0011)": (11, 23, 2, 1, SUBQUERY, HEX, 1),
    "11x23 r2/r1 least": (11, 23, 2, 1, LEAST, HEX, 1),
    "11x23 r2": (11, 23, 2, 2, LEAST, HEX, 1),
    "16x16 r1 subquery": (16, 16, 1, 1, SUBQUERY, HEX, 1),
    "16x16 r1 (0012)": (16, 16, 1, 1, LEAST, HEX, 1),
    "16x16 r1 bits": (16, 16, 1, 1, LEAST, BITS, 1),
    "16x16 r1 stored8": (16, 16, 1, None, LEAST, BITS, 8),
    "16x16 r1 bits cov": (16, 16, 1, 1, COVERING, BITS, 1),
    "16x16 r1 stored8 cov": (16, 16, 1, None, COVERING, BITS, 8),
    "12x21 r2 stored8": (12, 21, 2, None, LEAST, BITS, 8),
    "11x23 r2 stored8": (11, 23, 2, None, LEAST, BITS, 8),
}


def layouts_url() -> str:
    if os.environ.get("BENCH_LAYOUTS_DATABASE_URL"):
        return os.environ["BENCH_LAYOUTS_DATABASE_URL"]
    return urlunsplit(urlsplit(database_url())._replace(path="/tracker_bench_avatar_layouts"))


def cut(bits: int, slices: int, width: int) -> list[int]:
    mask = (1 << width) - 1
    return [(bits >> (256 - width * (i + 1))) & mask for i in range(slices)]


def neighbours(value: int, width: int, radius: int) -> set[int]:
    out = {value}
    for r in range(1, radius + 1):
        for chosen in combinations(range(width), r):
            out.add(value ^ sum(1 << b for b in chosen))
    return out


def spread(bits: int, distance: int, rng) -> int:
    """Flip `distance` bits at random positions (the tests check the worst-case spreads)."""
    positions = rng.sample(range(256), distance)
    for p in positions:
        bits ^= 1 << p
    return bits


def table_name(slices: int, width: int, distance: str, column: str, per_hash: int) -> str:
    return (
        f"avatar_{slices}x{width}"
        + ("" if column == HEX else f"_{column}")
        + ("" if per_hash == 1 else f"_x{per_hash}")
        + ("_cov" if distance == COVERING else "")
    )


def fill(cur, name, slices, width, column, rows, covering=False) -> None:
    """One layout's table: (account, hash) rows, one b-tree per slice column."""
    import io

    cols = [f"s{i}" for i in range(slices)]
    kind = "varchar(64)" if column == HEX else "bit(256)"
    cur.execute(f"DROP TABLE IF EXISTS {name}")
    cur.execute(
        f"CREATE TABLE {name} (id serial PRIMARY KEY, account_id integer, pdq {kind}, "
        + ", ".join(f"{c} integer" for c in cols)
        + ")"
    )
    buffer = io.StringIO()
    for account, bits in rows:
        text = f"{bits:064x}" if column == HEX else f"{bits:0256b}"
        row = [str(account), text, *map(str, cut(bits, slices, width))]
        buffer.write("\t".join(row) + "\n")
    buffer.seek(0)
    cur.copy_from(buffer, name, columns=["account_id", "pdq", *cols])
    include = " INCLUDE (account_id, pdq)" if covering else ""
    for c in cols:
        cur.execute(f"CREATE INDEX {name}_{c} ON {name} ({c}){include}")
    cur.execute(f"VACUUM ANALYZE {name}")
    cur.execute(f"SELECT pg_size_pretty(pg_total_relation_size('{name}'))")
    print(f"filled {name}: {buffer.tell():,} bytes copied, {cur.fetchone()[0]} with indexes",
          flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hashes", type=int, default=300_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the tables already filled (fill the missing ones)",
    )
    parser.add_argument(
        "--layouts", default="", help="comma-separated layout names (default: all of them)"
    )
    args = parser.parse_args()
    import psycopg2

    chosen = [name.strip() for name in args.layouts.split(",") if name.strip()] or list(LAYOUTS)
    unknown = [name for name in chosen if name not in LAYOUTS]
    if unknown:
        parser.error(f"unknown layouts {unknown}; known: {list(LAYOUTS)}")
    url = layouts_url()
    ensure_database(url)
    parts = urlsplit(url)
    conn = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
        dbname=parts.path.lstrip("/"),
    )  # fmt: skip
    conn.autocommit = True
    cur = conn.cursor()
    rng = random.Random(20261201)
    stored = [rng.getrandbits(256) for _ in range(args.hashes)]
    # The seven other dihedral variants of each stored hash: random 256-bit hashes (a rotated or
    # flipped picture's hash is ~128 bits from the original's, as unrelated as a random one).
    vrng = random.Random(20261203)
    others = [[vrng.getrandbits(256) for _ in range(7)] for _ in range(args.hashes)]
    shapes = {
        table_name(*LAYOUTS[label][:2], *LAYOUTS[label][4:]): LAYOUTS[label] for label in chosen
    }
    for name, (slices, width, _, _, distance, column, per_hash) in sorted(shapes.items()):
        cur.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        if args.reuse and cur.fetchone()[0]:
            continue
        if per_hash == 1:
            rows = ((pk // 3 + 1, bits) for pk, bits in enumerate(stored))
        else:
            rows = (
                (pk // 3 + 1, bits)
                for pk, own in enumerate(stored)
                for bits in (own, *others[pk][: per_hash - 1])
            )
        fill(cur, name, slices, width, column, rows, covering=distance == COVERING)

    qrng = random.Random(7)
    probes = []
    for _ in range(args.queries):
        target = qrng.randrange(len(stored))
        distance = qrng.randint(10, 31)
        variants = [qrng.getrandbits(256) for _ in range(8)]
        position = qrng.choice([0, 0, 0, 0, qrng.randrange(1, 8)])  # mostly the same orientation
        variants[position] = spread(stored[target], distance, qrng)
        probes.append((target // 3 + 1, variants, position))

    load = "/".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"\n{len(stored):,} stored hashes, {len(probes)} checks of 8 variants   (load {load})")
    times = {label: [] for label in chosen}
    found = dict.fromkeys(chosen, 0)
    values_n = {label: [] for label in chosen}
    rows_n = {label: [] for label in chosen}
    labels = chosen
    for n, (account, variants, position) in enumerate(probes):
        for label in labels[n % len(labels) :] + labels[: n % len(labels)]:
            slices, width, own, other, distance, column, per_hash = LAYOUTS[label]
            name = table_name(slices, width, distance, column, per_hash)
            cols = [f"s{i}" for i in range(slices)]
            where = " OR ".join(f"{c} = ANY(%s::integer[])" for c in cols)
            if per_hash == 1:
                probed = [(v, own if p == 0 else other) for p, v in enumerate(variants)]
            else:
                # The stored rows hold the watched picture's variants: the upload's own hash
                # alone is probed (here the one near the target, as a real upload's own hash
                # is near the stored variant of its orientation).
                probed = [(variants[position], own)]
            per_slice = [set() for _ in cols]
            for v, radius in probed:
                for values, value in zip(per_slice, cut(v, slices, width), strict=True):
                    values |= neighbours(value, width, radius)
            hashes = [v for v, _ in probed]
            if distance == SUBQUERY:
                source = f"{name} a"
                d = (
                    "(SELECT min(bit_count(('x' || a.pdq)::bit(256) # ('x' || v)::bit(256)))"
                    " FROM unnest(%s::text[]) AS v)"
                )
                params = [[f"{v:064x}" for v in hashes]]
            else:
                if column == HEX:
                    source = f"{name} a CROSS JOIN LATERAL (SELECT ('x' || a.pdq)::bit(256) AS b) h"
                    bits = "h.b"
                else:
                    source, bits = f"{name} a", "a.pdq"
                d = "LEAST(" + ", ".join(f"bit_count({bits} # %s::bit(256))" for _ in hashes) + ")"
                params = [f"{v:0256b}" for v in hashes]
            params += [sorted(s) for s in per_slice]
            sql = (
                f"SELECT account_id, min(d) FROM (SELECT account_id, {d} AS d FROM {source} "
                f"WHERE {where}) hits WHERE d <= 31 GROUP BY account_id ORDER BY 2 LIMIT 50"
            )
            if distance == COVERING:
                d = "LEAST(" + ", ".join("bit_count(pdq # %s::bit(256))" for _ in hashes) + ")"
                union = " UNION ALL ".join(
                    f"SELECT account_id, {d} AS d FROM {name} WHERE {c} = ANY(%s::integer[])"
                    for c in cols
                )
                params = [
                    value
                    for values in per_slice
                    for value in (*(f"{v:0256b}" for v in hashes), sorted(values))
                ]
                sql = (
                    f"SELECT account_id, min(d) FROM ({union}) hits WHERE d <= 31 "
                    "GROUP BY account_id ORDER BY 2 LIMIT 50"
                )
            t0 = time.perf_counter()
            cur.execute(sql, params)
            hits = dict(cur.fetchall())
            times[label].append((time.perf_counter() - t0) * 1000)
            found[label] += account in hits
            values_n[label].append(sum(len(s) for s in per_slice))
            if n < 5:
                cur.execute(
                    f"SELECT count(*) FROM {name} a WHERE {where}", [sorted(v) for v in per_slice]
                )
                rows_n[label].append(cur.fetchone()[0])
    print(f"{'layout':<20} {'values':>7} {'rows':>7} {'p50 ms':>8} {'p95 ms':>8}  found")
    for label in labels:
        ordered = sorted(times[label])
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(
            f"{label:<20} {statistics.mean(values_n[label]):7.0f} "
            f"{statistics.mean(rows_n[label]):7.0f} {statistics.median(ordered):8.1f} "
            f"{p95:8.1f}  {found[label]}/{len(probes)}"
        )
    load = "/".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"(load {load} after)")


if __name__ == "__main__":
    main()
