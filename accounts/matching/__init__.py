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

from .index import (
    NameIndex,
    Resolution,
    best_matches,
    find_mentions,
    resolve_record,
)
from .keys import (
    ACRONYM_MAX_LENGTH,
    AUTO_MERGE_THRESHOLD,
    MIN_ACRONYM_LENGTH,
    REVIEW_THRESHOLD,
    Key,
    acronym,
    acronyms,
    name_key,
    name_variants,
    text_key,
)
from .similarity import (
    similarity,
)

__all__ = [
    "ACRONYM_MAX_LENGTH",
    "AUTO_MERGE_THRESHOLD",
    "MIN_ACRONYM_LENGTH",
    "REVIEW_THRESHOLD",
    "Key",
    "NameIndex",
    "Resolution",
    "acronym",
    "acronyms",
    "best_matches",
    "find_mentions",
    "name_key",
    "name_variants",
    "resolve_record",
    "similarity",
    "text_key",
]
