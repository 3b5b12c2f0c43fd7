"""Contact points in a bio or profile address, as typed normalised values that compare exactly.

`tg:name` (a Telegram channel: t.me, telegram.me, telegram.dog links or an @mention),
`tg:+code` (a Telegram invite), `tel:+923331234567` (E.164 by `phonenumbers`, Pakistan by
default: "+92 333 1234567", "wa.me/923331234567" and "0333-1234567" are one), `email:a@b.org`
and `url:host/path` for any other link (no scheme, no "www.", no tracking parameters, no
trailing slash; a bare host is a site's home page, such as a link shortener's).
"""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import phonenumbers
from django.conf import settings

_URL = re.compile(
    r"(?:https?://)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?::\d{2,5})?"
    r"(?:/[^\s<>\"'()\[\]{}]*)?",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,24}", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@./])@([a-z][a-z0-9_]{3,31})\b", re.IGNORECASE)
_TELEGRAM_HOSTS = frozenset({"t.me", "telegram.me", "telegram.dog"})
_WHATSAPP_HOSTS = frozenset({"wa.me", "api.whatsapp.com", "whatsapp.com"})
_TELEGRAM_NAME = re.compile(r"[a-z][a-z0-9_]{3,31}")
_TELEGRAM_NOT_CHANNELS = frozenset({"joinchat", "share", "addstickers", "proxy", "socks", "s", "c"})
_TRACKING = re.compile(r"^(?:utm_.*|fbclid|gclid|igshid|igsh|si|ref|ref_src|feature|s|t|mc_.*)$")
_STRIPPED_SUBDOMAINS = ("www.", "m.", "mobile.")
_TRAILING_PUNCTUATION = ".,;:!?\u00bb\u201d\u2019"


def _phone(text: str, region: str) -> str | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _telegram(path: str) -> str | None:
    segments = [s for s in path.split("/") if s]
    if not segments:
        return None
    first = segments[0]
    if first.startswith("+") and len(first) > 5:
        return f"tg:{first}"
    if first == "joinchat" and len(segments) > 1:
        return f"tg:+{segments[1]}"
    if first == "s" and len(segments) > 1:
        first = segments[1]
    name = first.casefold()
    if name in _TELEGRAM_NOT_CHANNELS or not _TELEGRAM_NAME.fullmatch(name):
        return None
    return f"tg:{name}"


def normalize_link(raw: str, *, region: str | None = None) -> str | None:
    """One link as a typed value: tg:, tel: (WhatsApp click-to-chat) or url:; None if not one."""
    raw = raw.strip().rstrip(_TRAILING_PUNCTUATION)
    if not re.match(r"^[a-z][a-z0-9+.-]*://", raw, re.IGNORECASE):
        raw = "https://" + raw
    try:
        parts = urlsplit(raw)
        host = (parts.hostname or "").casefold().rstrip(".")
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    for prefix in _STRIPPED_SUBDOMAINS:
        if host.startswith(prefix):
            host = host[len(prefix) :]
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    query = [(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k.casefold())]
    if host in _TELEGRAM_HOSTS:
        return _telegram(path)
    if host in _WHATSAPP_HOSTS:
        digits = path.strip("/") if host == "wa.me" else dict(query).get("phone", "")
        if digits.isdigit():
            return _phone("+" + digits, region or settings.MIRROR_PHONE_REGION)
    value = host + path
    if query:
        value += "?" + urlencode(sorted(query))
    return "url:" + value[:250]


def extract_contacts(bio: str = "", profile_url: str = "", *, region: str | None = None):
    """The sorted, distinct contact points in a bio and a profile address."""
    region = region or settings.MIRROR_PHONE_REGION
    text = bio or ""
    found: set[str] = set()
    for match in _EMAIL.finditer(text):
        found.add("email:" + match.group(0).casefold())
    text = _EMAIL.sub(" ", text)
    for raw in [*_URL.findall(text), *([profile_url] if profile_url else [])]:
        value = normalize_link(raw, region=region)
        if value:
            found.add(value)
    rest = _URL.sub(" ", text)
    for match in _MENTION.finditer(rest):
        found.add(f"tg:{match.group(1).casefold()}")
    for match in phonenumbers.PhoneNumberMatcher(rest, region):
        found.add(
            "tel:" + phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        )
    return sorted(found)


def contact_kind(value: str) -> str:
    """The type of a contact point: "tg", "tel", "email" or "url"."""
    return value.split(":", 1)[0]


def contact_spans(text: str, *, region: str | None = None) -> list[tuple[int, int, str]]:
    """(start, end, normalised value) of each contact point written in a text, for marking the
    shared ones on the review page; the same rules as extract_contacts, offsets kept."""
    region = region or settings.MIRROR_PHONE_REGION
    text = text or ""
    spans = []
    for match in _EMAIL.finditer(text):
        spans.append((match.start(), match.end(), "email:" + match.group(0).casefold()))
    # Blank out what was read, keeping the offsets, as extract_contacts does by substitution.
    rest = _EMAIL.sub(lambda m: " " * len(m.group(0)), text)
    for match in _URL.finditer(rest):
        value = normalize_link(match.group(0), region=region)
        if value:
            spans.append((match.start(), match.end(), value))
    rest = _URL.sub(lambda m: " " * len(m.group(0)), rest)
    for match in _MENTION.finditer(rest):
        spans.append((match.start(), match.end(), f"tg:{match.group(1).casefold()}"))
    for match in phonenumbers.PhoneNumberMatcher(rest, region):
        number = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        spans.append((match.start, match.end, "tel:" + number))
    return sorted(spans)
