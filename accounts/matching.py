"""Name matching for proscribed groups: comparison keys, acronyms, similarity, mentions in text.

Used to resolve one organisation across lists (UN, US, UK, EU, NACTA) and to suggest a group
from an account's display name, bio or handle. Transliteration and ASCII folding come from
`rigour` (OpenSanctions, ICU underneath); on top of it sit the project's rules for this field:
Urdu/Arabic/Pashto connectors ("-e-", "-i-", "ul", "al-"), the usual spellings of the words
these names are made of ("Tehreek"/"Tehrik", "Toiba"/"Tayyiba", "Mohammed"/"Muhammad"), and a
small lexicon for Arabic-script names, whose transliteration drops the short vowels
("تحریک" -> "thryk") and would otherwise never meet the Latin spelling.

Thresholds, for cross-list resolution (`resolve_record`, `NameIndex.resolve`):
- merge: the same key, or a score >= AUTO_MERGE_THRESHOLD (0.92), for exactly one group, with
  the main name of one side taking part (two groups may share an alias);
- review queue: a best score from REVIEW_THRESHOLD (0.75) up to 0.92, a match of aliases only,
  or several groups at 0.92 or more;
- new group: below 0.75.
Acronyms ("TTP" for "Tehrik-e Taliban Pakistan") score 1.0 in `best_matches` and count in
`find_mentions`, but never decide a resolution: every list gives full names, and short acronyms
name several groups (HUM is Harakat ul-Mujahidin and Hizb-ul-Mujahideen).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from rigour.territories import get_territories
from rigour.text import ascii_text, levenshtein

AUTO_MERGE_THRESHOLD = 0.92
REVIEW_THRESHOLD = 0.75
# A query of one short token ("TTP", "LeT") is taken for an acronym; longer ones are words.
ACRONYM_MAX_LENGTH = 6
MIN_ACRONYM_LENGTH = 3

Key = Hashable

# --- Arabic script -----------------------------------------------------------------------------

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_ARABIC_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")
# Letters written several ways (Arabic vs Urdu/Persian forms, hamza carriers): one form each.
# Written as escapes because several look like Latin letters to linters and reviewers.
_ARABIC_FOLD = str.maketrans(
    {
        "\u064a": "\u06cc",  # Arabic yeh -> Farsi yeh
        "\u0649": "\u06cc",  # alef maksura -> Farsi yeh
        "\u0626": "\u06cc",  # yeh with hamza -> Farsi yeh
        "\u0643": "\u06a9",  # Arabic kaf -> keheh
        "\u0629": "\u0647",  # teh marbuta -> heh
        "\u06c3": "\u0647",  # teh marbuta goal -> heh
        "\u06c1": "\u0647",  # heh goal (Urdu) -> heh
        "\u06d5": "\u0647",  # ae -> heh
        "\u0623": "\u0627",  # alef with hamza above -> alef
        "\u0625": "\u0627",  # alef with hamza below -> alef
        "\u0622": "\u0627",  # alef with madda -> alef
        "\u0671": "\u0627",  # alef wasla -> alef
        "\u0624": "\u0648",  # waw with hamza -> waw
    }
)
# Urdu letters that ICU's Any-Latin leaves untransliterated (they would come out as "?").
_URDU_TO_LATIN = str.maketrans(
    {
        "\u0679": "t",  # tteh
        "\u0688": "d",  # ddal
        "\u0691": "r",  # rreh
        "\u06ba": "n",  # noon ghunna
        "\u06be": "h",  # heh doachashmee (aspiration: jh, bh)
        "\u06d2": "e",  # yeh barree
        "\u06d3": "e",  # yeh barree with hamza
        "\u0639": "",  # ain
        "\u0621": "",  # hamza
    }
)
# Words of group names in Arabic script -> the Latin spelling the key uses. Short on purpose:
# anything else falls back to ICU transliteration and a consonant-skeleton comparison.
_LEXICON_SOURCE = {
    "تحریک": "tehrik",
    "تحريك": "tehrik",
    "طالبان": "taliban",
    "پاکستان": "pakistan",
    "لشکر": "lashkar",
    "طیبہ": "tayyiba",
    "طیبه": "tayyiba",
    "طيبة": "tayyiba",
    "جیش": "jaish",
    "جيش": "jaish",
    "محمد": "muhammad",
    "محمدی": "muhammadi",
    "جھنگوی": "jhangvi",
    "جماعت": "jamaat",
    "الدعوۃ": "dawa",
    "الدعوة": "dawa",
    "دعوۃ": "dawa",
    "داعش": "isil",
    "خراسان": "khorasan",
    "ولایت": "province",
    "ولاية": "province",
    "حقانی": "haqqani",
    "شبکه": "network",
    "شبکہ": "network",
    "بلوچستان": "balochistan",
    "لبریشن": "liberation",
    "آرمی": "army",
    "نفاذ": "nifaz",
    "شریعت": "shariat",
    "سپاہ": "sipah",
    "صحابہ": "sahaba",
    "حزب": "hizb",
    "المجاہدین": "mujahidin",
    "مجاہدین": "mujahidin",
    "المجاهدين": "mujahidin",
    "حرکت": "harakat",
    "حركة": "harakat",
    "انصار": "ansar",
    "القاعدہ": "qaida",
    "القاعدة": "qaida",
    "اسلامی": "islami",
    "اسلام": "islam",
    "حماس": "hamas",
    "حزب الله": "hizballah",
    "الدولة الإسلامية": "islamic state",
    "دولت اسلامیہ": "islamic state",
}


def _fold_arabic(text: str) -> str:
    return _ARABIC_DIACRITICS.sub("", text).translate(_ARABIC_FOLD)


_LEXICON = {_fold_arabic(k): v for k, v in _LEXICON_SOURCE.items()}
_LEXICON_PHRASES = sorted((k for k in _LEXICON if " " in k), key=len, reverse=True)


def _arabic_to_latin(text: str) -> str:
    text = _fold_arabic(text)
    for phrase in _LEXICON_PHRASES:
        text = text.replace(phrase, f" {_LEXICON[phrase]} ")
    words = []
    for word in text.split():
        latin = _LEXICON.get(word)
        if latin is None and word.startswith("ال") and len(word) > 3:
            latin = _LEXICON.get(word[2:])
        words.append(latin if latin is not None else word.translate(_URDU_TO_LATIN))
    return " ".join(words)


# --- Latin-side rules --------------------------------------------------------------------------

# Connectors between the words of Urdu/Arabic names ("wa" is kept: "ISIS-WA" is West Africa).
_CONNECTORS = frozenset(
    {
        *("e", "i", "al", "el", "ul", "ud", "ur", "us", "ut", "un", "ush", "ad", "as", "ash"),
        *("at", "az", "an", "wal", "fi", "fil", "bil", "li"),
    }
)
# English/French glue words ("a" is kept: "JAK-A" is Algeria).
_STOPWORDS = frozenset({"of", "the", "and", "in", "for", "de", "du", "des", "la", "le", "les"})
# Connectors that put a letter in acronyms of two-word names: Lashkar-e-Tayyiba -> LeT.
_ACRONYM_CONNECTOR_LETTER = {
    "e": "e",
    "i": "e",
    **dict.fromkeys(("ul", "ud", "ur", "us", "ut"), "u"),
}
# Spelling variants of the words these names are made of (whole token) -> one spelling.
_SPELLINGS = [
    (r"lash?k[ae]r[ei]?", "lashkar"),
    (r"ja[iy]sh[ei]?", "jaish"),
    (r"t[ae]hr[ei]{1,2}k[ei]?", "tehrik"),
    (r"m[ou]h?amm?[ae]d", "muhammad"),
    (r"m[ou]h?amm?[ae]d[ie]", "muhammadi"),
    (r"t[aoe](?:y{1,2}[aie]?|i)b(?:a|ah|eh)?", "tayyiba"),
    (r"jh?angv[ie]", "jhangvi"),
    (r"kh[ou]ra+sa+n", "khorasan"),
    (r"muj[ae]h[ie]d(?:ee|i|e)n", "mujahidin"),
    (r"hara?k[ae]t", "harakat"),
    (r"jama+i?a?ti?", "jamaat"),
    (r"da+wa+[ht]?", "dawa"),
    (r"qa[ei]da", "qaida"),
    (r"isis|isil|daesh|daish", "isil"),
    (r"h[ie]zb[aou]ll?ah?", "hizballah"),
    (r"h[ie]zb(?:ul)?", "hizb"),
    (r"wil[ae]ya[ht]?|vilayat", "province"),
    (r"ahl[ei]?", "ahl"),
    (r"had(?:ith|is|ees|eeth)", "hadith"),
    (r"sipah?[ei]?", "sipah"),
    (r"sahab[ae]h?", "sahaba"),
    (r"nifa+z[ei]?", "nifaz"),
    (r"shari(?:a|ah|at)[ei]?", "shariat"),
    (r"bal[ou]ch", "baloch"),
    (r"bal[ou]chistan", "balochistan"),
]
_SPELLING_RES = [(re.compile(pattern), canonical) for pattern, canonical in _SPELLINGS]
# Words that only say "branch of": ISIS Wilayat Khorasan == ISIL Khorasan == ISKP.
_KEY_DROP = frozenset({"province"})
_ISIL_PHRASE = re.compile(r"\bislamic states?(?: iraq(?: levant| syria| sham)?)?\b")
# Words shared by many unrelated groups and firms: they count for little in a fuzzy score, so
# "Baraka Trading Company" is not "Alfa Trading Company" and Lashkar-e-Jhangvi is not LeT.
_GENERIC_WEIGHT = 0.35
_GENERIC = frozenset(
    {
        *("company", "co", "corporation", "trading", "trade", "group", "foundation", "trust"),
        *("organization", "organisation", "international", "society", "movement", "army"),
        *("front", "brigade", "brigades", "battalion", "network", "islamic", "islami", "islam"),
        *("isil", "qaida", "jihad", "charity", "charitable", "welfare", "relief", "exchange"),
        *("money", "ltd", "limited", "llc", "inc", "plc", "council", "committee", "party"),
        *("branch", "office", "agency", "aid", "institute", "center", "centre", "bank"),
        *("industries", "industry", "services", "establishment", "enterprise", "holding"),
        *("mujahidin", "ansar", "jamaat", "harakat", "tehrik", "lashkar", "jaish", "hizb"),
        *("liberation", "national", "people", "popular", "revolutionary", "forces", "force"),
        *("resistance", "union", "association", "federation", "emirate", "state", "students"),
    }
)

_INNER_BRACKETS = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_APOSTROPHES = re.compile("['`\u2018\u2019\u02bc\u02bb\u02be\u02bf\u00b4]")
_POSSESSIVE = re.compile("['\u2019]s\\b")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_UPPER_IS = re.compile(r"\bIS\b")
_DOUBLED = re.compile(r"(.)\1+")


@functools.lru_cache(maxsize=200_000)
def _spelling(token: str) -> str:
    for pattern, canonical in _SPELLING_RES:
        if pattern.fullmatch(token):
            return canonical
    return token


def _raw_tokens(text: str, *, is_means_isil: bool = True) -> list[str]:
    """Lower-case ASCII tokens of any-script text, before connectors and spellings are folded."""
    text = unicodedata.normalize("NFKC", text)
    if _ARABIC.search(text):
        text = _arabic_to_latin(text)
    text = ascii_text(text)
    # In a name, "IS" in capitals is the Islamic State ("IS-Khorasan"); in a free text it is
    # more often a shouted verb ("THIS IS OUR PAGE").
    if is_means_isil:
        text = _UPPER_IS.sub("ISIL", text)
    text = text.lower()
    text = _APOSTROPHES.sub("", _POSSESSIVE.sub("", text))
    return _NON_ALNUM.sub(" ", text).split()


def _is_glue(token: str) -> bool:
    return token in _CONNECTORS or token in _STOPWORDS


@functools.lru_cache(maxsize=200_000)
def _simplify(word: str) -> str:
    """Transliteration noise: "ee"/"i", "oo"/"u" and doubled letters are written either way
    (Tehreek/Tehrik, Mujahideen/Mujahidin, Mansooreen, Tayyiba/Tayiba, Haqqani/Haqani).
    Short words are left alone: they are acronyms more often than not (TTP, ISSA)."""
    if len(word) <= 4:
        return word
    return _DOUBLED.sub(r"\1", word.replace("ee", "i").replace("oo", "u"))


def _key_from_tokens(tokens: list[str]) -> str:
    words = [_spelling(token) for token in tokens if not _is_glue(token)]
    joined = _ISIL_PHRASE.sub("isil", " ".join(words))
    out: list[str] = []
    for word in joined.split():
        if word in _KEY_DROP:
            continue
        word = _simplify(word)
        if word not in out:
            out.append(word)
    return " ".join(out)


def _split_brackets(name: str) -> tuple[str, list[str]]:
    """("outer text", [bracketed parts, innermost first]); nested brackets handled."""
    inner: list[str] = []
    outer = name
    while True:
        found = _INNER_BRACKETS.findall(outer)
        if not found:
            break
        inner += [a or b for a, b in found]
        outer = _INNER_BRACKETS.sub(" ", outer)
    # A name that is all brackets, "(TTP)", keeps its content rather than vanishing.
    if not outer.strip():
        outer = re.sub(r"[()\[\]]", " ", name)
    return outer, inner


def _without_brackets(name: str) -> str:
    return _split_brackets(name)[0]


@functools.lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """Normalised comparison key: any script to ASCII, lower case, connectors and spellings folded.

    "Tehrik-e Taliban Pakistan", "Tehrik-i-Taliban Pakistan", "Tehreek e Taliban Pakistan" and
    "تحریک طالبان پاکستان" all give "tehrik taliban pakistan". Bracketed text is left out.
    """
    if not name:
        return ""
    return _key_from_tokens(_raw_tokens(_without_brackets(name)))


def text_key(text: str) -> str:
    """The key of a free text (bio, display name, handle), keeping what is in brackets."""
    return _key_from_tokens(_raw_tokens(text, is_means_isil=False)) if text else ""


def _acronym_forms(name: str) -> tuple[str, str, int]:
    """(without connector letters, with them, number of content words)."""
    tokens = _raw_tokens(_without_brackets(name))
    content = [t for t in tokens if not _is_glue(t)]
    plain = "".join(t[0] for t in content)
    with_connectors = "".join(
        _ACRONYM_CONNECTOR_LETTER.get(t, "" if _is_glue(t) else t[0]) for t in tokens
    )
    return plain, with_connectors, len(content)


@functools.lru_cache(maxsize=200_000)
def acronyms(name: str) -> frozenset[str]:
    """Every plausible acronym of a name: with and without connector letters (LeT/LT, TTP/TeTP)."""
    plain, with_connectors, words = _acronym_forms(name)
    if words < 2:
        return frozenset({name_key(name)} - {""})
    return frozenset({plain, with_connectors})


def acronym(name: str) -> str:
    """The usual acronym: "Tehrik-e-Taliban Pakistan" -> "ttp", "Lashkar-e-Tayyiba" -> "let".

    Names of two words keep their connector letter (LeT, JeM, JuD, HuM); longer names drop it
    (TTP, TNSM, ISKP). A one-word name is its own acronym ("TTP" -> "ttp").
    """
    plain, with_connectors, words = _acronym_forms(name)
    if words < 2:
        return name_key(name)
    return with_connectors if words == 2 else plain


def name_variants(name: str) -> list[str]:
    """A name and the names inside it: "TEHRIK-E TALIBAN PAKISTAN (TTP)" -> [..., "TTP"];
    "Daesh / ISIL" -> ["Daesh", "ISIL"]."""
    out: list[str] = []
    for part in re.split(r"\s*/\s*", name) if "/" in name else [name]:
        outer, inner = _split_brackets(part)
        # "(TTP)" names the group again; "(PAKISTAN)", "(KENYA)" only say where it is.
        for variant in (outer, *(text for text in inner if not _is_place(text))):
            variant = " ".join(variant.split())
            if variant and variant not in out:
                out.append(variant)
    return out


def _is_place(text: str) -> bool:
    """A country name ("Kenya", "Union of the Comoros"); short codes are left as acronyms."""
    return _plain(text) in _place_names()


def _plain(text: str) -> str:
    return " ".join(_NON_ALNUM.sub(" ", ascii_text(text).lower()).split())


@functools.cache
def _place_names() -> frozenset[str]:
    # rigour's own lookup_territory() takes seconds to build its index on first use; the plain
    # names of its territory table are all that is needed here.
    names = set()
    for territory in get_territories():
        names |= {_plain(territory.name), _plain(territory.full_name)}
    return frozenset(name for name in names if len(name.replace(" ", "")) > 3)


def _alnum_count(text: str) -> int:
    return sum(1 for char in text if char.isalnum())


def _is_short_acronym(name: str) -> bool:
    """One word of at most four letters ("TTP", "LeT", "ISKP"), as opposed to a name."""
    return " " not in name.strip() and _alnum_count(name) <= 4


# --- similarity --------------------------------------------------------------------------------

_GENERIC_KEYS = frozenset(_simplify(word) for word in _GENERIC)


@functools.lru_cache(maxsize=500_000)
def _token_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return max(0.0, 1.0 - levenshtein(a, b) / max(len(a), len(b)))


def _weight(token: str) -> float:
    return _GENERIC_WEIGHT if token in _GENERIC_KEYS else 1.0


@functools.lru_cache(maxsize=500_000)
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


def _skeleton(key: str) -> str:
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


def _similarity(key_a: str, key_b: str, arabic: bool) -> float:
    score = _key_similarity(key_a, key_b)
    if arabic and score < _SKELETON_CAP:
        skeleton_score = _key_similarity(_skeleton(key_a), _skeleton(key_b))
        score = max(score, min(_SKELETON_CAP, skeleton_score))
    return score


def key_similarity(key_a: str, key_b: str, *, arabic: bool = False) -> float:
    """0..1 similarity of two keys made by name_key; arabic=True also compares consonants."""
    return _similarity(key_a, key_b, arabic)


def similarity(a: str, b: str) -> float:
    """0..1 similarity of two names on their keys, word-order free; 1.0 for the same key."""
    arabic = bool(_ARABIC.search(a) or _ARABIC.search(b))
    return _similarity(name_key(a), name_key(b), arabic)


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
        arabic = bool(_ARABIC.search(variant))
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
            short = _is_short_acronym(variant)
            for entry in self._by_key.get(key, ()):
                # Equal short acronyms ("HUM" and "HUM") name different groups too often to
                # count as more than acronyms.
                offer(entry, 1.0, variant, short and _is_short_acronym(entry.variant))
            if " " not in key and len(key) <= ACRONYM_MAX_LENGTH:
                for entry in self._by_acronym.get(key, ()):
                    offer(entry, 1.0, variant, True)
            else:
                for acr in acronyms(variant):
                    for entry in self._by_one_token.get(acr, ()):
                        offer(entry, 1.0, variant, True)
            if short:
                continue  # spelling distance between acronyms means nothing
            arabic = bool(_ARABIC.search(variant))
            seen: set[int] = set()
            for block in _blocks(key):
                # Consonant skeletons only bridge Latin and Arabic script, not Latin and Latin.
                table = self._by_arabic_block if block[0] == "s" and not arabic else self._by_block
                for entry in table.get(block, ()):
                    if id(entry) in seen or entry.key == key or _is_short_acronym(entry.variant):
                        continue
                    seen.add(id(entry))
                    offer(
                        entry, _similarity(key, entry.key, arabic or entry.arabic), variant, False
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
            if _is_short_acronym(entry.variant):
                # "LET", "JeM", "TTP" are also English words or bits of handles: capitals only;
                # and two letters ("IS", "LJ") are too common even in capitals.
                if entry.key in shouted and _alnum_count(entry.variant) >= MIN_ACRONYM_LENGTH:
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


@functools.lru_cache(maxsize=200_000)
def _blocks(key: str) -> frozenset[str]:
    """Look-up buckets: prefixes of the distinctive words (all words if none is), and of their
    consonant skeletons for Arabic-script names. A match must share one of them."""
    words = key.split()
    distinctive = [word for word in words if word not in _GENERIC_KEYS] or words
    blocks = {f"p:{word[:4]}" for word in distinctive}
    skeleton = _skeleton(" ".join(distinctive)).split()
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
