"""Parse what a user types or pastes for an account (handle or profile URL) into one canonical form.

Every door (UI, API, CSV/XLSX import) calls `parse_handle`, so the uniqueness key and the profile
URL are the same whichever way an account arrives. Pure standard library: no Django import.
"""

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, unquote, urlsplit

PLATFORM_SLUGS = ("x", "facebook", "instagram", "whatsapp", "telegram", "youtube", "tiktok")

PLATFORM_NAMES = {
    "x": "X",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "whatsapp": "WhatsApp",
    "telegram": "Telegram",
    "youtube": "YouTube",
    "tiktok": "TikTok",
}

MAX_INPUT_LENGTH = 2000
# Handles for platforms without built-in rules are stored as typed; bound them to the model column.
MAX_GENERIC_HANDLE_LENGTH = 255

# What importers and API clients send in a "platform" column besides the slug itself.
_SLUG_ALIASES = {
    "twitter": "x",
    "x.com": "x",
    "fb": "facebook",
    "ig": "instagram",
    "insta": "instagram",
    "wa": "whatsapp",
    "tg": "telegram",
    "yt": "youtube",
}


class HandleError(ValueError):
    """Bad handle or URL input: .message is a clear English sentence for a user, .code a
    machine code (empty, too_long, platform_required, wrong_platform, unknown_platform,
    not_an_account, invalid_url, invalid_handle)."""

    def __init__(self, message: str, code: str = "invalid_handle"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class ParsedHandle:
    """One account parsed from a handle or URL: what to show, what to match on, where it is."""

    platform: str | None
    handle: str
    normalized: str
    account_id: str
    profile_url: str


# ---------------------------------------------------------------------------------------------
# Text clean-up shared by URLs and bare handles
# ---------------------------------------------------------------------------------------------

# Direction marks, zero-width spaces, BOM and soft hyphens arrive with text copied from
# right-to-left pages; they are invisible, so two "identical" handles would otherwise differ.
# ZWJ/ZWNJ are kept: they change how Arabic-script words are written.
_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u00ad\u061c\u180e\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
        "\u2060\u2066\u2067\u2068\u2069\ufeff",
    )
)

# Threat-intelligence reports "defang" links (hxxps://t[.]me/name) so nobody clicks them.
_DEFANG_SCHEME = re.compile(r"^h(?:xx|XX)p(s?)(?=\[?:)", re.IGNORECASE)
_DEFANG_TOKENS = (("[.]", "."), ("(.)", "."), ("{.}", "."), ("[dot]", "."), ("[:]", ":"))

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_DOMAIN_LIKE = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,63}\.?(?::\d+)?$")
_WHITESPACE = re.compile(r"\s")


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text.translate(_INVISIBLE)).strip()


def _shown(text: str) -> str:
    """The user's input as quoted back in an error message, cut short if long."""
    return text if len(text) <= 60 else text[:57] + "..."


def _platform_name(slug: str) -> str:
    return PLATFORM_NAMES.get(slug, slug)


def _with_article(slug: str) -> str:
    name = _platform_name(slug)
    # Articles follow the sound: "an X address", "an Instagram address", "a YouTube address".
    article = "an" if slug == "x" or name[:1].lower() in "aeio" else "a"
    return f"{article} {name}"


def normalize_handle(handle: str) -> str:
    """Platform-independent match key: NFKC, case-folded, trimmed, one leading '@' removed."""
    text = _clean(handle)
    if text.startswith("@"):
        text = text[1:].strip()
    # Case-folding can produce text that is no longer NFKC (NFKC_Casefold is defined this way).
    return unicodedata.normalize("NFKC", text.casefold())


# ---------------------------------------------------------------------------------------------
# Hosts
# ---------------------------------------------------------------------------------------------

_DOMAINS = {
    "x.com": "x",
    "twitter.com": "x",
    "t.co": "x",
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "fb.me": "facebook",
    "fb.watch": "facebook",
    "m.me": "facebook",
    "instagram.com": "instagram",
    "instagr.am": "instagram",
    "whatsapp.com": "whatsapp",
    "wa.me": "whatsapp",
    "t.me": "telegram",
    "telegram.me": "telegram",
    "telegram.dog": "telegram",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "tiktok.com": "tiktok",
}

