"""Blocking keys that survive edits: SymSpell-style deletion neighbourhoods of the folded keys.

A removed account's folded handle keys and display-name key are stored with every variant one
deletion away (hashed to 64 bits, one WatchKey row each, a b-tree on the hash). A probe looks up
its own keys with every variant up to two deletions away (handles) or one (names), with one
`= ANY(...)` over that b-tree. Two keys meet when deleting at most one character from the stored
key and at most two from the probe's gives the same string, which holds for every single edit
(substitution, insertion, deletion, transposition) and for the two-edit pairs that lengthen the
probe (an inserted letter plus a substitution or a transposition, two inserted letters).

Stored rows stay at about L + 1 per key (L its length); storing two deletions as well would be
about L * L / 2 (ten times the rows at 1M accounts), which the look-up side gets for free.
"""

import hashlib

HANDLE = "h"
NAME = "n"
# Deletions stored per key, and looked up per probe key.
STORED_DELETIONS = 1
PROBE_DELETIONS = {HANDLE: 2, NAME: 1}
# A variant shorter than this is not a key: "abu" would block with every Abu.
MIN_VARIANT = 4
# Keys longer than this are cut before their neighbourhood is taken (the cost grows as L * L).
MAX_KEY = 32


def deletions(key: str, depth: int) -> set[str]:
    """The key and every string made by deleting up to `depth` of its characters (variants
    shorter than MIN_VARIANT left out, and the key itself when it is that short)."""
    key = key[:MAX_KEY]
    out, frontier = {key}, {key}
    for _ in range(depth):
        frontier = {
            word[:i] + word[i + 1 :]
            for word in frontier
            if len(word) > MIN_VARIANT
            for i in range(len(word))
        }
        out |= frontier
    return {variant for variant in out if len(variant) >= MIN_VARIANT}


def key_hash(tag: str, variant: str) -> int:
    """A signed 64-bit hash of a tagged variant (PostgreSQL bigint)."""
    digest = hashlib.blake2b(f"{tag}:{variant}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def name_block_key(name_key: str) -> str:
    """The display-name key with its words sorted: the name similarity ignores word order."""
    return " ".join(sorted(name_key.split()))


def _keys(handle_keys, name_key: str, depth) -> list[int]:
    hashes = set()
    for key in handle_keys:
        hashes.update(key_hash(HANDLE, v) for v in deletions(key, depth(HANDLE)))
    if name_key:
        block = name_block_key(name_key)
        hashes.update(key_hash(NAME, v) for v in deletions(block, depth(NAME)))
    return sorted(hashes)


def stored_keys(handle_keys, name_key: str) -> list[int]:
    """The hashes a removed account is stored under."""
    return _keys(handle_keys, name_key, lambda tag: STORED_DELETIONS)


def probe_keys(handle_keys, name_key: str) -> list[int]:
    """The hashes a probe looks up."""
    return _keys(handle_keys, name_key, PROBE_DELETIONS.__getitem__)
