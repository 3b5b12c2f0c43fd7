"""Comparison keys of handles and display names after the tricks mirror operators use.

Handles: look-alike characters folded to their Unicode TR39 skeleton (ICU's SpoofChecker, so
Cyrillic U+0430 is Latin "a" and "rn" is "m"), leetspeak (0->o, 1->l, 3->e, 4->a, 5->s, 7->t,
@->a, $->s), digits and separators added or dropped (`name_2`, `name.official`, `name__`),
affix words (official, real, new, backup, tv, media, updates, ...) and doubled letters collapsed.
Transpositions and typos are left to the similarity (rapidfuzz's OSA distance), not to the key.

Display names: the `accounts.matching` key (any script to Latin, Urdu and Arabic transliterated,
the spellings of the field folded) after non-Latin look-alikes are folded; a consonant skeleton
bridges Arabic script, whose transliteration drops the short vowels.
"""

import functools
import re
import unicodedata

import icu
from rapidfuzz.distance import OSA
from rigour.text import ascii_text

from ..matching import key_similarity, name_key

# One SpoofChecker per process: building it loads ICU's confusables data.
_SPOOF = icu.SpoofChecker()

# Digits and symbols standing for letters. "i" goes with "l" because the skeleton already makes
# "I", "1" and "|" an "l": "ali", "al1" and "alI" are then one key.
_LEET = str.maketrans(
    {
        "0": "o",
        "1": "l",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "8": "b",
        "@": "a",
        "$": "s",
        "!": "l",
        "i": "l",
    }
)
_ALNUM_RUNS = re.compile(r"[a-z]+|[0-9]+|[@$!]")
_SEPARATORS = re.compile(r"[^a-z0-9@$!]+")
_DOUBLED = re.compile(r"(.)\1+")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")

# Words operators add to a taken name; compared after the same folding as the handle.
AFFIX_WORDS = (
    *("official", "offical", "ofc", "real", "new", "backup", "tv", "media", "updates", "update"),
    *("channel", "main", "original", "news", "live", "page", "account", "team", "hq"),
    *("the", "again", "back", "returns", "reborn", "pk", "only"),
)
# A stem shorter than this stays with its affix: "new_tv" is a name, not "".
_MIN_STEM = 3
# Entries of the handle and display-name key caches. A handle's keys are asked for again soon
# after the first time (an import's stem, then its mirror scoring a batch of 1,000 rows later
# at most), never much later: four batches' worth keeps every such hit, and a long import no
# longer fills 100,000 entries (~20 MB that grew with the file). A miss costs ~25 us.
KEY_CACHE = 4096


@functools.lru_cache(maxsize=4096)
def _skeleton_char(char: str) -> str:
    skeleton = _SPOOF.getSkeleton(0, char)
    if not skeleton.isascii():
        # No Latin look-alike (Arabic, Devanagari...): transliterate, then skeleton again.
        skeleton = _SPOOF.getSkeleton(0, ascii_text(char) or "")
    # Again after lower-casing: Cyrillic capital em is Latin "M", whose lower case "m" is "rn".
    return _SPOOF.getSkeleton(0, skeleton.casefold())


def fold_chars(text: str) -> str:
    """NFKC, TR39 skeleton and lower case, character by character; ASCII digits are kept for
    the digit rules (a leet letter inside a word, an added number at its end)."""
    text = unicodedata.normalize("NFKC", text).strip().lstrip("@")
    return "".join(char if char in "0123456789" else _skeleton_char(char) for char in text)


@functools.cache
def _folded_affixes() -> tuple[str, ...]:
    folded = {_DOUBLED.sub(r"\1", fold_chars(word).translate(_LEET)) for word in AFFIX_WORDS}
    # Longest first, so "updates" goes before "update".
    return tuple(sorted(folded, key=len, reverse=True))


@functools.cache
def _affix_edges() -> tuple[frozenset[str], re.Pattern]:
    """The affixes as a set, and one pattern matching a text that starts or ends with any."""
    affixes = _folded_affixes()
    either = "|".join(map(re.escape, affixes))
    return frozenset(affixes), re.compile(f"^(?:{either})|(?:{either})$")


def _strip_affixes(tokens: list[str]) -> str:
    affixes = _folded_affixes()
    words, edges = _affix_edges()
    kept = [t for t in tokens if t not in words] or tokens
    stem = "".join(kept)
    if not edges.search(stem):
        # Neither starts nor ends with an affix: the loop below would change nothing (most
        # handles; trying each affix at each end was most of the stem's time).
        return stem
    changed = True
    while changed:
        changed = False
        for affix in affixes:
            if stem.endswith(affix) and len(stem) - len(affix) >= _MIN_STEM:
                stem, changed = stem[: -len(affix)], True
            if stem.startswith(affix) and len(stem) - len(affix) >= _MIN_STEM:
                stem, changed = stem[len(affix) :], True
    return stem