# Subdomains that serve the same profile pages as the bare domain.
_PROFILE_SUBDOMAINS = frozenset({"", "www", "m", "mobile"})
_FACEBOOK_SUBDOMAINS = _PROFILE_SUBDOMAINS | {"mbasic", "web", "touch", "free", "d"}
_FACEBOOK_LOCALE_SUBDOMAIN = re.compile(r"^[a-z]{2}-[a-z]{2}$")  # ar-ar.facebook.com
_YOUTUBE_SUBDOMAINS = _PROFILE_SUBDOMAINS | {"music"}


@dataclass(frozen=True)
class _Url:
    platform: str | None
    host: str
    domain: str
    subdomain: str
    path: str
    query: dict[str, str]
    fragment: str


def _host_platform(host: str) -> tuple[str, str, str] | None:
    """(platform, registrable domain, subdomain) for a known host, else None."""
    labels = host.split(".")
    for start in range(len(labels) - 1):
        domain = ".".join(labels[start:])
        if domain in _DOMAINS:
            subdomain = ".".join(labels[:start])
            # People type "www." in front of any host: www.m.facebook.com, www.wa.me.
            return _DOMAINS[domain], domain, subdomain.removeprefix("www.")
    return None


def _looks_like_url(text: str) -> bool:
    if _SCHEME.match(text) or text.startswith("//"):
        return True
    head = re.split(r"[/?#]", text, maxsplit=1)[0].casefold()
    host = head.split(":")[0].rstrip(".")
    if _host_platform(host) is not None:
        return True
    if not _DOMAIN_LIKE.match(head):
        return False
    # "john.smith" is a Facebook or Instagram handle; "john.smith/about" or "www.site.pk" is a URL.
    return head.startswith("www.") or len(head) < len(text)


def _split_url(text: str, *, unwrap: bool = True) -> _Url:
    if text.startswith("//"):
        text = "https:" + text
    elif not _SCHEME.match(text):
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").rstrip(".")
    except ValueError as exc:
        raise HandleError("That web address could not be read.", "invalid_url") from exc
    if parts.scheme not in ("http", "https"):
        raise HandleError(
            f"Only web addresses (http or https) are accepted, not {parts.scheme}: links.",
            "unknown_platform",
        )
    if not host:
        raise HandleError("That web address has no host name.", "invalid_url")
    query = {
        key.casefold(): _clean(values[0])
        for key, values in parse_qs(parts.query, keep_blank_values=False).items()
    }
    found = _host_platform(host)
    platform, domain, subdomain = found if found else (None, host, "")
    url = _Url(platform, host, domain, subdomain, parts.path, query, parts.fragment)
    target = _redirect_target(url)
    if target is not None:
        if not unwrap:
            raise HandleError(
                "That redirect link wraps another redirect; paste the final address.",
                "not_an_account",
            )
        return _split_url(_defang(_clean(target)), unwrap=False)
    return url


def _redirect_target(url: _Url) -> str | None:
    """The address behind Facebook's and Instagram's outbound-link wrappers, which analysts copy."""
    wrapped = (url.platform == "facebook" and url.subdomain in ("l", "lm")) or (
        url.platform == "instagram" and url.subdomain == "l"
    )
    return url.query.get("u") if wrapped else None


def _defang(text: str) -> str:
    text = _DEFANG_SCHEME.sub(r"http\1", text)
    for token, replacement in _DEFANG_TOKENS:
        text = text.replace(token, replacement)
    return text


def _segments(path: str) -> list[str]:
    """Decoded, cleaned, non-empty path segments; %2F inside a segment stays inside it."""
    segments = []
    for raw in path.split("/"):
        if not raw:
            continue
        try:
            segment = unquote(raw, errors="strict")
        except UnicodeDecodeError as exc:
            raise HandleError(
                "That web address has broken %-encoding; copy it again from the browser.",
                "invalid_url",
            ) from exc
        segment = _clean(segment)
        if segment:
            segments.append(segment)
    return segments


# ---------------------------------------------------------------------------------------------
# Errors shared by the platform parsers
# ---------------------------------------------------------------------------------------------


def _not_an_account(url: _Url, what: str = "") -> HandleError:
    shown = _shown(url.host + url.path.rstrip("/"))
    name = _platform_name(url.platform or "")
    if what:
        return HandleError(
            f"That is a link to {what}, not an account ({shown}). "
            f"Paste the profile address of the {name} account instead.",
            "not_an_account",
        )
    if not url.path.strip("/"):
        return HandleError(
            f"That is the {name} home page, not an account. Paste the account's profile address.",
            "not_an_account",
        )
    return HandleError(
        f"{shown} is not an account page on {name}. Paste the account's profile address instead.",
        "not_an_account",
    )


