"""Outbound HTTP pinned to the address that was checked (webhooks, platform adapters, list
downloads).

A plain `requests` call resolves the host name again when it connects, so a name that answers
a public address to a check and 127.0.0.1 to the connection (DNS rebinding) reaches into the
server's own network. Here each hop resolves the name once, refuses it if any of its addresses
is not public (private, loopback, link-local, multicast, reserved, unspecified, shared, IPv4
mapped into IPv6 ...), then connects to exactly that address: the URL keeps its host name, so
the `Host` header, TLS SNI and the certificate check all use the real name. Redirects are
followed here, one checked hop at a time, up to a limit; proxies from the environment are
ignored (they would resolve the name themselves).

`OUTBOUND_ALLOW_PRIVATE` (development and tests only) lets every address through;
`OUTBOUND_ALLOWED_NETWORKS` lists networks allowed in production too (an internal gateway).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter

REDIRECT_CODES = (301, 302, 303, 307, 308)
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class OutboundRefused(requests.RequestException):
    """The URL may not be called: wrong scheme, a non-public address, too many redirects."""


@dataclass(frozen=True)
class PinnedTarget:
    """One hop: the URL as written and the single checked address it connects to."""

    url: str
    host: str
    address: IPAddress


NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(address: IPAddress) -> IPAddress:
    # ::ffff:127.0.0.1, a NAT64 64:ff9b::7f00:1 or a 6to4 2002:7f00:1:: reach the IPv4 inside.
    if address.version == 4:
        return address
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour or address


def _allowed(address: IPAddress) -> bool:
    address = _embedded_ipv4(address)
    if settings.OUTBOUND_ALLOW_PRIVATE:
        return True
    if any(address in ipaddress.ip_network(net) for net in settings.OUTBOUND_ALLOWED_NETWORKS):
        return True
    return address.is_global and not address.is_multicast


def resolve_checked(url: str) -> PinnedTarget:
    """Resolve the URL's host once and check every address; OutboundRefused when not allowed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OutboundRefused(_("Only http and https URLs can be called: %(url)s") % {"url": url})
    host = parts.hostname
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise requests.ConnectionError(f"{host} cannot be resolved: {exc}") from exc
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
    if not addresses:
        raise requests.ConnectionError(f"{host} has no address")
    for address in addresses:
        if not _allowed(address):
            raise OutboundRefused(
                _("%(host)s resolves to the non-public address %(address)s.")
                % {"host": host, "address": address}
            )
    return PinnedTarget(url=url, host=host, address=addresses[0])


class PinnedAdapter(HTTPAdapter):
    """Connects to the checked address while the request, SNI and certificate use the name."""

    def __init__(self, target: PinnedTarget, **kwargs):
        self.target = target
        super().__init__(**kwargs)

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert
        )
        if host_params["host"].lower().strip("[]") != self.target.host.lower().strip("[]"):
            raise OutboundRefused(f"{request.url} is not the checked host {self.target.host}")
        host_params["host"] = str(self.target.address)
        if host_params["scheme"] == "https":
            pool_kwargs["server_hostname"] = self.target.host
            pool_kwargs["assert_hostname"] = self.target.host
        return host_params, pool_kwargs

    def add_headers(self, request, **kwargs):
        # http.client would name the IP in Host; the server expects the name it was given.
        parts = urlsplit(request.url)
        request.headers.setdefault("Host", parts.netloc.rpartition("@")[2])


def _send_pinned(method: str, url: str, *, retries, **kwargs) -> requests.Response:
    target = resolve_checked(url)
    session = requests.Session()
    session.trust_env = False  # an environment proxy would resolve the name again
    adapter = PinnedAdapter(target, max_retries=retries if retries is not None else 0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session.request(method, url, allow_redirects=False, **kwargs)


def outbound_request(
    method: str,
    url: str,
    *,
    max_redirects: int | None = None,
    retries=None,
    **kwargs,
) -> requests.Response:
    """Send one request to a checked, pinned address, following redirects one checked hop at
    a time (at most `max_redirects`, OUTBOUND_MAX_REDIRECTS by default; 0 returns the
    redirect itself). Raises OutboundRefused or another requests.RequestException."""
    limit = settings.OUTBOUND_MAX_REDIRECTS if max_redirects is None else max_redirects
    for hop in range(limit + 1):
        response = _send_pinned(method, url, retries=retries, **kwargs)
        location = response.headers.get("Location")
        if response.status_code not in REDIRECT_CODES or not location or limit == 0:
            return response
        response.close()
        if hop == limit:
            break
        new_url = urljoin(url, location)
        if urlsplit(new_url).netloc != urlsplit(url).netloc and kwargs.get("headers"):
            # A credential meant for one host is not handed to the next.
            kwargs["headers"] = {
                k: v for k, v in kwargs["headers"].items() if k.lower() != "authorization"
            }
        url = new_url
        if response.status_code == 303 or (
            response.status_code in (301, 302) and method.upper() == "POST"
        ):
            method = "GET"
            kwargs.pop("data", None)
            kwargs.pop("json", None)
    raise OutboundRefused(_("More than %(count)d redirects.") % {"count": limit})
