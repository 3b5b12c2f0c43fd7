"""The candidate index of group names: cross-list resolution (merge, review or new group),
best matches for a query and mentions of groups in free text."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from core.memo import text_key_memo

from .keys import (
    ACRONYM_MAX_LENGTH,
    ARABIC_SCRIPT,
    AUTO_MERGE_THRESHOLD,
    MIN_ACRONYM_LENGTH,
    REVIEW_THRESHOLD,
    Key,
    acronyms,
    alnum_count,
    is_short_acronym,
    name_key,
    name_variants,
    text_key,
)
from .similarity import (
    GENERIC_KEYS,
    consonant_skeleton,
    key_similarity_in_script,
)

# --- candidate index ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    id: Key
    name: str  # as given, for display
    variant: str  # the part of it that is matched: "TTP" of "TEHRIK-E TALIBAN PAKISTAN (TTP)"
    key: str
    arabic: bool
    one_token: bool  # a single token of up to ACRONYM_MAX_LENGTH: "TTP", "JUD", "ISISK"
    primary: bool  # from the first name given for its candidate


@dataclass(frozen=True)
class _Hit:
    id: Key
    score: float
    name: str
    query: str
    via_acronym: bool
    primary: bool  # the query's first name or the candidate's first name took part


@dataclass(frozen=True)
class Resolution:
    """The decision for one incoming record: action is "merge", "review" or "new".

    `key` is the group to merge into or the best suggestion to review; `shortlist` holds every
    group at REVIEW_THRESHOLD or more as (id, score, matched name), best first.
    """

    action: str
    key: Key | None
    score: float
    matched_name: str
    query_name: str
    shortlist: tuple[tuple[Key, float, str], ...]


class NameIndex:
    """Candidates (an id and its names, the first being its main name) prepared once for many
    look-ups; a query is only compared with names sharing a word prefix with it."""

    def __init__(self, candidates: Iterable[tuple[Key, Iterable[str]]]) -> None:
        self.entries: list[_Entry] = []
        self.order: dict[Key, int] = {}
        self._by_key: dict[str, list[_Entry]] = defaultdict(list)
        self._by_acronym: dict[str, list[_Entry]] = defaultdict(list)
        self._by_one_token: dict[str, list[_Entry]] = defaultdict(list)
        self._by_block: dict[str, list[_Entry]] = defaultdict(list)
        self._by_arabic_block: dict[str, list[_Entry]] = defaultdict(list)
        for candidate_id, names in candidates:
            self.add(candidate_id, names)

    def add(self, candidate_id: Key, names: Iterable[str]) -> None:
        """Add a candidate, or more names of a known one (those are never its main name)."""
        first = candidate_id not in self.order
        self.order.setdefault(candidate_id, len(self.order))
        for position, raw in enumerate(names):
            for variant in name_variants(raw or ""):
                self._add(candidate_id, raw, variant, primary=first and position == 0)

    def _add(self, candidate_id: Key, raw: str, variant: str, *, primary: bool) -> None:
        key = name_key(variant)
        if not key:
            return
        one_token = " " not in key and len(key) <= ACRONYM_MAX_LENGTH
        arabic = bool(ARABIC_SCRIPT.search(variant))
        entry = _Entry(candidate_id, raw, variant, key, arabic, one_token, primary)
        self.entries.append(entry)
        self._by_key[key].append(entry)
        if one_token:
            self._by_one_token[key].append(entry)
        else:
            for acr in acronyms(variant):
                if len(acr) >= MIN_ACRONYM_LENGTH:
                    self._by_acronym[acr].append(entry)
        for block in _blocks(key):
            self._by_block[block].append(entry)
            if arabic:
                self._by_arabic_block[block].append(entry)

    def _hits(self, name: str, *, primary: bool, with_acronyms: bool) -> dict[Key, _Hit]:
        """The best hit per candidate for one query name."""
        best: dict[Key, _Hit] = {}

        def offer(entry: _Entry, score: float, query: str, via_acronym: bool) -> None:
            if via_acronym and not with_acronyms:
                return
            hit = _Hit(entry.id, score, entry.name, query, via_acronym, primary or entry.primary)
            current = best.get(entry.id)
            # Higher score wins; at equal score a match on names beats one on acronyms.
            if current is None or (score, not via_acronym) > (
                current.score,
                not current.via_acronym,
            ):
                best[entry.id] = hit

        for variant in name_variants(name or ""):
            key = name_key(variant)
            if not key:
                continue
            short = is_short_acronym(variant)
            for entry in self._by_key.get(key, ()):
                # Equal short acronyms ("HUM" and "HUM") name different groups too often to
                # count as more than acronyms.
                offer(entry, 1.0, variant, short and is_short_acronym(entry.variant))
            if " " not in key and len(key) <= ACRONYM_MAX_LENGTH:
                for entry in self._by_acronym.get(key, ()):
                    offer(entry, 1.0, variant, True)
            else:
                for acr in acronyms(variant):
                    for entry in self._by_one_token.get(acr, ()):
                        offer(entry, 1.0, variant, True)
            if short:
                continue  # spelling distance between acronyms means nothing
            arabic = bool(ARABIC_SCRIPT.search(variant))
            seen: set[int] = set()
            for block in _blocks(key):
                # Consonant skeletons only bridge Latin and Arabic script, not Latin and Latin.
                table = self._by_arabic_block if block[0] == "s" and not arabic else self._by_block
                for entry in table.get(block, ()):
                    if id(entry) in seen or entry.key == key or is_short_acronym(entry.variant):
                        continue
                    seen.add(id(entry))
                    offer(
                        entry,
                        key_similarity_in_script(key, entry.key, arabic or entry.arabic),
                        variant,
                        False,
                    )
        return best

    def _rank(self, hits: Iterable[_Hit]) -> list[_Hit]:
        return sorted(hits, key=lambda hit: (-hit.score, hit.via_acronym, self.order[hit.id]))

    def best_matches(self, name: str, threshold: float) -> list[tuple[Key, float, str]]:
        """(id, score, matched name) of candidates scoring >= threshold, best first."""
        hits = self._hits(name, primary=True, with_acronyms=True).values()
        ranked = self._rank(hit for hit in hits if hit.score >= threshold)
        return [(hit.id, round(hit.score, 4), hit.name) for hit in ranked]

    def resolve(self, names: Iterable[str]) -> Resolution:
        """Is a record with these names (main name first) a known group, perhaps one, or new?

        Acronyms are left out: every list gives full names, and short acronyms collide (HUM is
        both Harakat ul-Mujahidin and Hizb-ul-Mujahideen). A merge also needs the main name of
        one side: two groups can share an alias (OFAC gives Hizballah the Houthis' "Ansar Allah").
        """
        best: dict[Key, _Hit] = {}
        strong: set[Key] = set()
        for position, name in enumerate(names):
            for hit in self._hits(name, primary=position == 0, with_acronyms=False).values():
                if hit.id not in best or hit.score > best[hit.id].score:
                    best[hit.id] = hit
                if hit.primary and hit.score >= AUTO_MERGE_THRESHOLD:
                    strong.add(hit.id)
        ranked = self._rank(best.values())
        shortlist = tuple(
            (hit.id, round(hit.score, 4), hit.name)
            for hit in ranked
            if hit.score >= REVIEW_THRESHOLD
        )
        if not shortlist:
            top_score = round(ranked[0].score, 4) if ranked else 0.0
            return Resolution("new", None, top_score, "", "", ())
        top = ranked[0]
        # Two groups above the bar may be one organisation registered twice: a human decides.
        action = "merge" if strong == {top.id} else "review"
        return Resolution(action, top.id, round(top.score, 4), top.name, top.query, shortlist)

    def find_mentions(self, text: str) -> list[tuple[Key, str]]:
        """(id, matched name) of candidates named in a free text, in candidate order."""
        if not text:
            return []
        padded = f" {text_key(text)} "
        shouted = _capitalised_words(text)
        found: dict[Key, str] = {}
        for entry in self.entries:
            if entry.id in found or len(entry.key) < MIN_ACRONYM_LENGTH:
                continue
            if is_short_acronym(entry.variant):
                # "LET", "JeM", "TTP" are also English words or bits of handles: capitals only;
                # and two letters ("IS", "LJ") are too common even in capitals.
                if entry.key in shouted and alnum_count(entry.variant) >= MIN_ACRONYM_LENGTH:
                    found[entry.id] = entry.name
            elif f" {entry.key} " in padded:
                found[entry.id] = entry.name
            elif not entry.one_token and any(
                len(acr) >= 4 or (entry.primary and len(acr) >= MIN_ACRONYM_LENGTH)
                for acr in shouted & acronyms(entry.variant)
            ):
                # Three-letter acronyms only of the group's main name (TTP, LeT, JeM): those of
                # every alias ("Army of the Pure and Righteous" -> APR) flag ordinary capitals.
                found[entry.id] = entry.name
        return sorted(found.items(), key=lambda item: self.order[item[0]])


@text_key_memo
def _blocks(key: str) -> frozenset[str]:
    """Look-up buckets: prefixes of the distinctive words (all words if none is), and of their
    consonant skeletons for Arabic-script names. A match must share one of them."""
    words = key.split()
    distinctive = [word for word in words if word not in GENERIC_KEYS] or words
    blocks = {f"p:{word[:4]}" for word in distinctive}
    skeleton = consonant_skeleton(" ".join(distinctive)).split()
    blocks |= {f"s:{word[:3]}" for word in skeleton if len(word) >= 2}
    return frozenset(blocks)


def _capitalised_words(text: str) -> set[str]:
    """Keys of the words written with two capitals or more (TTP, LeT, JeM, ISKP)."""
    return {
        name_key(word)
        for word in re.findall(r"[^\W\d_]+", text)
        if sum(1 for char in word if char.isupper()) >= 2
    }


# --- module-level API ---------------------------------------------------------------------------


def best_matches(
    name: str, candidates: Iterable[tuple[Key, list[str]]], threshold: float
) -> list[tuple[Key, float, str]]:
    """Candidates whose name or alias matches `name` at >= threshold: (id, score, matched name),
    best first. An exact key, or acronym against acronym ("TTP" vs "Tehrik-e Taliban
    Pakistan"), scores 1.0. For many look-ups against the same candidates, build a NameIndex."""
    return NameIndex(candidates).best_matches(name, threshold)


def resolve_record(names: Iterable[str], candidates: Iterable[tuple[Key, list[str]]]) -> Resolution:
    """Merge, review or new for a list entry with these names (main name first)."""
    return NameIndex(candidates).resolve(names)


def find_mentions(text: str, candidates: Iterable[tuple[Key, list[str]]]) -> list[tuple[Key, str]]:
    """Groups whose name, alias (key of 3+ characters) or acronym appears as whole words in a
    free text (bio, display name, handle), after the same normalisation. Short acronyms count
    only when written with capitals ("LeT", "TTP"), since "let" and "jem" are ordinary words."""
    return NameIndex(candidates).find_mentions(text)
