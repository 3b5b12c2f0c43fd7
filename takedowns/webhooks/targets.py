"""Which addresses a webhook may call: http(s) only, and public addresses only unless
WEBHOOK_ALLOW_PRIVATE_TARGETS (a subscription must not reach into the server's network)."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


def refused_target(url: str) -> str:
    """Why the URL may not be called (non-public address), or "" when it may."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _("Only http and https URLs can receive webhooks.")
    if settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        return ""
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError:
        return ""  # a DNS failure is transient: the attempt fails and is retried
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            return _("%(host)s resolves to the non-public address %(address)s.") % {
                "host": parts.hostname,
                "address": address,
            }
    return ""
