"""Handles and profile URLs of X (Twitter)."""

import re

from .base import (
    DIGITS,
    PROFILE_SUBDOMAINS,
    HandleError,
    ParsedHandle,
    Url,
    echo,
    invalid_handle_error,
    normalize_handle,
    not_an_account_error,
    path_segments,
    short_link,
    strip_at,
)

# X
# ---------------------------------------------------------------------------------------------

_X_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")
_X_RULE = "X handles are 1 to 15 characters: letters A-Z, digits and underscores."
_X_RESERVED = frozenset(
    {
        "home", "explore", "search", "search-advanced", "notifications", "messages", "settings",
        "compose", "login", "logout", "signup", "i", "intent", "share", "hashtag", "tos",
        "privacy", "about", "download", "jobs", "account", "personalization", "who_to_follow",
    }
)  # fmt: skip


def x_handle(text: str) -> ParsedHandle:
    handle = strip_at(text)
    if not _X_HANDLE.fullmatch(handle):
        raise invalid_handle_error("x", handle, _X_RULE)
    normalized = normalize_handle(handle)
    return ParsedHandle("x", handle, normalized, "", f"https://x.com/{normalized}")


def _x_user_id(text: str) -> ParsedHandle:
    if not DIGITS.fullmatch(text):
        raise HandleError(f'"{echo(text)}" is not an X user id: ids are digits.')
    return ParsedHandle("x", text, text, text, f"https://x.com/i/user/{text}")


def parse_x_url(url: Url) -> ParsedHandle:
    if url.domain == "t.co":
        raise short_link(url)
    if url.subdomain not in PROFILE_SUBDOMAINS:
        raise not_an_account_error(url)
    segments = path_segments(url.path)
    if not segments and url.fragment.startswith("!/"):
        # Old "twitter.com/#!/name" links still circulate in archived reports.
        segments = path_segments(url.fragment[1:])
    if not segments:
        raise not_an_account_error(url)
    first = segments[0].casefold()
    if first == "i" and len(segments) >= 3 and segments[1].casefold() == "user":
        return _x_user_id(segments[2])
    if first == "intent" and len(segments) >= 2 and segments[1].casefold() in ("user", "follow"):
        if url.query.get("screen_name"):
            return x_handle(url.query["screen_name"])
        if url.query.get("user_id"):
            return _x_user_id(url.query["user_id"])
    if first in _X_RESERVED:
        raise not_an_account_error(url)
    return x_handle(segments[0])
