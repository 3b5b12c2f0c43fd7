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

The counts are stored as data (sharing.models.VariantWeights, one version active), refitted by
the mirror refit job (sharing/services.py: variant_weights_refit); before any refit, the default
priors alone rank the forms.
"""

import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations

from django.conf import settings

from accounts.handles import HandleError, normalize_handle, parse_handle
from accounts.mirrors.folding import AFFIX_WORDS, handle_keys

from .models import VariantWeights

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

# Default prior weight of each trick before any confirmed mirror (pseudo-counts, shared among
# the trick's forms by DEFAULT_FORM_SHARES): the tricks the cell sees most, digits and
# separators, first.
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


# Within a trick, the forms evaders reach for first get a larger share of its default prior:
# a year or 786 before another number, one digit before two, an affix joined by "_" or glued
# on before one joined by ".". Relative weights; every other form counts 1.
DEFAULT_FORM_SHARES = {
    "digits": lambda form: (
        3.0
        if form.lstrip("_") in YEARS
        else 2.0
        if form.startswith("_")
        else 1.5
        if len(form) == 1
        else 0.3
    ),
    "affix": lambda form: 1.0 if "." in form else 2.0,
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


def fit_counts(pairs: Iterable[tuple[str, str]]) -> tuple[dict[tuple[str, str], float], int, int]:
    """(counts per form, pairs read, pairs some form explains) from (original handle, mirror
    handle) pairs of confirmed mirrors: a pair several forms explain counts a share to each."""
    counts: defaultdict[tuple[str, str], float] = defaultdict(float)
    read = explained = 0
    for original, mirror in pairs:
        read += 1
        keys = classify(original, mirror)
        explained += bool(keys)
        for key in keys:
            counts[key] += 1 / len(keys)
    return dict(counts), read, explained


def fit_priors(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], float]:
    """Form weights from confirmed mirror pairs: their counts plus the default priors."""
    return with_default_priors(fit_counts(pairs)[0])


def default_priors() -> dict[tuple[str, str], float]:
    """Each form's default prior: its trick's prior shared by DEFAULT_FORM_SHARES."""
    shares = {
        (trick, form): DEFAULT_FORM_SHARES.get(trick, lambda _form: 1.0)(form)
        for trick, form in _form_counts()
    }
    totals = Counter()
    for (trick, _form), share in shares.items():
        totals[trick] += share
    return {
        (trick, form): DEFAULT_TRICK_PRIORS[trick] * share / totals[trick]
        for (trick, form), share in shares.items()
    }


def with_default_priors(counts) -> dict[tuple[str, str], float]:
    return {key: counts.get(key, 0.0) + prior for key, prior in default_priors().items()}


def counts_as_data(counts: dict[tuple[str, str], float]) -> dict[str, float]:
    """Counts keyed "trick/form" (JSON), rounded, without the forms no pair used."""
    return {f"{t}/{f}": round(c, 6) for (t, f), c in sorted(counts.items()) if c > 0}


def counts_from_data(data: dict[str, float]) -> dict[tuple[str, str], float]:
    return {tuple(key.split("/", 1)): float(value) for key, value in data.items()}


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


# A refit changes the active version; each process reads it again after this many seconds
# (at once in the process that refitted).
PRIORS_TTL = 300.0
_priors_cache: dict = {}


def confirmed_priors() -> dict[tuple[str, str], float]:
    """Form weights of the active VariantWeights version (the default priors before any refit),
    cached per process for PRIORS_TTL."""
    cached = _priors_cache.get("value")
    if cached is not None and time.monotonic() - cached[0] < PRIORS_TTL:
        return cached[1]
    active = VariantWeights.objects.filter(active=True).values_list("counts", flat=True).first()
    priors = with_default_priors(counts_from_data(active or {}))
    _priors_cache["value"] = (time.monotonic(), priors)
    return priors


def forget_priors() -> None:
    """Drop this process's copy of the form weights (after a refit)."""
    _priors_cache.clear()
