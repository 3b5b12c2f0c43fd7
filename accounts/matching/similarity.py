"""How alike two group names are: a weighted token similarity of their keys, and a
consonant-skeleton comparison for uncertain transliterations from Arabic script."""

from __future__ import annotations

import re

from rigour.text import levenshtein

from core.memo import text_key_memo

from .keys import (
    ARABIC_SCRIPT,
    GENERIC_WEIGHT,
    GENERIC_WORDS,
    name_key,
    simplify,
)

# --- similarity --------------------------------------------------------------------------------

GENERIC_KEYS = frozenset(simplify(word) for word in GENERIC_WORDS)


@text_key_memo
def _token_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return max(0.0, 1.0 - levenshtein(a, b) / max(len(a), len(b)))


def _weight(token: str) -> float:
    return GENERIC_WEIGHT if token in GENERIC_KEYS else 1.0


@text_key_memo
def _key_similarity(key_a: str, key_b: str) -> float:
    if not key_a or not key_b:
        return 0.0
    if key_a == key_b:
        return 1.0
    tokens_a, tokens_b = key_a.split(), key_b.split()
    # Weighted token-set alignment: each word pairs with its closest counterpart at most once,
    # so word order does not matter and every unmatched word ("Jhangvi" vs "Tayyiba") costs.
    pairs = sorted(
        (
            (_token_similarity(x, y), i, j)
            for i, x in enumerate(tokens_a)
            for j, y in enumerate(tokens_b)
        ),
        reverse=True,
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    matched = 0.0
    for score, i, j in pairs:
        if score < 0.5:
            break
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            matched += score * (_weight(tokens_a[i]) + _weight(tokens_b[j])) / 2
    total = sum(map(_weight, tokens_a)) + sum(map(_weight, tokens_b))
    score = 2 * matched / total
    if len(tokens_a) != len(tokens_b):
        # Words split or joined differently ("jamaatud dawa" / "jamaat ud dawa").
        score = max(score, _token_similarity("".join(tokens_a), "".join(tokens_b)))
    return min(score, 1.0)


def consonant_skeleton(key: str) -> str:
    """Consonants only: Arabic-script transliteration loses short vowels, so compare without."""
    words = []
    for word in key.split():
        stripped = re.sub(r"[aeiouyhw]", "", word)
        stripped = re.sub(r"(.)\1+", r"\1", stripped)
        if stripped:
            words.append(stripped)
    return " ".join(words)


# An uncertain transliteration can be suggested, never merged on its own.
_SKELETON_CAP = 0.9


def key_similarity_in_script(key_a: str, key_b: str, arabic: bool) -> float:
    score = _key_similarity(key_a, key_b)
    if arabic and score < _SKELETON_CAP:
        skeleton_score = _key_similarity(consonant_skeleton(key_a), consonant_skeleton(key_b))
        score = max(score, min(_SKELETON_CAP, skeleton_score))
    return score


def key_similarity(key_a: str, key_b: str, *, arabic: bool = False) -> float:
    """0..1 similarity of two keys made by name_key; arabic=True also compares consonants."""
    return key_similarity_in_script(key_a, key_b, arabic)


def similarity(a: str, b: str) -> float:
    """0..1 similarity of two names on their keys, word-order free; 1.0 for the same key."""
    arabic = bool(ARABIC_SCRIPT.search(a) or ARABIC_SCRIPT.search(b))
    return key_similarity_in_script(name_key(a), name_key(b), arabic)
