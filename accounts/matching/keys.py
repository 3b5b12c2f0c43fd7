"""Comparison keys of group names: Arabic-script folding and transliteration, the spellings
and connectors of these names, acronyms, variants and place names."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Hashable

from rigour.territories import get_territories
from rigour.text import ascii_text

from core.memo import text_key_memo

AUTO_MERGE_THRESHOLD = 0.92
REVIEW_THRESHOLD = 0.75
# A query of one short token ("TTP", "LeT") is taken for an acronym; longer ones are words.
ACRONYM_MAX_LENGTH = 6
MIN_ACRONYM_LENGTH = 3

Key = Hashable

# --- Arabic script -----------------------------------------------------------------------------

ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
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
GENERIC_WEIGHT = 0.35
GENERIC_WORDS = frozenset(
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


@text_key_memo
def _spelling(token: str) -> str:
    for pattern, canonical in _SPELLING_RES:
        if pattern.fullmatch(token):
            return canonical
    return token


def _raw_tokens(text: str, *, is_means_isil: bool = True) -> list[str]:
    """Lower-case ASCII tokens of any-script text, before connectors and spellings are folded."""
    text = unicodedata.normalize("NFKC", text)
    if ARABIC_SCRIPT.search(text):
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


@text_key_memo
def simplify(word: str) -> str:
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
        word = simplify(word)
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


@text_key_memo
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


@text_key_memo
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


def alnum_count(text: str) -> int:
    return sum(1 for char in text if char.isalnum())


def is_short_acronym(name: str) -> bool:
    """One word of at most four letters ("TTP", "LeT", "ISKP"), as opposed to a name."""
    return " " not in name.strip() and alnum_count(name) <= 4
