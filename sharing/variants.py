"""Predicted handle variants: the handles a removed account's operators are most likely to
register next, so a platform can hold them at sign-up.

Each variant comes from one *form* of one of the tricks the mirror detector folds
(accounts/mirrors/folding.py): digits added, separators added or dropped, affix words, leetspeak,
doubled letters, look-alike letters where the platform allows them, and the two edits it leaves
to the similarity (a swapped pair, a dropped letter). A form's weight is how often confirmed
mirrors used it (counted from confirmed MirrorCandidate pairs by regenerating the original's
variants and seeing which form gives the mirror's handle) plus a default prior; a variant's score
is its form's weight shared among the variants the form gives for this handle. Every variant is
checked with the platform's own handle parser (accounts/handles), so none breaks its rules.
"""

import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations

from django.conf import settings

from accounts.choices import MirrorStatus
from accounts.handles import HandleError, normalize_handle, parse_handle
from accounts.mirrors.folding import AFFIX_WORDS, handle_keys
from accounts.models import MirrorCandidate

# Letters written as digits: the inverse of the folding's leet table (tests check that every
# such variant folds back to the original's key).
LEET = {"o": "0", "i": "1", "l": "1", "e": "3", "a": "4", "s": "5", "t": "7", "b": "8"}
# Cyrillic and Greek letters the TR39 skeleton folds to these Latin ones.
LOOKALIKES = {
    "a": "\u0430",
    "e": "\u0435",
    "o": "\u043e",
    "p": "\u0440",
    "c": "\u0441",
    "x": "\u0445",
    "y": "\u0443",
    "i": "\u0456",
    "s": "\u0455",
    "h": "\u04bb",
    "k": "\u03ba",
    "n": "\u03b7",
    "u": "\u03c5",
    "t": "\u03c4",
}
YEARS = ("2024", "2025", "2026", "786")
AFFIXES = tuple(dict.fromkeys((*AFFIX_WORDS, "1", "2", "3")))
SEPARATORS = "_."

# Default prior weight of each trick before any confirmed mirror (pseudo-counts, shared evenly
# among the trick's forms): the tricks the cell sees most, digits and separators, first.
DEFAULT_TRICK_PRIORS = {
    "digits": 12.0,
    "separators": 10.0,
    "affix": 8.0,
    "leet": 6.0,
    "doubled": 4.0,
    "transposition": 3.0,
    "typo": 2.0,
    "homoglyph": 2.0,
}


def _forms(handle: str) -> dict[tuple[str, str], list[str]]:
    """(trick, form) -> the handles that form makes of `handle` (lower case, unchecked)."""
    h = handle
    letters = [i for i, c in enumerate(h) if c.isalpha()]
    inner = letters[1:-1]
    out: dict[tuple[str, str], list[str]] = {}
    # One form per number, so the fitted counts rank the numbers evaders pick.
    for year in YEARS:
        out[("digits", year)] = [h + year]
        out[("digits", "_" + year)] = [f"{h}_{year}"]
    for n in range(1, 10):
        out[("digits", f"_{n}")] = [f"{h}_{n}"]
    for n in range(1, 100):
        out[("digits", str(n))] = [f"{h}{n}"]
    out[("separators", "strip")] = [h.replace("_", "").replace(".", "")]
    out[("separators", "__")] = [h + "__"]
    out[("separators", "_")] = [h + "_"]
    out[("separators", "wrap")] = [f"_{h}_"]
    out[("separators", "_.")] = [h.replace("_", ".")]
    out[("separators", "._")] = [h.replace(".", "_")]
    for affix in AFFIXES:
        for joined, template in (
            ("_" + affix, f"{h}_{affix}"),
            ("." + affix, f"{h}.{affix}"),
            (affix + "_", f"{affix}_{h}"),
            (affix + ".", f"{affix}.{h}"),
            ("+" + affix, h + affix),
            (affix + "+", affix + h),
        ):
            out[("affix", joined)] = [template]
    spots = [i for i in letters if h[i] in LEET]
    out[("leet", "one")] = [h[:i] + LEET[h[i]] + h[i + 1 :] for i in spots]
    out[("leet", "two")] = [_leet_at(h, pair) for pair in combinations(spots, 2)]
    out[("leet", "all")] = ["".join(LEET.get(c, c) for c in h)]
    out[("doubled", "")] = [h[:i] + h[i] + h[i:] for i in inner]
    out[("transposition", "")] = [
        h[:i] + h[i + 1] + h[i] + h[i + 2 :]
        for i in inner
        # Any neighbour, a separator or digit too: "abu_x" -> "ab_ux".
        if h[i + 1 : i + 2] and h[i + 1] != h[i]
    ]
    out[("typo", "drop")] = [h[:i] + h[i + 1 :] for i in inner]
    # One form per look-alike letter: the platform's parser drops those it does not allow.
    for letter, glyph in LOOKALIKES.items():
        out[("homoglyph", letter)] = [h[:i] + glyph + h[i + 1 :] for i in letters if h[i] == letter]
    return out


