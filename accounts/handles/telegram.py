"""Handles, invite and phone links and profile URLs of Telegram."""

import re

from .base import (
    PHONE_PUNCTUATION,
    HandleError,
    ParsedHandle,
    Url,
    echo,
    normalize_handle,
    not_an_account_error,
    pattern_handle,
    phone_digits,
    profile_segments,
    strip_at,
)

# ---------------------------------------------------------------------------------------------
# Telegram
# ---------------------------------------------------------------------------------------------

# Telegram's own minimum is 5, but 4-character collectible usernames are sold on Fragment.
_TELEGRAM_HANDLE = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")
_TELEGRAM_RULE = (
    "Telegram usernames are 4 to 32 characters: letters A-Z, digits and underscores, "
    "starting with a letter."
)
_TELEGRAM_SUBDOMAINS = frozenset({"", "www"})
_TELEGRAM_INVITE = re.compile(r"[A-Za-z0-9_-]{10,64}")
_TELEGRAM_RESERVED = frozenset(
    {
        "share", "addstickers", "addemoji", "addtheme", "proxy", "socks", "setlanguage",
        "login", "iv", "bg", "confirmphone", "invoice", "giftcode", "contact", "addlist",
        "boost", "m", "nft", "k", "a", "z",
    }
)  # fmt: skip


def _telegram_plus(rest: str) -> ParsedHandle:
    """t.me/+<digits> opens a chat by phone number; t.me/+<hash> is a private invite."""
    if rest.translate(PHONE_PUNCTUATION).isdecimal():
        digits = phone_digits(f"+{rest}", "telegram")
        return ParsedHandle("telegram", f"+{digits}", f"+{digits}", "", f"https://t.me/+{digits}")
    if not _TELEGRAM_INVITE.fullmatch(rest):
        raise HandleError(f'"+{echo(rest)}" is not a valid Telegram invite link code.')
    handle = f"+{rest}"
    return ParsedHandle("telegram", handle, normalize_handle(handle), "", f"https://t.me/{handle}")


def telegram_handle(text: str) -> ParsedHandle:
    handle = strip_at(text)
    if handle.startswith("+"):
        return _telegram_plus(handle[1:])
    return pattern_handle(
        "telegram", handle, _TELEGRAM_HANDLE, _TELEGRAM_RULE, "https://t.me/{normalized}"
    )


def parse_telegram_url(url: Url) -> ParsedHandle:
    segments = profile_segments(url, _TELEGRAM_SUBDOMAINS)
    first = segments[0].casefold()
    if first == "s" and len(segments) >= 2:
        return telegram_handle(segments[1])  # the public web preview of a channel
    if first == "joinchat" and len(segments) >= 2:
        return _telegram_plus(segments[1])
    if segments[0].startswith("+"):
        return _telegram_plus(segments[0][1:])
    if first == "c":
        raise HandleError(
            "That is a link to a post in a private Telegram channel, which does not name the "
            "channel. Paste the channel's invite link (t.me/+...) or its @username.",
            "not_an_account",
        )
    if first in _TELEGRAM_RESERVED:
        raise not_an_account_error(url)
    return telegram_handle(segments[0])
