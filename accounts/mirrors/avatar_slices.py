"""The avatar look-up's slice layout: one source for WatchAvatar's columns, the probes of a
check and the SQL that fills the columns in place (migration 0012 freezes a copy of it).

A 256-bit PDQ hash is cut into 16 slices of 16 bits (the multi-index hashing of ThreatExchange's
PDQ index, pdq/cpp/index/mih.h): two hashes within 31 bits of each other differ by at most one
bit on at least one slice (pigeonhole: 16 slices x 2 bits > 31), so probing every slice value
within one bit (16 x 17 values) misses none. The watch list stores every rotation and flip of a
removed picture and of its crops (migration 0013, accounts.mirrors.avatars.AvatarHash.watched),
so a check probes the upload's own hash only: 272 values, where probing the upload's eight
variants against the unturned pictures (migration 0012) took 2,176 for the same chance rows.
(The 11 x 23-bit layout of migration 0011 needed 11 x 277 per variant for the same guarantee;
bench/mirror_avatar_layouts.py measures them side by side.)
No heavy imports here: accounts.mirrors.models reads the layout.
"""

from itertools import combinations

# HMA's match: a Hamming distance of at most this many bits of 256.
MATCH_DISTANCE = 31

# SLICES x SLICE_BITS = 256, probed within PROBE_RADIUS bits, and
# SLICES x (PROBE_RADIUS + 1) > MATCH_DISTANCE (tests/accounts/test_mirrors_avatar_index.py).
SLICES = 16
SLICE_BITS = 16
PROBE_RADIUS = 1
SLICE_FIELDS = tuple(f"s{i}" for i in range(SLICES))


def slices(pdq: str) -> list[int]:
    """The look-up slices of a hash, each the integer of its SLICE_BITS bits (most significant
    first)."""
    bits = int(pdq, 16)
    mask = (1 << SLICE_BITS) - 1
    return [(bits >> (256 - SLICE_BITS * (i + 1))) & mask for i in range(SLICES)]


def probe_slices(pdq: str, radius: int = PROBE_RADIUS) -> list[set[int]]:
    """Per slice, every value within `radius` bits of the hash's (16 x 17 for radius 1)."""
    flips = [0]
    for r in range(1, radius + 1):
        flips += [sum(1 << bit for bit in chosen) for chosen in combinations(range(SLICE_BITS), r)]
    return [{value ^ flip for flip in flips} for value in slices(pdq)]


def slice_sql(column: str) -> list[str]:
    """The slices of a hex hash column as PostgreSQL expressions (what slices() computes)."""
    return [
        f"substring(('x' || {column})::bit(256) from {1 + SLICE_BITS * i} for {SLICE_BITS})"
        "::integer"
        for i in range(SLICES)
    ]


def bit_string(pdq: str) -> str:
    """A hex hash as the 256 '0'/'1' characters PostgreSQL reads as bit(256)."""
    return f"{int(pdq, 16):0256b}"
