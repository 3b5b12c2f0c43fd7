"""Handles and profile URLs of Meta's platforms: Facebook, Instagram and WhatsApp."""

import re
from urllib.parse import quote

from .base import (
    DIGITS,
    FACEBOOK_LOCALE_SUBDOMAIN,
    FACEBOOK_SUBDOMAINS,
    HandleError,
    ParsedHandle,
    Url,
    echo,
    invalid_handle_error,
    is_wordlike,
    normalize_handle,
    not_an_account_error,
    path_segments,
    pattern_handle,
    phone_digits,
    profile_segments,
    short_link,
    strip_at,
)

# ---------------------------------------------------------------------------------------------
# Facebook
# ---------------------------------------------------------------------------------------------

_FACEBOOK_MAX = 50
_FACEBOOK_RULE = (
    f"Facebook usernames are up to {_FACEBOOK_MAX} characters: letters, digits and full stops."
)
# Old page addresses end with the page id: facebook.com/Some-Page-Name-100064123456789.
_FACEBOOK_NAME_AND_ID = re.compile(r".*-([0-9]{5,20})")
_FACEBOOK_RESERVED = frozenset(
    {
        "home.php", "watch", "marketplace", "events", "photo.php", "photo", "photos",
        "story.php", "permalink.php", "sharer.php", "sharer", "share", "login", "login.php",
        "help", "settings", "notifications", "messages", "gaming", "hashtag", "search",
        "friends", "bookmarks", "policies", "privacy", "ads", "business", "plugins", "dialog",
        "reel", "reels", "stories", "l.php", "video.php", "videos", "media", "saved",
        "memories", "fundraisers", "live", "recover", "checkpoint", "legal", "terms", "careers",
        "pages", "people", "groups", "p", "pg", "profile.php", "donate", "composer", "posts",
        "notes", "places", "lite", "me",
    }
)  # fmt: skip
_FACEBOOK_GROUP_RESERVED = frozenset({"feed", "discover", "joins", "create", "notifications"})
_FACEBOOK_POSTS = {
    "watch": "a Facebook video",
    "video.php": "a Facebook video",
    "videos": "a Facebook video",
    "reel": "a Facebook reel",
    "reels": "a Facebook reel",
    "photo.php": "a Facebook photo",
    "photo": "a Facebook photo",
    "photos": "a Facebook photo",
    "story.php": "a Facebook post",
    "permalink.php": "a Facebook post",
    "posts": "a Facebook post",
}


def _facebook_id(text: str) -> ParsedHandle:
    if not DIGITS.fullmatch(text):
        raise HandleError(f'"{echo(text)}" is not a Facebook profile id: ids are digits.')
    return ParsedHandle(
        "facebook", text, text, text, f"https://www.facebook.com/profile.php?id={text}"
    )


def _facebook_group(text: str) -> ParsedHandle:
    if DIGITS.fullmatch(text):
        return ParsedHandle(
            "facebook", f"groups/{text}", f"groups/{text}", text,
            f"https://www.facebook.com/groups/{text}/",
        )  # fmt: skip
    if not text or len(text) > _FACEBOOK_MAX or not is_wordlike(text, "._-"):
        raise HandleError(
            f'"{echo(text)}" is not a valid Facebook group address. Group addresses are up to '
            f"{_FACEBOOK_MAX} characters: letters, digits, full stops, hyphens and underscores."
        )
    # Unlike usernames, group addresses are not documented as dot-insensitive, so dots stay.
    return ParsedHandle(
        "facebook", f"groups/{text}", f"groups/{normalize_handle(text)}", "",
        f"https://www.facebook.com/groups/{quote(text.lower(), safe='')}/",
    )  # fmt: skip


def facebook_handle(text: str) -> ParsedHandle:
    handle = strip_at(text)
    if handle.casefold().startswith("groups/"):
        return _facebook_group(handle[len("groups/") :].strip("/"))
    if DIGITS.fullmatch(handle):
        # Usernames cannot be all digits, so a number is the profile's id.
        return _facebook_id(handle)
    name_and_id = _FACEBOOK_NAME_AND_ID.fullmatch(handle)
    if name_and_id:
        return _facebook_id(name_and_id.group(1))
    # Pages created before usernames were restricted carry Arabic, Urdu and other scripts.
    if len(handle) > _FACEBOOK_MAX or not is_wordlike(handle, "."):
        raise invalid_handle_error("facebook", handle, _FACEBOOK_RULE)
    # Facebook treats john.smith and johnsmith as one username.
    normalized = normalize_handle(handle).replace(".", "")
    if not normalized:
        raise invalid_handle_error("facebook", handle, _FACEBOOK_RULE)
    profile_url = f"https://www.facebook.com/{quote(handle.lower(), safe='')}"
    return ParsedHandle("facebook", handle, normalized, "", profile_url)