def _short_link(url: _Url) -> HandleError:
    return HandleError(
        f"{_shown(url.host + url.path.rstrip('/'))} is a short link that hides the account. "
        "Open it in a browser and paste the profile address it leads to.",
        "not_an_account",
    )


def _invalid(slug: str, text: str, rule: str) -> HandleError:
    return HandleError(
        f'"{_shown(text)}" is not a valid {_platform_name(slug)} handle. {rule}',
        "invalid_handle",
    )


def _strip_at(text: str) -> str:
    return text[1:].strip() if text.startswith("@") else text


def _is_wordlike(text: str, extra: str) -> bool:
    """Letters, marks and digits of any script, plus the given punctuation."""
    return all(ch in extra or unicodedata.category(ch)[0] in "LMN" for ch in text)


_DIGITS = re.compile(r"[0-9]{1,20}")


# ---------------------------------------------------------------------------------------------
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


def _x_handle(text: str) -> ParsedHandle:
    handle = _strip_at(text)
    if not _X_HANDLE.fullmatch(handle):
        raise _invalid("x", handle, _X_RULE)
    normalized = normalize_handle(handle)
    return ParsedHandle("x", handle, normalized, "", f"https://x.com/{normalized}")


def _x_user_id(text: str) -> ParsedHandle:
    if not _DIGITS.fullmatch(text):
        raise HandleError(f'"{_shown(text)}" is not an X user id: ids are digits.')
    return ParsedHandle("x", text, text, text, f"https://x.com/i/user/{text}")


def _parse_x_url(url: _Url) -> ParsedHandle:
    if url.domain == "t.co":
        raise _short_link(url)
    if url.subdomain not in _PROFILE_SUBDOMAINS:
        raise _not_an_account(url)
    segments = _segments(url.path)
    if not segments and url.fragment.startswith("!/"):
        # Old "twitter.com/#!/name" links still circulate in archived reports.
        segments = _segments(url.fragment[1:])
    if not segments:
        raise _not_an_account(url)
    first = segments[0].casefold()
    if first == "i" and len(segments) >= 3 and segments[1].casefold() == "user":
        return _x_user_id(segments[2])
    if first == "intent" and len(segments) >= 2 and segments[1].casefold() in ("user", "follow"):
        if url.query.get("screen_name"):
            return _x_handle(url.query["screen_name"])
        if url.query.get("user_id"):
            return _x_user_id(url.query["user_id"])
    if first in _X_RESERVED:
        raise _not_an_account(url)
    return _x_handle(segments[0])


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
    if not _DIGITS.fullmatch(text):
        raise HandleError(f'"{_shown(text)}" is not a Facebook profile id: ids are digits.')
    return ParsedHandle(
        "facebook", text, text, text, f"https://www.facebook.com/profile.php?id={text}"
    )


def _facebook_group(text: str) -> ParsedHandle:
    if _DIGITS.fullmatch(text):
        return ParsedHandle(
            "facebook", f"groups/{text}", f"groups/{text}", text,
            f"https://www.facebook.com/groups/{text}/",
        )  # fmt: skip
    if not text or len(text) > _FACEBOOK_MAX or not _is_wordlike(text, "._-"):
        raise HandleError(
            f'"{_shown(text)}" is not a valid Facebook group address. Group addresses are up to '
            f"{_FACEBOOK_MAX} characters: letters, digits, full stops, hyphens and underscores."
        )
    # Unlike usernames, group addresses are not documented as dot-insensitive, so dots stay.
    return ParsedHandle(
        "facebook", f"groups/{text}", f"groups/{normalize_handle(text)}", "",
        f"https://www.facebook.com/groups/{quote(text.lower(), safe='')}/",
    )  # fmt: skip


