"""Memo caches for the text keys computed per name or handle (name keys, handle keys, word
spellings): one source for their bound.

They pay off on the same text met again soon (an account's handle folded for its watch-list
signals and again for its feed entry, a word in many names of one list), not across a whole file:
a bulk import or a STIX export of 100,000 accounts meets each handle once or twice in a row. With
the bounds they had (100,000 to 200,000 entries per function, seven functions), such a run kept
about 2.5 KB per account alive in every worker and web process (135 MiB after a 100,000-account
export, bench/sharing.py), which no run ever returned. TEXT_KEY_CACHE entries of each, about
200 bytes an entry, cap them at a few MB per function.
"""

import functools

TEXT_KEY_CACHE = 16_384


def text_key_memo(function):
    """lru_cache(maxsize=TEXT_KEY_CACHE) of a pure function of short texts."""
    return functools.lru_cache(maxsize=TEXT_KEY_CACHE)(function)
