"""Handles and profile URLs of TikTok."""

import re

from .base import (
    ParsedHandle,
    Url,
    not_an_account_error,
    pattern_handle,
    profile_segments,
    short_link,
)

# ---------------------------------------------------------------------------------------------
# TikTok
# ---------------------------------------------------------------------------------------------

_TIKTOK_HANDLE = re.compile(r"[A-Za-z0-9_.]{1,24}")
_TIKTOK_RULE = (
    "TikTok usernames are up to 24 characters: letters A-Z, digits, underscores and full stops."
)


def tiktok_handle(text: str) -> ParsedHandle:
    return pattern_handle(
        "tiktok", text, _TIKTOK_HANDLE, _TIKTOK_RULE, "https://www.tiktok.com/@{normalized}"
    )


def parse_tiktok_url(url: Url) -> ParsedHandle:
    if url.subdomain in ("vm", "vt"):
        raise short_link(url)
    segments = profile_segments(url)
    if segments[0].startswith("@"):
        return tiktok_handle(segments[0])
    if segments[0].casefold() == "t":
        raise short_link(url)
    raise not_an_account_error(url)