def _facebook_handle(text: str) -> ParsedHandle:
    handle = _strip_at(text)
    if handle.casefold().startswith("groups/"):
        return _facebook_group(handle[len("groups/") :].strip("/"))
    if _DIGITS.fullmatch(handle):
        # Usernames cannot be all digits, so a number is the profile's id.
        return _facebook_id(handle)
    name_and_id = _FACEBOOK_NAME_AND_ID.fullmatch(handle)
    if name_and_id:
        return _facebook_id(name_and_id.group(1))
    # Pages created before usernames were restricted carry Arabic, Urdu and other scripts.
    if len(handle) > _FACEBOOK_MAX or not _is_wordlike(handle, "."):
        raise _invalid("facebook", handle, _FACEBOOK_RULE)
    # Facebook treats john.smith and johnsmith as one username.
    normalized = normalize_handle(handle).replace(".", "")
    if not normalized:
        raise _invalid("facebook", handle, _FACEBOOK_RULE)
    profile_url = f"https://www.facebook.com/{quote(handle.lower(), safe='')}"
    return ParsedHandle("facebook", handle, normalized, "", profile_url)


def _parse_facebook_url(url: _Url) -> ParsedHandle:
    if url.domain in ("fb.me", "fb.watch"):
        raise _short_link(url)
    segments = _segments(url.path)
    if url.domain == "m.me":
        # Messenger links name the page they open a chat with.
        if not segments:
            raise _not_an_account(url)
        return _facebook_handle(segments[0])
    if url.subdomain not in _FACEBOOK_SUBDOMAINS and not _FACEBOOK_LOCALE_SUBDOMAIN.match(
        url.subdomain
    ):
        raise _not_an_account(url)
    if not segments:
        raise _not_an_account(url)
    first = segments[0].casefold()
    if first == "profile.php":
        if not url.query.get("id"):
            raise HandleError(
                "That profile.php address has no id=...; copy the full address from the browser.",
                "not_an_account",
            )
        return _facebook_id(url.query["id"])
    if first in ("people", "pages") and len(segments) >= 3 and _DIGITS.fullmatch(segments[2]):
        return _facebook_id(segments[2])
    if first == "p" and len(segments) >= 2:
        name_and_id = _FACEBOOK_NAME_AND_ID.fullmatch(segments[1])
        if name_and_id:
            return _facebook_id(name_and_id.group(1))
    if first == "groups" and len(segments) >= 2:
        if segments[1].casefold() in _FACEBOOK_GROUP_RESERVED:
            raise _not_an_account(url)
        return _facebook_group(segments[1])
    if first == "pg" and len(segments) >= 2:
        return _facebook_handle(segments[1])
    if first == "share":
        raise _short_link(url)
    if first in _FACEBOOK_POSTS:
        raise _not_an_account(url, _FACEBOOK_POSTS[first])
    if first in _FACEBOOK_RESERVED:
        raise _not_an_account(url)
    return _facebook_handle(segments[0])


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


def _instagram_handle(text: str) -> ParsedHandle:
    handle = _strip_at(text)
    if not _INSTAGRAM_HANDLE.fullmatch(handle):
        raise _invalid("instagram", handle, _INSTAGRAM_RULE)
    normalized = normalize_handle(handle)
    return ParsedHandle(
        "instagram", handle, normalized, "", f"https://www.instagram.com/{normalized}/"
    )


def _parse_instagram_url(url: _Url) -> ParsedHandle:
    if url.subdomain not in _PROFILE_SUBDOMAINS:
        raise _not_an_account(url)
    segments = _segments(url.path)
    if not segments:
        raise _not_an_account(url)
    first = segments[0].casefold()
    if first == "stories" and len(segments) >= 2 and segments[1].casefold() != "highlights":
        return _instagram_handle(segments[1])
    if first in _INSTAGRAM_POSTS:
        raise _not_an_account(url, _INSTAGRAM_POSTS[first])
    if first in _INSTAGRAM_RESERVED:
        raise _not_an_account(url)
    return _instagram_handle(segments[0])


# ---------------------------------------------------------------------------------------------
# Phone numbers (WhatsApp accounts, Telegram phone links)
# ---------------------------------------------------------------------------------------------

_PHONE_PUNCTUATION = dict.fromkeys(map(ord, " -.()/\u00a0"))
_E164_DIGITS = re.compile(r"[1-9][0-9]{6,14}")
_PHONE_RULE = "Numbers must be in international format with the country code, e.g. +923001234567."


def _phone_digits(text: str, slug: str) -> str:
    """Digits of an international number; accepts +, 00, spaces, dashes and non-Latin digits."""
    compact = text.translate(_PHONE_PUNCTUATION)
    # Urdu and Arabic keyboards type their own digits; NFKC leaves them alone.
    compact = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in compact)
    if compact.startswith("+"):
        compact = compact[1:]
    elif compact.startswith("00"):
        compact = compact[2:]
    elif compact.startswith("0") and compact.isdigit():
        raise HandleError(
            f'"{_shown(text)}" is a national number; {_platform_name(slug)} needs the country '
            "code, e.g. +92 for Pakistan: +923001234567.",
            "invalid_handle",
        )
    if not _E164_DIGITS.fullmatch(compact):
        raise HandleError(
            f'"{_shown(text)}" is not a valid {_platform_name(slug)} phone number. {_PHONE_RULE}',
            "invalid_handle",
        )
    return compact


