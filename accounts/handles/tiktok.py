"""Handles and profile URLs of TikTok."""

import re

from .base import (
    PROFILE_SUBDOMAINS,
    ParsedHandle,
    Url,
    invalid_handle_error,
    normalize_handle,
    not_an_account_error,
    path_segments,
    short_link,
    strip_at,
)

# ---------------------------------------------------------------------------------------------
# TikTok
# ---------------------------------------------------------------------------------------------

_TIKTOK_HANDLE = re.compile(r"[A-Za-z0-9_.]{1,24}")
_TIKTOK_RULE = (
    "TikTok usernames are up to 24 characters: letters A-Z, digits, underscores and full stops."
)


def tiktok_handle(text: str) -> ParsedHandle:
    handle = strip_at(text)
    if not _TIKTOK_HANDLE.fullmatch(handle):
        raise invalid_handle_error("tiktok", handle, _TIKTOK_RULE)
    normalized = normalize_handle(handle)
    return ParsedHandle("tiktok", handle, normalized, "", f"https://www.tiktok.com/@{normalized}")


def parse_tiktok_url(url: Url) -> ParsedHandle:
    if url.subdomain in ("vm", "vt"):
        raise short_link(url)
    if url.subdomain not in PROFILE_SUBDOMAINS:
        raise not_an_account_error(url)
    segments = path_segments(url.path)
    if segments and segments[0].startswith("@"):
        return tiktok_handle(segments[0])
    if segments and segments[0].casefold() == "t":
        raise short_link(url)
    raise not_an_account_error(url)
