"""The features of a (new account, removed account) pair, each a value in [0, 1] with a detail
that says where it comes from. Pure: the watch list and the frequencies are given.

A value of 0 means "no evidence". Similarities become values above a floor (0.6), squared, so
that "close" counts much more than "somewhat alike"; every value shared by many watched accounts
(a common handle key, a default avatar, a link shortener's home page) is divided by the square
root of its document frequency over the watch list, and suppressed signals count for nothing.
"""

import functools
import math
from dataclasses import dataclass, field
from datetime import datetime

from core.memo import text_key_memo

from .avatars import MATCH_DISTANCE, best_distance
from .folding import display_name_key, handle_key, handle_similarity, name_similarity

FEATURE_NAMES = (
    "handle",
    "display_name",
    "avatar",
    "contact",
    "groups",
    "same_platform",
    "recent_removal",
)
SIMILARITY_FLOOR = 0.6
# A key shorter than this says little ("tp", "abc").
_INFORMATIVE_LENGTH = 6
# Days after which a removal no longer makes a reappearance likely (exp(-days / 30)).
_RECENCY_DAYS = 30.0
# What a shared contact point is worth before its frequency: a site's home page says little.
_CONTACT_WEIGHT = {"tg": 1.0, "tel": 1.0, "email": 1.0, "url": 0.8, "home": 0.3}
# Words that make up names of unrelated accounts (outlets, places, the faith); a key made only
# of them is weak evidence however close.
COMMON_WORDS = (
    *("pakistan", "pak", "news", "media", "tv", "urdu", "live", "khabar", "khabrain", "daily"),
    *("today", "world", "times", "voice", "post", "express", "info", "official", "update"),
    *("islam", "islamic", "muslim", "muslims", "ummah", "deen", "quran", "haq", "sach", "awaz"),
    *("network", "channel", "sports", "music", "online", "breaking", "latest", "global", "jang"),
    *("karachi", "lahore", "islamabad", "peshawar", "quetta", "punjab", "sindh", "balochistan"),
    *("kpk", "kashmir", "afghan", "afghanistan", "zindabad", "jihad", "tribune", "nation"),
)


@dataclass(frozen=True)
class Feature:
    """One feature of a pair: its value in [0, 1] and what it was computed from."""

    name: str
    value: float
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Probe:
    """The signals of the account being checked."""

    platform_id: int | None
    handle_keys: tuple[str, ...]
    name_key: str
    name_arabic: bool
    avatar_variants: tuple[str, ...]  # empty without a usable avatar
    contacts: frozenset[str]
    group_ids: frozenset[int]


@dataclass
class Watched:
    """The signals of one removed account on the watch list."""

    account_id: int
    platform_id: int | None = None
    removed_at: datetime | None = None
    handle_keys: list[str] = field(default_factory=list)
    name_keys: list[str] = field(default_factory=list)
    name_arabic: bool = False  # the display name was written in Arabic script
    # The avatar's hash and its crops', and the rotations and flips of each when stored.
    avatars: list[str] = field(default_factory=list)
    contacts: set[str] = field(default_factory=set)
    group_ids: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Context:
    """What the features need beyond the pair: frequencies over the watch list and the
    suppressed signals, both keyed by (kind, value)."""

    now: datetime
    frequency: dict = field(default_factory=dict)
    suppressed: frozenset = frozenset()
    suppressed_avatars: tuple[str, ...] = ()
    # Watched avatars within MATCH_DISTANCE of the probe's: the avatar's own frequency.
    avatar_frequency: int = 1


def rarity(count: int) -> float:
    """1 for a value seen once on the watch list, 1/sqrt(n) for one seen on n accounts."""
    return 1.0 / math.sqrt(max(count, 1))


def _closeness(similarity: float) -> float:
    return max(0.0, (similarity - SIMILARITY_FLOOR) / (1 - SIMILARITY_FLOOR)) ** 2


@functools.cache
def _common_folded(kind: str) -> frozenset[str]:
    if kind == "name":
        return frozenset(filter(None, map(display_name_key, COMMON_WORDS)))
    return frozenset(filter(None, (handle_key(word) for word in COMMON_WORDS)))


@text_key_memo
def is_common(key: str, kind: str = "handle") -> bool:
    """Whether a key is made only of common words ("pakistannews", "daily news urdu")."""
    words = _common_folded(kind)
    text = key.replace(" ", "")
    if not text:
        return True
    reachable = [True] + [False] * len(text)
    for end in range(1, len(text) + 1):
        reachable[end] = any(
            reachable[start] and text[start:end] in words for start in range(max(0, end - 12), end)
        )
    return reachable[-1]


