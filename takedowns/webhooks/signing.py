"""The X-Tracker-Signature header: HMAC-SHA256(secret, "<t>." + raw body), and its check."""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Tracker-Signature"


def _mac(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def webhook_signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The X-Tracker-Signature value: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>."""
    return f"t={timestamp},v1={_mac(secret, timestamp, body)}"


def webhook_signature_verify(
    *, secret: str, header: str, body: bytes, tolerance: int = 300, now: float | None = None
) -> bool:
    """True when the header signs this body with this secret within `tolerance` seconds."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(_mac(secret, timestamp, body), parts.get("v1", ""))
