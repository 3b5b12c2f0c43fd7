"""Outbound requests pinned to the checked address (core/outbound.py): DNS rebinding, every
non-public range, redirects re-checked, Host and TLS names kept. Local servers only."""

import re
import socket
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
import urllib3.util.connection

from core.outbound import OutboundRefused, PinnedAdapter, outbound_request, resolve_checked

PUBLIC_V4 = "93.184.215.14"


@pytest.fixture
def dns(monkeypatch):
    """dns({"name": [first answer, second answer, ...]}): the last answer repeats; other names
    resolve for real. Returns the count of lookups per faked name."""
    real = socket.getaddrinfo
    lookups = Counter()

    def install(answers):
        def getaddrinfo(host, port, *args, **kwargs):
            if host not in answers:
                return real(host, port, *args, **kwargs)
            lookups[host] += 1
            address = answers[host][min(lookups[host], len(answers[host])) - 1]
            if ":" in address:
                return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))]
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        return lookups

    return install


@pytest.fixture
def connections(monkeypatch):
    """Every address a connection is opened to; none is really opened (no network in tests)."""
    opened = []

    def create_connection(address, *args, **kwargs):
        opened.append(address)
        raise ConnectionRefusedError("recorded, not connected")

    monkeypatch.setattr(urllib3.util.connection, "create_connection", create_connection)
    return opened


@pytest.fixture
def production(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    return settings


class Site:
    """A local server: `routes` maps a path to (status, headers); requests are recorded."""

    def __init__(self, routes):
        self.seen = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site.seen.append((self.path, self.headers.get("Host")))
                status, headers = routes.get(self.path, (404, {}))
                body = b"ok:" + self.path.encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value.format(port=site.port))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_port
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def site():
    sites = []

    def start(routes):
        sites.append(Site(routes))
        return sites[-1]

    yield start
    for one in sites:
        one.close()


def test_a_rebinding_name_is_connected_to_at_the_address_that_was_checked(
    production, dns, connections
):
    lookups = dns({"rebind.example": [PUBLIC_V4, "127.0.0.1"]})

    with pytest.raises(requests.ConnectionError):
        outbound_request("GET", "http://rebind.example/hook", timeout=2)

    assert lookups["rebind.example"] == 1
    assert [address[0] for address in connections] == [PUBLIC_V4]


def test_a_rebinding_name_that_answers_private_first_is_refused_without_connecting(
    production, dns, connections
):
    dns({"rebind.example": ["127.0.0.1", PUBLIC_V4]})

    with pytest.raises(OutboundRefused, match=re.escape("non-public address 127.0.0.1")):
        outbound_request("GET", "http://rebind.example/hook", timeout=2)
    assert connections == []


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.251",
        "240.0.0.1",
        "255.255.255.255",
        "192.0.2.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "64:ff9b::7f00:1",
        "2002:a00:1::1",
    ],
)
def test_every_non_public_range_is_refused(production, dns, address):
    dns({"target.example": [address]})

    with pytest.raises(OutboundRefused):
        resolve_checked("https://target.example/")


@pytest.mark.parametrize("address", [PUBLIC_V4, "2606:4700:4700::1111", "::ffff:93.184.215.14"])
def test_public_addresses_pass_and_the_first_is_pinned(production, dns, address):
    dns({"target.example": [address]})

    target = resolve_checked("https://target.example/path")

    assert (target.host, str(target.address)) == ("target.example", address)


def test_a_name_with_one_private_address_among_public_ones_is_refused(production, monkeypatch):
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *a, **k: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC_V4, port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
        ],
    )

    with pytest.raises(OutboundRefused, match=re.escape("10.0.0.7")):
        resolve_checked("http://mixed.example/")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "http:///nohost"])
def test_other_schemes_are_refused(production, url):
    with pytest.raises(OutboundRefused):
        outbound_request("GET", url)


def test_tls_keeps_the_host_name_for_sni_and_the_certificate(production, dns):
    dns({"platform.example": [PUBLIC_V4]})
    adapter = PinnedAdapter(resolve_checked("https://platform.example/api"))
    request = requests.Request("GET", "https://platform.example/api").prepare()

    host_params, pool_kwargs = adapter.build_connection_pool_key_attributes(request, True)

    assert host_params["host"] == PUBLIC_V4
    assert pool_kwargs["server_hostname"] == "platform.example"
    assert pool_kwargs["assert_hostname"] == "platform.example"
    assert pool_kwargs["cert_reqs"] == "CERT_REQUIRED"


def test_a_public_name_reaches_a_local_server_when_private_addresses_are_allowed(
    settings, dns, site
):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    server = site({"/list.xml": (200, {})})
    lookups = dns({"lists.example": ["127.0.0.1"]})

    response = outbound_request("GET", f"http://lists.example:{server.port}/list.xml", timeout=5)

    assert (response.status_code, response.content) == (200, b"ok:/list.xml")
    assert server.seen == [("/list.xml", f"lists.example:{server.port}")]
    assert lookups["lists.example"] == 1


def test_the_same_local_server_is_refused_in_production(production, dns, site):
    server = site({"/list.xml": (200, {})})
    dns({"lists.example": ["127.0.0.1"]})

    with pytest.raises(OutboundRefused):
        outbound_request("GET", f"http://lists.example:{server.port}/list.xml", timeout=5)
    assert server.seen == []


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.2:{port}/secret",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/secret",
        "file:///etc/passwd",
    ],
)
def test_a_redirect_to_a_private_address_is_refused(production, site, location):
    production.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]  # the first hop only
    server = site({"/start": (302, {"Location": location}), "/secret": (200, {})})

    with pytest.raises(OutboundRefused):
        outbound_request("GET", f"http://127.0.0.1:{server.port}/start", timeout=5)
    assert [path for path, _ in server.seen] == ["/start"]


def test_redirects_are_followed_one_checked_hop_at_a_time_up_to_the_limit(production, site):
    production.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    production.OUTBOUND_MAX_REDIRECTS = 3
    server = site(
        {
            "/a": (301, {"Location": "/b"}),
            "/b": (307, {"Location": "http://127.0.0.1:{port}/c"}),
            "/c": (200, {}),
            "/loop": (302, {"Location": "/loop"}),
        }
    )

    response = outbound_request("GET", f"http://127.0.0.1:{server.port}/a", timeout=5)
    assert (response.status_code, response.content) == (200, b"ok:/c")
    with pytest.raises(OutboundRefused, match="More than 3 redirects"):
        outbound_request("GET", f"http://127.0.0.1:{server.port}/loop", timeout=5)
    assert [path for path, _ in server.seen].count("/loop") == 4


def test_no_redirect_is_followed_when_none_are_allowed(production, site):
    production.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    server = site({"/a": (302, {"Location": "/b"})})

    response = outbound_request("GET", f"http://127.0.0.1:{server.port}/a", max_redirects=0)

    assert response.status_code == 302
    assert [path for path, _ in server.seen] == ["/a"]