def parse_facebook_url(url: Url) -> ParsedHandle:
    if url.domain in ("fb.me", "fb.watch"):
        raise short_link(url)
    segments = path_segments(url.path)
    if url.domain == "m.me":
        # Messenger links name the page they open a chat with.
        if not segments:
            raise not_an_account_error(url)
        return facebook_handle(segments[0])
    if url.subdomain not in FACEBOOK_SUBDOMAINS and not FACEBOOK_LOCALE_SUBDOMAIN.match(
        url.subdomain
    ):
        raise not_an_account_error(url)
    if not segments:
        raise not_an_account_error(url)
    first = segments[0].casefold()
    if first == "profile.php":
        if not url.query.get("id"):
            raise HandleError(
                "That profile.php address has no id=...; copy the full address from the browser.",
                "not_an_account",
            )
        return _facebook_id(url.query["id"])
    if first in ("people", "pages") and len(segments) >= 3 and DIGITS.fullmatch(segments[2]):
        return _facebook_id(segments[2])
    if first == "p" and len(segments) >= 2:
        name_and_id = _FACEBOOK_NAME_AND_ID.fullmatch(segments[1])
        if name_and_id:
            return _facebook_id(name_and_id.group(1))
    if first == "groups" and len(segments) >= 2:
        if segments[1].casefold() in _FACEBOOK_GROUP_RESERVED:
            raise not_an_account_error(url)
        return _facebook_group(segments[1])
    if first == "pg" and len(segments) >= 2:
        return facebook_handle(segments[1])
    if first == "share":
        raise short_link(url)
    if first in _FACEBOOK_POSTS:
        raise not_an_account_error(url, _FACEBOOK_POSTS[first])
    if first in _FACEBOOK_RESERVED:
        raise not_an_account_error(url)
    return facebook_handle(segments[0])


# ---------------------------------------------------------------------------------------------
# Instagram
# ---------------------------------------------------------------------------------------------

_INSTAGRAM_HANDLE = re.compile(r"[A-Za-z0-9._]{1,30}")
_INSTAGRAM_RULE = (
    "Instagram usernames are up to 30 characters: letters A-Z, digits, full stops and underscores."
)
_INSTAGRAM_POSTS = {
    "p": "an Instagram post",
    "reel": "an Instagram reel",
    "reels": "an Instagram reel",
    "tv": "an Instagram video",
}
_INSTAGRAM_RESERVED = frozenset(
    {
        "explore", "accounts", "direct", "about", "developer", "legal", "stories", "web",
        "challenge", "oauth", "api", "graphql", "emails", "session", "privacy", "terms", "s",
        "ar", "locations", "nametag", "download", "directory", "create", "lite",
    }
)  # fmt: skip


def instagram_handle(text: str) -> ParsedHandle:
    return pattern_handle(
        "instagram",
        text,
        _INSTAGRAM_HANDLE,
        _INSTAGRAM_RULE,
        "https://www.instagram.com/{normalized}/",
    )


def parse_instagram_url(url: Url) -> ParsedHandle:
    segments = profile_segments(url)
    first = segments[0].casefold()
    if first == "stories" and len(segments) >= 2 and segments[1].casefold() != "highlights":
        return instagram_handle(segments[1])
    if first in _INSTAGRAM_POSTS:
        raise not_an_account_error(url, _INSTAGRAM_POSTS[first])
    if first in _INSTAGRAM_RESERVED:
        raise not_an_account_error(url)
    return instagram_handle(segments[0])


# ---------------------------------------------------------------------------------------------
# WhatsApp
# ---------------------------------------------------------------------------------------------

_WHATSAPP_CODE = re.compile(r"[A-Za-z0-9]{10,40}")


def _whatsapp_number(text: str) -> ParsedHandle:
    digits = phone_digits(text, "whatsapp")
    return ParsedHandle("whatsapp", f"+{digits}", f"+{digits}", "", f"https://wa.me/{digits}")


def _whatsapp_invite(code: str) -> ParsedHandle:
    if not _WHATSAPP_CODE.fullmatch(code):
        raise HandleError(
            f'"{echo(code)}" is not a valid WhatsApp group invite code: codes are 10 to 40 '
            "letters and digits."
        )
    # Invite codes are case-sensitive in the URL, so the handle and the URL keep the case.
    return ParsedHandle(
        "whatsapp", code, normalize_handle(code), "", f"https://chat.whatsapp.com/{code}"
    )


def _whatsapp_channel(channel_id: str) -> ParsedHandle:
    if not _WHATSAPP_CODE.fullmatch(channel_id):
        raise HandleError(
            f'"{echo(channel_id)}" is not a valid WhatsApp channel id: ids are 10 to 40 '
            "letters and digits."
        )
    return ParsedHandle(
        "whatsapp", channel_id, normalize_handle(channel_id), channel_id,
        f"https://whatsapp.com/channel/{channel_id}",
    )  # fmt: skip


def whatsapp_handle(text: str) -> ParsedHandle:
    text = strip_at(text)
    try:
        return _whatsapp_number(text)
    except HandleError as exc:
        if any(ch.isalpha() for ch in text):
            raise HandleError(
                f'"{echo(text)}" is not a WhatsApp number. WhatsApp accounts are phone numbers '
                "with the country code, e.g. +923001234567; for a group or channel paste its "
                "chat.whatsapp.com or whatsapp.com/channel link.",
                "invalid_handle",
            ) from exc
        raise


def parse_whatsapp_url(url: Url) -> ParsedHandle:
    segments = path_segments(url.path)
    first = segments[0].casefold() if segments else ""
    if url.domain == "wa.me":
        if not segments:
            raise not_an_account_error(url)
        if first in ("message", "qr"):
            raise short_link(url)
        if first == "c" and len(segments) >= 2:
            return _whatsapp_number(segments[1])  # a business catalogue: wa.me/c/<number>
        return _whatsapp_number(segments[0])
    if url.subdomain == "chat":
        if first == "invite" and len(segments) >= 2:
            return _whatsapp_invite(segments[1])
        if segments:
            return _whatsapp_invite(segments[0])
        raise not_an_account_error(url)
    if url.subdomain in ("", "www", "api", "web"):
        if first == "channel" and len(segments) >= 2:
            return _whatsapp_channel(segments[1])
        if first == "send":
            if not url.query.get("phone"):
                raise HandleError(
                    "That WhatsApp link has no phone=... number; copy the full link.",
                    "not_an_account",
                )
            return _whatsapp_number(url.query["phone"])
    raise not_an_account_error(url)