def _leet_at(handle: str, spots) -> str:
    chars = list(handle)
    for i in spots:
        chars[i] = LEET[chars[i]]
    return "".join(chars)


def _form_counts() -> Counter:
    return Counter({key: 0 for key in _forms("ab_cd")})


def classify(original: str, mirror: str) -> list[tuple[str, str]]:
    """The (trick, form)s that turn the original handle into the mirror's (empty: none does)."""
    original, mirror = normalize_handle(original), normalize_handle(mirror)
    return [
        key
        for key, made in _forms(original).items()
        if mirror in {normalize_handle(v) for v in made} and mirror != original
    ]


def fit_priors(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], float]:
    """Form weights from (original handle, mirror handle) pairs of confirmed mirrors: a pair
    that several forms explain counts a share to each, then the default priors are added."""
    counts: defaultdict[tuple[str, str], float] = defaultdict(float)
    for original, mirror in pairs:
        keys = classify(original, mirror)
        for key in keys:
            counts[key] += 1 / len(keys)
    return with_default_priors(counts)


def with_default_priors(counts) -> dict[tuple[str, str], float]:
    forms_per_trick = Counter(trick for trick, _ in _form_counts())
    return {
        key: counts.get(key, 0.0) + DEFAULT_TRICK_PRIORS[key[0]] / forms_per_trick[key[0]]
        for key in _form_counts()
    }


def is_valid_handle(platform: str, handle: str) -> bool:
    """Whether the platform's own parser accepts this as a handle (as typed, as the handle)."""
    text = "@" + handle if platform == "youtube" else handle
    try:
        parsed = parse_handle(text, platform)
    except (HandleError, TypeError):
        return False
    return normalize_handle(parsed.handle) == normalize_handle(handle) and not parsed.account_id


def predict_variants(
    handle: str, platform: str, *, priors: dict | None = None, limit: int | None = None
) -> list[dict]:
    """The most likely next handles, best first: [{handle, trick, score}], at most `limit`
    (settings.SIGNAL_VARIANTS), each valid on the platform and none the original itself."""
    limit = settings.SIGNAL_VARIANTS if limit is None else limit
    original = normalize_handle(handle)
    if not handle_keys(original) or limit <= 0:
        return []  # a phone number or an id: nothing to vary
    priors = priors if priors is not None else confirmed_priors()
    same = _normalized_key(platform, original)
    scored: dict[str, tuple[float, str]] = {}
    for key, made in _forms(original).items():
        made = list(dict.fromkeys(made))
        share = priors.get(key, 0.0) / len(made) if made else 0.0
        for variant in made:
            best = scored.get(variant)
            # A variant several forms make is as likely as all of them together.
            scored[variant] = (share + (best[0] if best else 0.0), best[1] if best else key[0])
    ranked = sorted(scored.items(), key=lambda item: (-item[1][0], len(item[0]), item[0]))
    out, seen = [], {same}
    for variant, (score, trick) in ranked:
        normalized = _normalized_key(platform, variant)
        if normalized in seen or not is_valid_handle(platform, variant):
            continue
        seen.add(normalized)
        out.append({"handle": variant, "trick": trick, "score": round(score, 4)})
        if len(out) >= limit:
            break
    return out


def _normalized_key(platform: str, handle: str) -> str:
    """The platform's match key: Facebook ignores full stops in usernames."""
    key = normalize_handle(handle)
    return key.replace(".", "") if platform == "facebook" else key


# Confirmed mirrors change slowly; each process reads them again after this many seconds.
PRIORS_TTL = 300.0
PRIORS_SAMPLE = 5000
_priors_cache: dict = {}


def confirmed_priors() -> dict[tuple[str, str], float]:
    """Form weights from the latest confirmed mirrors (cached per process for PRIORS_TTL)."""
    cached = _priors_cache.get("value")
    if cached is not None and time.monotonic() - cached[0] < PRIORS_TTL:
        return cached[1]
    pairs = (
        MirrorCandidate.objects.filter(status=MirrorStatus.CONFIRMED)
        .order_by("-decided_at", "-pk")
        .values_list("removed_account__handle_normalized", "account__handle_normalized")[
            :PRIORS_SAMPLE
        ]
    )
    priors = fit_priors(pairs)
    _priors_cache["value"] = (time.monotonic(), priors)
    return priors


def forget_priors() -> None:
    """Drop this process's copy of the form weights (after a mirror decision)."""
    _priors_cache.clear()