# ---------------------------------------------------------------------------------------------
# WhatsApp
# ---------------------------------------------------------------------------------------------

_WHATSAPP_CODE = re.compile(r"[A-Za-z0-9]{10,40}")


def _whatsapp_number(text: str) -> ParsedHandle:
    digits = _phone_digits(text, "whatsapp")
    return ParsedHandle("whatsapp", f"+{digits}", f"+{digits}", "", f"https://wa.me/{digits}")


def _whatsapp_invite(code: str) -> ParsedHandle:
    if not _WHATSAPP_CODE.fullmatch(code):
        raise HandleError(
            f'"{_shown(code)}" is not a valid WhatsApp group invite code: codes are 10 to 40 '
            "letters and digits."
        )
    # Invite codes are case-sensitive in the URL, so the handle and the URL keep the case.
    return ParsedHandle(
        "whatsapp", code, normalize_handle(code), "", f"https://chat.whatsapp.com/{code}"
    )


def _whatsapp_channel(channel_id: str) -> ParsedHandle:
    if not _WHATSAPP_CODE.fullmatch(channel_id):
        raise HandleError(
            f'"{_shown(channel_id)}" is not a valid WhatsApp channel id: ids are 10 to 40 '
            "letters and digits."
        )
    return ParsedHandle(
        "whatsapp", channel_id, normalize_handle(channel_id), channel_id,
        f"https://whatsapp.com/channel/{channel_id}",
    )  # fmt: skip


def _whatsapp_handle(text: str) -> ParsedHandle:
    text = _strip_at(text)
    try:
        return _whatsapp_number(text)
    except HandleError as exc:
        if any(ch.isalpha() for ch in text):
            raise HandleError(
                f'"{_shown(text)}" is not a WhatsApp number. WhatsApp accounts are phone numbers '
                "with the country code, e.g. +923001234567; for a group or channel paste its "
                "chat.whatsapp.com or whatsapp.com/channel link.",
                "invalid_handle",
            ) from exc
        raise


def _parse_whatsapp_url(url: _Url) -> ParsedHandle:
    segments = _segments(url.path)
    first = segments[0].casefold() if segments else ""
    if url.domain == "wa.me":
        if not segments:
            raise _not_an_account(url)
        if first in ("message", "qr"):
            raise _short_link(url)
        if first == "c" and len(segments) >= 2:
            return _whatsapp_number(segments[1])  # a business catalogue: wa.me/c/<number>
        return _whatsapp_number(segments[0])
    if url.subdomain == "chat":
        if first == "invite" and len(segments) >= 2:
            return _whatsapp_invite(segments[1])
        if segments:
            return _whatsapp_invite(segments[0])
        raise _not_an_account(url)
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
    raise _not_an_account(url)


# ---------------------------------------------------------------------------------------------
# Telegram
# ---------------------------------------------------------------------------------------------

# Telegram's own minimum is 5, but 4-character collectible usernames are sold on Fragment.
_TELEGRAM_HANDLE = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")
_TELEGRAM_RULE = (
    "Telegram usernames are 4 to 32 characters: letters A-Z, digits and underscores, "
    "starting with a letter."
)
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
    if rest.translate(_PHONE_PUNCTUATION).isdecimal():
        digits = _phone_digits(f"+{rest}", "telegram")
        return ParsedHandle("telegram", f"+{digits}", f"+{digits}", "", f"https://t.me/+{digits}")
    if not _TELEGRAM_INVITE.fullmatch(rest):
        raise HandleError(f'"+{_shown(rest)}" is not a valid Telegram invite link code.')
    handle = f"+{rest}"
    return ParsedHandle("telegram", handle, normalize_handle(handle), "", f"https://t.me/{handle}")


def _telegram_handle(text: str) -> ParsedHandle:
    handle = _strip_at(text)
    if handle.startswith("+"):
        return _telegram_plus(handle[1:])
    if not _TELEGRAM_HANDLE.fullmatch(handle):
        raise _invalid("telegram", handle, _TELEGRAM_RULE)
    normalized = normalize_handle(handle)
    return ParsedHandle("telegram", handle, normalized, "", f"https://t.me/{normalized}")


