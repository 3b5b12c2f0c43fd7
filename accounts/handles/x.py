"""Handles and profile URLs of X (Twitter)."""

import re

from .base import (
    DIGITS,
    HandleError,
    ParsedHandle,
    Url,
    echo,
    not_an_account_error,
    path_segments,
    pattern_handle,
    profile_segments,
    short_link,
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
    return pattern_handle("x", text, _X_HANDLE, _X_RULE, "https://x.com/{normalized}")


def _x_user_id(text: str) -> ParsedHandle:
    if not DIGITS.fullmatch(text):
        raise HandleError(f'"{echo(text)}" is not an X user id: ids are digits.')
    return ParsedHandle("x", text, text, text, f"https://x.com/i/user/{text}")


def parse_x_url(url: Url) -> ParsedHandle:
    if url.domain == "t.co":
        raise short_link(url)
    path = url.path
    if url.fragment.startswith("!/") and not path_segments(path):
        # Old "twitter.com/#!/name" links still circulate in archived reports.
        path = url.fragment[1:]
    segments = profile_segments(url, path=path)
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
