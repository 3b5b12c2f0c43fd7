"""Handles, channel ids, legacy names and URLs of YouTube channels."""

import re
from urllib.parse import quote

from .base import (
    YOUTUBE_SUBDOMAINS,
    HandleError,
    ParsedHandle,
    Url,
    echo,
    invalid_handle_error,
    is_wordlike,
    normalize_handle,
    not_an_account_error,
    profile_segments,
)

# ---------------------------------------------------------------------------------------------
# YouTube
# ---------------------------------------------------------------------------------------------

_YOUTUBE_CHANNEL_ID = re.compile(r"UC[A-Za-z0-9_-]{22}")
_YOUTUBE_RULE = (
    "YouTube handles are 3 to 30 characters: letters, digits, underscores, hyphens and full stops."
)
_YOUTUBE_LEGACY_MAX = 100
_YOUTUBE_VIDEOS = {
    "watch": "a YouTube video",
    "shorts": "a YouTube short",
    "live": "a YouTube live stream",
    "embed": "a YouTube video",
    "v": "a YouTube video",
    "playlist": "a YouTube playlist",
    "post": "a YouTube post",
}
_YOUTUBE_RESERVED = frozenset(
    {
        "results", "feed", "hashtag", "gaming", "premium", "account", "about", "t", "redirect",
        "attribution_link", "signin", "logout", "upload", "e", "kids", "channel", "c", "user",
        "music", "trending", "howyoutubeworks", "ads", "creators", "s", "supported_browsers",
        "new", "source", "podcasts", "playables", "sports", "news", "movies", "learning",
        "select_site", "oops",
    }
)  # fmt: skip


def _youtube_channel(channel_id: str) -> ParsedHandle:
    if not _YOUTUBE_CHANNEL_ID.fullmatch(channel_id):
        raise HandleError(
            f'"{echo(channel_id)}" is not a YouTube channel id: ids start with UC and are 24 '
            "characters long."
        )
    return ParsedHandle(
        "youtube", channel_id, normalize_handle(channel_id), channel_id,
        f"https://www.youtube.com/channel/{channel_id}",
    )  # fmt: skip


def _youtube_at_handle(handle: str) -> ParsedHandle:
    # YouTube handles may be written in many scripts, so this is not limited to ASCII.
    if not 3 <= len(handle) <= 30 or not is_wordlike(handle, "._-\u00b7"):
        raise invalid_handle_error("youtube", handle, _YOUTUBE_RULE)
    normalized = normalize_handle(handle)
    return ParsedHandle(
        "youtube", handle, normalized, "",
        f"https://www.youtube.com/@{quote(handle.lower(), safe='')}",
    )  # fmt: skip


def _youtube_legacy(prefix: str, name: str) -> ParsedHandle:
    """youtube.com/c/<name>, /user/<name> or /<name>: pre-2022 custom URLs, kept as they resolve."""
    if len(name) > _YOUTUBE_LEGACY_MAX or not is_wordlike(name, "._-"):
        raise HandleError(f'"{echo(name)}" is not a valid YouTube channel name.')
    # YouTube reserved each custom URL as the owner's @handle, so both share one match key.
    return ParsedHandle(
        "youtube", name, normalize_handle(name), "",
        f"https://www.youtube.com/{prefix}{quote(name, safe='')}",
    )  # fmt: skip


def youtube_handle(text: str) -> ParsedHandle:
    if text.startswith("@"):
        return _youtube_at_handle(text[1:].strip())
    if _YOUTUBE_CHANNEL_ID.fullmatch(text):
        return _youtube_channel(text)
    return _youtube_at_handle(text)


def parse_youtube_url(url: Url) -> ParsedHandle:
    if url.domain == "youtu.be":
        raise not_an_account_error(url, "a YouTube video")
    segments = profile_segments(url, YOUTUBE_SUBDOMAINS)
    if segments[0].startswith("@"):
        return _youtube_at_handle(segments[0][1:])
    first = segments[0].casefold()
    if first == "channel" and len(segments) >= 2:
        return _youtube_channel(segments[1])
    if first in ("c", "user") and len(segments) >= 2:
        return _youtube_legacy(f"{first}/", segments[1])
    if first in _YOUTUBE_VIDEOS:
        raise not_an_account_error(url, _YOUTUBE_VIDEOS[first])
    if first in _YOUTUBE_RESERVED:
        raise not_an_account_error(url)
    return _youtube_legacy("", segments[0])