def _specificity(key: str, frequency: int, kind: str) -> float:
    length = min(1.0, len(key.replace(" ", "")) / _INFORMATIVE_LENGTH)
    return length * (0.3 if is_common(key, kind) else 1.0) * rarity(frequency)


def _handle(probe: Probe, watched: Watched, ctx: Context) -> Feature:
    keys = [k for k in watched.handle_keys if ("handle", k) not in ctx.suppressed]
    probe_keys = [k for k in probe.handle_keys if ("handle", k) not in ctx.suppressed]
    best, pair = 0.0, ("", "")
    for a in probe_keys:
        for b in keys:
            similarity = handle_similarity((a,), (b,))
            if similarity > best:
                best, pair = similarity, (a, b)
    frequency = ctx.frequency.get(("handle", pair[1]), 1)
    closeness = _closeness(best)
    value = closeness * _specificity(pair[1], frequency, "handle") if closeness else 0.0
    detail = {"similarity": round(best, 3), "keys": list(pair), "frequency": frequency}
    return Feature("handle", value, detail)


def _display_name(probe: Probe, watched: Watched, ctx: Context) -> Feature:
    best, matched, frequency = 0.0, "", 1
    if probe.name_key and ("name", probe.name_key) not in ctx.suppressed:
        # Either side written in Arabic script: its transliteration lost the short vowels.
        arabic = probe.name_arabic or watched.name_arabic
        for key in watched.name_keys:
            if ("name", key) in ctx.suppressed:
                continue
            similarity = name_similarity(probe.name_key, key, arabic=arabic)
            if similarity > best:
                best, matched = similarity, key
        frequency = ctx.frequency.get(("name", matched), 1)
    closeness = _closeness(best)
    value = closeness * _specificity(matched, frequency, "name") if closeness else 0.0
    detail = {
        "similarity": round(best, 3),
        "keys": [probe.name_key, matched],
        "frequency": frequency,
    }
    return Feature("display_name", value, detail)


def _avatar(probe: Probe, watched: Watched, ctx: Context) -> Feature:
    if not probe.avatar_variants or not watched.avatars:
        return Feature("avatar", 0.0, {})
    distance = best_distance(probe.avatar_variants, watched.avatars)
    detail = {"distance": distance, "frequency": ctx.avatar_frequency}
    suppressed = any(
        best_distance(probe.avatar_variants, s) <= MATCH_DISTANCE for s in ctx.suppressed_avatars
    ) or any(("avatar", pdq) in ctx.suppressed for pdq in watched.avatars)
    if suppressed:
        detail["suppressed"] = True
    if distance > MATCH_DISTANCE or suppressed:
        return Feature("avatar", 0.0, detail)
    value = (1 - distance / (2 * (MATCH_DISTANCE + 1))) * rarity(ctx.avatar_frequency)
    return Feature("avatar", value, detail)


def _contact_weight(value: str) -> float:
    kind, _, rest = value.partition(":")
    if kind == "url" and "/" not in rest:
        kind = "home"
    return _CONTACT_WEIGHT.get(kind, 0.5)


def _contact(probe: Probe, watched: Watched, ctx: Context) -> Feature:
    shared = sorted(
        c for c in probe.contacts & watched.contacts if ("contact", c) not in ctx.suppressed
    )
    total = 0.0
    for value in shared:
        total += _contact_weight(value) * rarity(ctx.frequency.get(("contact", value), 1))
    detail = {"shared": shared}
    return Feature("contact", min(1.0, total), detail)


def pair_features(probe: Probe, watched: Watched, ctx: Context) -> list[Feature]:
    """Every feature of the pair, in FEATURE_NAMES order."""
    shared_groups, suppressed_groups = [], []
    for pk in sorted(probe.group_ids & watched.group_ids):
        # A group many unrelated accounts link to can be suppressed like any other signal.
        (suppressed_groups if ("group", str(pk)) in ctx.suppressed else shared_groups).append(pk)
    groups_detail = {"shared": shared_groups}
    if suppressed_groups:
        groups_detail["suppressed"] = suppressed_groups
    days = None
    if watched.removed_at is not None:
        days = max(0.0, (ctx.now - watched.removed_at).total_seconds() / 86400)
    recency = math.exp(-days / _RECENCY_DAYS) if days is not None else 0.0
    same = probe.platform_id is not None and probe.platform_id == watched.platform_id
    return [
        _handle(probe, watched, ctx),
        _display_name(probe, watched, ctx),
        _avatar(probe, watched, ctx),
        _contact(probe, watched, ctx),
        Feature("groups", 1.0 if shared_groups else 0.0, groups_detail),
        Feature("same_platform", 1.0 if same else 0.0, {}),
        Feature("recent_removal", recency, {"days": None if days is None else round(days, 1)}),
    ]
