"""Parse what a user types or pastes for an account (handle or profile URL) into one canonical
form.

Every door (UI, API, CSV/XLSX import) calls `parse_handle`, so the uniqueness key and the profile
URL are the same whichever way an account arrives. One module per platform family (x, meta,
telegram, youtube, tiktok) behind the registry (`registry.py`); the shared pieces in `base.py`.
Pure standard library: no Django import.
"""

from .base import (
    MAX_INPUT_LENGTH,
    PLATFORM_NAMES,
    PLATFORM_SLUGS,
    HandleError,
    ParsedHandle,
    normalize_handle,
)
from .registry import detect_platform, parse_handle

__all__ = [
    "MAX_INPUT_LENGTH",
    "PLATFORM_NAMES",
    "PLATFORM_SLUGS",
    "HandleError",
    "ParsedHandle",
    "detect_platform",
    "normalize_handle",
    "parse_handle",
]
