"""The registry of platform parsers and the two entry points every door calls: `parse_handle`
and `detect_platform`. Pure standard library: no Django import."""

from .base import (
    MAX_GENERIC_HANDLE_LENGTH,
    MAX_INPUT_LENGTH,
    PLATFORM_NAMES,
    SLUG_ALIASES,
    WHITESPACE,
    HandleError,
    ParsedHandle,
    clean_text,
    echo,
    looks_like_url,
    normalize_handle,
    platform_name,
    refang,
    split_url,
    strip_at,
    with_article,
)
from .meta import (
    facebook_handle,
    instagram_handle,
    parse_facebook_url,
    parse_instagram_url,
    parse_whatsapp_url,
    whatsapp_handle,
)
from .telegram import parse_telegram_url, telegram_handle
from .tiktok import parse_tiktok_url, tiktok_handle
from .x import parse_x_url, x_handle
from .youtube import parse_youtube_url, youtube_handle

# ---------------------------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------------------------

_URL_PARSERS = {
    "x": parse_x_url,
    "facebook": parse_facebook_url,
    "instagram": parse_instagram_url,
    "whatsapp": parse_whatsapp_url,
    "telegram": parse_telegram_url,
    "youtube": parse_youtube_url,
    "tiktok": parse_tiktok_url,
}

_HANDLE_PARSERS = {
    "x": x_handle,
    "facebook": facebook_handle,
    "instagram": instagram_handle,
    "whatsapp": whatsapp_handle,
    "telegram": telegram_handle,
    "youtube": youtube_handle,
    "tiktok": tiktok_handle,
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
    text = refang(clean_text(value))
    if not text:
        raise HandleError("Enter a handle or a profile address.", "empty")
    return text


def _slug(platform: str | None) -> str | None:
    if platform is None:
        return None
    slug = platform.strip().casefold()
    return SLUG_ALIASES.get(slug, slug) or None


def detect_platform(value: str) -> str | None:
    """Platform slug of a profile URL; None for a bare handle, an unknown host or bad input."""
    try:
        text = _prepare(value)
        if not looks_like_url(text):
            return None
        return split_url(text).platform
    except (HandleError, TypeError):
        return None


def parse_handle(value: str, platform: str | None = None) -> ParsedHandle:
    """Parse a bare handle (needs `platform`) or a profile URL into a ParsedHandle.

    Raises HandleError with a user-facing .message and a .code when the input is not an account.
    """
    text = _prepare(value)
    slug = _slug(platform)
    if looks_like_url(text):
        url = split_url(text)
        if url.platform is None:
            names = list(PLATFORM_NAMES.values())
            known = ", ".join(names[:-1]) + " or " + names[-1]
            target = f"{with_article(slug)} address" if slug else f"an address on {known}"
            raise HandleError(
                f"{echo(url.host)} is not {target}. Paste the account's profile address or its "
                "handle.",
                "unknown_platform",
            )
        if slug is not None and slug != url.platform:
            raise HandleError(
                f"That URL is {with_article(url.platform)} address, not {platform_name(slug)}.",
                "wrong_platform",
            )
        return _URL_PARSERS[url.platform](url)
    handle = strip_at(text)
    if not handle:
        raise HandleError("Enter a handle or a profile address.", "empty")
    if slug is None:
        raise HandleError(
            f'Choose the platform for "{echo(text)}", or paste the full profile address.',
            "platform_required",
        )
    parser = _HANDLE_PARSERS.get(slug)
    if parser is None:
        return _generic_handle(slug, handle)
    if WHITESPACE.search(handle) and slug not in ("whatsapp", "telegram"):
        # Phone numbers are typed with spaces; nothing else that is a handle has one.
        raise HandleError(
            f'"{echo(handle)}" has a space in it, so it cannot be {with_article(slug)} '
            "handle. Enter the handle (the part after the @), not the display name.",
            "invalid_handle",
        )
    # Parsers get the '@' too: on YouTube it tells a handle from a channel id.
    return parser(text)


def _generic_handle(slug: str, handle: str) -> ParsedHandle:
    """Platforms added by an admin have no built-in rules: keep the handle, match case-blind."""
    if WHITESPACE.search(handle) or "/" in handle or len(handle) > MAX_GENERIC_HANDLE_LENGTH:
        raise HandleError(
            f'"{echo(handle)}" is not a valid handle: handles have no spaces or slashes and are '
            f"at most {MAX_GENERIC_HANDLE_LENGTH} characters.",
            "invalid_handle",
        )
    return ParsedHandle(slug, handle, normalize_handle(handle), "", "")