def _parse_telegram_url(url: _Url) -> ParsedHandle:
    if url.subdomain not in ("", "www"):
        raise _not_an_account(url)
    segments = _segments(url.path)
    if not segments:
        raise _not_an_account(url)
    first = segments[0].casefold()
    if first == "s" and len(segments) >= 2:
        return _telegram_handle(segments[1])  # the public web preview of a channel
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
        raise _not_an_account(url)
    return _telegram_handle(segments[0])


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
            f'"{_shown(channel_id)}" is not a YouTube channel id: ids start with UC and are 24 '
            "characters long."
        )
    return ParsedHandle(
        "youtube", channel_id, normalize_handle(channel_id), channel_id,
        f"https://www.youtube.com/channel/{channel_id}",
    )  # fmt: skip


def _youtube_at_handle(handle: str) -> ParsedHandle:
    # YouTube handles may be written in many scripts, so this is not limited to ASCII.
    if not 3 <= len(handle) <= 30 or not _is_wordlike(handle, "._-\u00b7"):
        raise _invalid("youtube", handle, _YOUTUBE_RULE)
    normalized = normalize_handle(handle)
    return ParsedHandle(
        "youtube", handle, normalized, "",
        f"https://www.youtube.com/@{quote(handle.lower(), safe='')}",
    )  # fmt: skip


def _youtube_legacy(prefix: str, name: str) -> ParsedHandle:
    """youtube.com/c/<name>, /user/<name> or /<name>: pre-2022 custom URLs, kept as they resolve."""
    if len(name) > _YOUTUBE_LEGACY_MAX or not _is_wordlike(name, "._-"):
        raise HandleError(f'"{_shown(name)}" is not a valid YouTube channel name.')
    # YouTube reserved each custom URL as the owner's @handle, so both share one match key.
    return ParsedHandle(
        "youtube", name, normalize_handle(name), "",
        f"https://www.youtube.com/{prefix}{quote(name, safe='')}",
    )  # fmt: skip


def _youtube_handle(text: str) -> ParsedHandle:
    if text.startswith("@"):
        return _youtube_at_handle(text[1:].strip())
    if _YOUTUBE_CHANNEL_ID.fullmatch(text):
        return _youtube_channel(text)
    return _youtube_at_handle(text)


def _parse_youtube_url(url: _Url) -> ParsedHandle:
    if url.domain == "youtu.be":
        raise _not_an_account(url, "a YouTube video")
    if url.subdomain not in _YOUTUBE_SUBDOMAINS:
        raise _not_an_account(url)
    segments = _segments(url.path)
    if not segments:
        raise _not_an_account(url)
    if segments[0].startswith("@"):
        return _youtube_at_handle(segments[0][1:])
    first = segments[0].casefold()
    if first == "channel" and len(segments) >= 2:
        return _youtube_channel(segments[1])
    if first in ("c", "user") and len(segments) >= 2:
        return _youtube_legacy(f"{first}/", segments[1])
    if first in _YOUTUBE_VIDEOS:
        raise _not_an_account(url, _YOUTUBE_VIDEOS[first])
    if first in _YOUTUBE_RESERVED:
        raise _not_an_account(url)
    return _youtube_legacy("", segments[0])


# ---------------------------------------------------------------------------------------------
# TikTok
# ---------------------------------------------------------------------------------------------

_TIKTOK_HANDLE = re.compile(r"[A-Za-z0-9_.]{1,24}")
_TIKTOK_RULE = (
    "TikTok usernames are up to 24 characters: letters A-Z, digits, underscores and full stops."
)


def _tiktok_handle(text: str) -> ParsedHandle:
    handle = _strip_at(text)
    if not _TIKTOK_HANDLE.fullmatch(handle):
        raise _invalid("tiktok", handle, _TIKTOK_RULE)
    normalized = normalize_handle(handle)
    return ParsedHandle("tiktok", handle, normalized, "", f"https://www.tiktok.com/@{normalized}")


def _parse_tiktok_url(url: _Url) -> ParsedHandle:
    if url.subdomain in ("vm", "vt"):
        raise _short_link(url)
    if url.subdomain not in _PROFILE_SUBDOMAINS:
        raise _not_an_account(url)
    segments = _segments(url.path)
    if segments and segments[0].startswith("@"):
        return _tiktok_handle(segments[0])
    if segments and segments[0].casefold() == "t":
        raise _short_link(url)
    raise _not_an_account(url)


