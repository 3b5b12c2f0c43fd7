"""The pieces every platform's parser shares: the parsed handle and its error, the clean-up of
pasted text, hosts and URLs, phone numbers. Pure standard library: no Django import."""

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

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
SLUG_ALIASES = {
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
WHITESPACE = re.compile(r"\s")


def clean_text(text: str) -> str:
    return unicodedata.normalize("NFKC", text.translate(_INVISIBLE)).strip()


def echo(text: str) -> str:
    """The user's input as quoted back in an error message, cut short if long."""
    return text if len(text) <= 60 else text[:57] + "..."


def platform_name(slug: str) -> str:
    return PLATFORM_NAMES.get(slug, slug)


def with_article(slug: str) -> str:
    name = platform_name(slug)
    # Articles follow the sound: "an X address", "an Instagram address", "a YouTube address".
    article = "an" if slug == "x" or name[:1].lower() in "aeio" else "a"
    return f"{article} {name}"


def normalize_handle(handle: str) -> str:
    """Platform-independent match key: NFKC, case-folded, trimmed, one leading '@' removed."""
    text = clean_text(handle)
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
PROFILE_SUBDOMAINS = frozenset({"", "www", "m", "mobile"})
FACEBOOK_SUBDOMAINS = PROFILE_SUBDOMAINS | {"mbasic", "web", "touch", "free", "d"}
FACEBOOK_LOCALE_SUBDOMAIN = re.compile(r"^[a-z]{2}-[a-z]{2}$")  # ar-ar.facebook.com
YOUTUBE_SUBDOMAINS = PROFILE_SUBDOMAINS | {"music"}


@dataclass(frozen=True)
class Url:
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


def looks_like_url(text: str) -> bool:
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


def split_url(text: str, *, unwrap: bool = True) -> Url:
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
        key.casefold(): clean_text(values[0])
        for key, values in parse_qs(parts.query, keep_blank_values=False).items()
    }
    found = _host_platform(host)
    platform, domain, subdomain = found if found else (None, host, "")
    url = Url(platform, host, domain, subdomain, parts.path, query, parts.fragment)
    target = _redirect_target(url)
    if target is not None:
        if not unwrap:
            raise HandleError(
                "That redirect link wraps another redirect; paste the final address.",
                "not_an_account",
            )
        return split_url(refang(clean_text(target)), unwrap=False)
    return url


def _redirect_target(url: Url) -> str | None:
    """The address behind Facebook's and Instagram's outbound-link wrappers, which analysts copy."""
    wrapped = (url.platform == "facebook" and url.subdomain in ("l", "lm")) or (
        url.platform == "instagram" and url.subdomain == "l"
    )
    return url.query.get("u") if wrapped else None


def refang(text: str) -> str:
    text = _DEFANG_SCHEME.sub(r"http\1", text)
    for token, replacement in _DEFANG_TOKENS:
        text = text.replace(token, replacement)
    return text


def path_segments(path: str) -> list[str]:
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
        segment = clean_text(segment)
        if segment:
            segments.append(segment)
    return segments


# ---------------------------------------------------------------------------------------------
# Errors shared by the platform parsers
# ---------------------------------------------------------------------------------------------


def not_an_account_error(url: Url, what: str = "") -> HandleError:
    shown = echo(url.host + url.path.rstrip("/"))
    name = platform_name(url.platform or "")
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


def short_link(url: Url) -> HandleError:
    return HandleError(
        f"{echo(url.host + url.path.rstrip('/'))} is a short link that hides the account. "
        "Open it in a browser and paste the profile address it leads to.",
        "not_an_account",
    )


def invalid_handle_error(slug: str, text: str, rule: str) -> HandleError:
    return HandleError(
        f'"{echo(text)}" is not a valid {platform_name(slug)} handle. {rule}',
        "invalid_handle",
    )


def strip_at(text: str) -> str:
    return text[1:].strip() if text.startswith("@") else text


def profile_segments(
    url: Url, subdomains: frozenset[str] = PROFILE_SUBDOMAINS, *, path: str | None = None
) -> list[str]:
    """The path segments (of `path`, the URL's own by default) of a page on one of the
    platform's profile `subdomains`; an empty path or another subdomain is no account."""
    if url.subdomain not in subdomains:
        raise not_an_account_error(url)
    segments = path_segments(url.path if path is None else path)
    if not segments:
        raise not_an_account_error(url)
    return segments


def pattern_handle(
    slug: str, text: str, pattern: re.Pattern, rule: str, profile: str
) -> ParsedHandle:
    """A handle that must match the platform's `pattern` (one leading '@' dropped), with its
    profile URL from `profile`, a format of {normalized}."""
    handle = strip_at(text)
    if not pattern.fullmatch(handle):
        raise invalid_handle_error(slug, handle, rule)
    normalized = normalize_handle(handle)
    return ParsedHandle(slug, handle, normalized, "", profile.format(normalized=normalized))


def is_wordlike(text: str, extra: str) -> bool:
    """Letters, marks and digits of any script, plus the given punctuation."""
    return all(ch in extra or unicodedata.category(ch)[0] in "LMN" for ch in text)


DIGITS = re.compile(r"[0-9]{1,20}")


# ---------------------------------------------------------------------------------------------
# ---------------------------------------------------------------------------------------------
# Phone numbers (WhatsApp accounts, Telegram phone links)
# ---------------------------------------------------------------------------------------------

PHONE_PUNCTUATION = dict.fromkeys(map(ord, " -.()/\u00a0"))
_E164_DIGITS = re.compile(r"[1-9][0-9]{6,14}")
_PHONE_RULE = "Numbers must be in international format with the country code, e.g. +923001234567."


def phone_digits(text: str, slug: str) -> str:
    """Digits of an international number; accepts +, 00, spaces, dashes and non-Latin digits."""
    compact = text.translate(PHONE_PUNCTUATION)
    # Urdu and Arabic keyboards type their own digits; NFKC leaves them alone.
    compact = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in compact)
    if compact.startswith("+"):
        compact = compact[1:]
    elif compact.startswith("00"):
        compact = compact[2:]
    elif compact.startswith("0") and compact.isdigit():
        raise HandleError(
            f'"{echo(text)}" is a national number; {platform_name(slug)} needs the country '
            "code, e.g. +92 for Pakistan: +923001234567.",
            "invalid_handle",
        )
    if not _E164_DIGITS.fullmatch(compact):
        raise HandleError(
            f'"{echo(text)}" is not a valid {platform_name(slug)} phone number. {_PHONE_RULE}',
            "invalid_handle",
        )
    return compact
