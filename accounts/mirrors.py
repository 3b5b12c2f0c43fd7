"""Scoring of likely mirrors: a new account that re-creates one the platform removed."""

import re
from dataclasses import dataclass

_SEPARATORS_AND_DIGITS = re.compile(r"[\d_.\-]+")
# Suffixes mirror operators add to a taken name.
_MIRROR_AFFIXES = ("official", "backup", "new", "real", "original", "main", "channel", "media")


def handle_stem(normalized_handle: str) -> str:
    """The handle with digits, separators and common mirror affixes removed."""
    stem = _SEPARATORS_AND_DIGITS.sub("", normalized_handle)
    for affix in _MIRROR_AFFIXES:
        if stem.endswith(affix) and len(stem) > len(affix) + 2:
            stem = stem[: -len(affix)]
        if stem.startswith(affix) and len(stem) > len(affix) + 2:
            stem = stem[len(affix) :]
    return stem


@dataclass(frozen=True)
class MirrorScore:
    score: float
    reasons: tuple[str, ...]


def score_mirror(
    *, handle_normalized: str, display_name: str, group_ids: set[int], removed
) -> MirrorScore:
    """How likely an account (by handle, name and groups) re-creates the account `removed`."""
    reasons = []
    score = 0.0
    if handle_normalized == removed.handle_normalized:
        score, reasons = 0.9, ["same handle"]
    elif handle_stem(handle_normalized) == removed.handle_stem:
        score, reasons = 0.7, ["same handle stem"]
    if display_name and display_name.casefold() == removed.display_name.casefold():
        score += 0.15
        reasons.append("same display name")
    removed_groups = {g.pk for g in removed.groups.all()}
    if group_ids & removed_groups:
        score += 0.05
        reasons.append("same linked group")
    return MirrorScore(min(score, 1.0), tuple(reasons))