# ---------------------------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------------------------

_URL_PARSERS = {
    "x": _parse_x_url,
    "facebook": _parse_facebook_url,
    "instagram": _parse_instagram_url,
    "whatsapp": _parse_whatsapp_url,
    "telegram": _parse_telegram_url,
    "youtube": _parse_youtube_url,
    "tiktok": _parse_tiktok_url,
}

_HANDLE_PARSERS = {
    "x": _x_handle,
    "facebook": _facebook_handle,
    "instagram": _instagram_handle,
    "whatsapp": _whatsapp_handle,
    "telegram": _telegram_handle,
    "youtube": _youtube_handle,
    "tiktok": _tiktok_handle,
}


def _prepare(value: object) -> str:
    if value is None:
        value = ""
    elif isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # spreadsheet cells hold phone numbers as integers
    elif not isinstance(value, str):
        raise TypeError(f"expected a handle or URL as str, got {type(value).__name__}")
    if len(value) > MAX_INPUT_LENGTH:
        raise HandleError(
            f"That is {len(value):,} characters long; a handle or profile address is at most "
            f"{MAX_INPUT_LENGTH:,}.",
            "too_long",
        )
    text = _defang(_clean(value))
    if not text:
        raise HandleError("Enter a handle or a profile address.", "empty")
    return text


def _slug(platform: str | None) -> str | None:
    if platform is None:
        return None
    slug = platform.strip().casefold()
    return _SLUG_ALIASES.get(slug, slug) or None


def detect_platform(value: str) -> str | None:
    """Platform slug of a profile URL; None for a bare handle, an unknown host or bad input."""
    try:
        text = _prepare(value)
        if not _looks_like_url(text):
            return None
        return _split_url(text).platform
    except (HandleError, TypeError):
        return None


def parse_handle(value: str, platform: str | None = None) -> ParsedHandle:
    """Parse a bare handle (needs `platform`) or a profile URL into a ParsedHandle.

    Raises HandleError with a user-facing .message and a .code when the input is not an account.
    """
    text = _prepare(value)
    slug = _slug(platform)
    if _looks_like_url(text):
        url = _split_url(text)
        if url.platform is None:
            names = list(PLATFORM_NAMES.values())
            known = ", ".join(names[:-1]) + " or " + names[-1]
            target = f"{_with_article(slug)} address" if slug else f"an address on {known}"
            raise HandleError(
                f"{_shown(url.host)} is not {target}. Paste the account's profile address or its "
                "handle.",
                "unknown_platform",
            )
        if slug is not None and slug != url.platform:
            raise HandleError(
                f"That URL is {_with_article(url.platform)} address, not {_platform_name(slug)}.",
                "wrong_platform",
            )
        return _URL_PARSERS[url.platform](url)
    handle = _strip_at(text)
    if not handle:
        raise HandleError("Enter a handle or a profile address.", "empty")
    if slug is None:
        raise HandleError(
            f'Choose the platform for "{_shown(text)}", or paste the full profile address.',
            "platform_required",
        )
    parser = _HANDLE_PARSERS.get(slug)
    if parser is None:
        return _generic_handle(slug, handle)
    if _WHITESPACE.search(handle) and slug not in ("whatsapp", "telegram"):
        # Phone numbers are typed with spaces; nothing else that is a handle has one.
        raise HandleError(
            f'"{_shown(handle)}" has a space in it, so it cannot be {_with_article(slug)} '
            "handle. Enter the handle (the part after the @), not the display name.",
            "invalid_handle",
        )
    # Parsers get the '@' too: on YouTube it tells a handle from a channel id.
    return parser(text)


def _generic_handle(slug: str, handle: str) -> ParsedHandle:
    """Platforms added by an admin have no built-in rules: keep the handle, match case-blind."""
    if _WHITESPACE.search(handle) or "/" in handle or len(handle) > MAX_GENERIC_HANDLE_LENGTH:
        raise HandleError(
            f'"{_shown(handle)}" is not a valid handle: handles have no spaces or slashes and are '
            f"at most {MAX_GENERIC_HANDLE_LENGTH} characters.",
            "invalid_handle",
        )
    return ParsedHandle(slug, handle, normalize_handle(handle), "", "")