def _tokens(runs: list[str], *, leet_everywhere: bool) -> list[str]:
    """Words of the handle: letter runs joined across leet digits, other digit runs dropped."""
    words: list[str] = []
    current = ""
    for index, run in enumerate(runs):
        if run.isalpha():
            current += run
            continue
        inner = (
            0 < index < len(runs) - 1 and runs[index - 1].isalpha() and runs[index + 1].isalpha()
        )
        readable = len(run) == 1 or (leet_everywhere and len(run) <= 3)
        if run in "@$!" or (readable and (inner or leet_everywhere)):
            letters = run.translate(_LEET)
            if letters.isalpha():
                current += letters
                continue
        # A separator or an added number ("name_2", "name2024") ends the word.
        if current:
            words.append(current)
        current = ""
    if current:
        words.append(current)
    return words


@functools.lru_cache(maxsize=KEY_CACHE)
def handle_keys(handle: str) -> tuple[str, ...]:
    """The handle's comparison keys, best first (one or two: digits read as numbers dropped, and
    every digit read as a letter). "T4l1b4n_0fficial_2" -> ("tallban",); empty for no letters."""
    folded = fold_chars(handle)
    keys: list[str] = []
    parts = [_ALNUM_RUNS.findall(part) for part in _SEPARATORS.split(folded)]
    # Only a digit or symbol run reads differently with every digit as a letter: without one,
    # the second reading gives the first key again (skipped).
    readings = (False, True) if any(not r.isalpha() for runs in parts for r in runs) else (False,)
    for leet_everywhere in readings:
        pieces = []
        for runs in parts:
            pieces += [t.translate(_LEET) for t in _tokens(runs, leet_everywhere=leet_everywhere)]
        pieces = [_DOUBLED.sub(r"\1", p) for p in pieces if p]
        key = _DOUBLED.sub(r"\1", _strip_affixes(pieces)) if pieces else ""
        if key and key not in keys:
            keys.append(key)
    return tuple(keys)


def handle_key(handle: str) -> str:
    """The main comparison key of a handle ("" when it holds no letters)."""
    keys = handle_keys(handle)
    return keys[0] if keys else ""


def handle_similarity(keys_a: tuple[str, ...], keys_b: tuple[str, ...]) -> float:
    """0..1: the best OSA similarity (edits and transpositions) between two handles' keys."""
    best = 0.0
    for a in keys_a:
        for b in keys_b:
            best = max(best, OSA.normalized_similarity(a, b))
    return best


def _fold_lookalikes(text: str) -> str:
    """Non-Latin letters that look Latin (Cyrillic U+0430, Greek U+0397) to their skeleton;
    Latin and Arabic script are left for the name key (whose spellings "m" -> "rn" would spoil)."""
    out = []
    for char in unicodedata.normalize("NFKC", text):
        if char.isascii() or _ARABIC.match(char):
            out.append(char)
            continue
        skeleton = _SPOOF.getSkeleton(0, char)
        out.append(skeleton if skeleton.isascii() else char)
    return "".join(out)


@functools.lru_cache(maxsize=KEY_CACHE)
def display_name_key(display_name: str) -> str:
    """The display name's key in Latin letters: Urdu "ابو حمزہ", "Abu Hamza" and the same
    with Cyrillic and Greek look-alike letters meet."""
    if not display_name:
        return ""
    return name_key(_fold_lookalikes(display_name))


def consonant_key(key: str) -> str:
    """Consonants only, doubled letters collapsed: what survives an Arabic-script round trip."""
    words = []
    for word in key.split():
        stripped = _DOUBLED.sub(r"\1", re.sub(r"[aeiouyhw]", "", word))
        if stripped:
            words.append(stripped)
    return " ".join(words)


def is_arabic_script(text: str) -> bool:
    """Whether a text holds Arabic-script letters (Urdu, Arabic, Pashto, Persian)."""
    return bool(_ARABIC.search(text or ""))


def name_similarity(key_a: str, key_b: str, *, arabic: bool = False) -> float:
    """0..1 similarity of two display-name keys, word-order free; Arabic script also compared
    on consonants (capped below certainty, as in accounts.matching)."""
    if not key_a or not key_b:
        return 0.0
    return key_similarity(key_a, key_b, arabic=arabic)
