"""Where list files come from: a path on disk or an official URL, read with a size cap.

`read_list_file` gives the bytes (for OFAC's legacy CSV, sdn.csv and the alt.csv beside it,
on disk or at the same URL); `accounts.importers.parse_list_file` turns them into records.
Downloads go through `core.outbound` (the address checked is the address connected to, each
redirect re-checked) with a timeout per network operation, an overall time limit and
MAX_BYTES counted on the decoded body (so a compressed bomb is cut off too).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

from accounts.importers.base import (
    MAX_BYTES,
    SOURCES,
    DesignationFileError,
    check_size,
    find_ofac_alt,
    looks_like_xml,
    ofac_alt_names,
)
from core.outbound import OutboundRefused, outbound_request

DEFAULT_TIMEOUT = 30.0
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class ListFile:
    """The bytes of one list as read: the file and, for OFAC's legacy CSV, its alt.csv."""

    name: str
    data: bytes
    alt_name: str = ""
    alt_data: bytes | None = None

    @property
    def sha256(self) -> str:
        """SHA-256 of the file; of sdn.csv followed by alt.csv for the OFAC pair."""
        digest = hashlib.sha256(self.data)
        if self.alt_data is not None:
            digest.update(self.alt_data)
        return digest.hexdigest()

    @property
    def label(self) -> str:
        """The file's path or URL, and its aliases file when there is one."""
        return f"{self.name} (aliases: {self.alt_name})" if self.alt_name else self.name


def is_url(value: str) -> bool:
    """True for an http(s) address; other schemes (file:, ftp:) are refused by `read_list_file`."""
    return "://" in str(value)


def read_list_file(
    source: str,
    path_or_url: str | Path,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    notify: Callable[[str], None] | None = None,
) -> ListFile:
    """Read a list from disk or a URL; for an OFAC CSV also the alt.csv beside it, saying so."""
    say = notify or (lambda message: None)
    if is_url(str(path_or_url)):
        url = str(path_or_url)
        data = fetch_url(url, timeout=timeout)
        if source != "ofac" or looks_like_xml(data):
            return ListFile(url, data)
        for alt_url in _ofac_alt_urls(url):
            alt = fetch_url(alt_url, timeout=timeout, missing_ok=True)
            if alt is not None:
                say(f"Reading the aliases of the SDN list from {alt_url}.")
                return ListFile(url, data, alt_url, alt)
        say(f"No alt.csv found beside {url}: aliases come only from the remarks of sdn.csv.")
        return ListFile(url, data)
    path = Path(path_or_url)
    data = _read_path(path)
    if source != "ofac" or looks_like_xml(data):
        return ListFile(str(path), data)
    alt_path = find_ofac_alt(path)
    if alt_path is None:
        say(f"No alt.csv found beside {path}: aliases come only from the remarks of sdn.csv.")
        return ListFile(str(path), data)
    say(f"Reading the aliases of the SDN list from {alt_path}, beside {path.name}.")
    return ListFile(str(path), data, str(alt_path), _read_path(alt_path))


def _read_path(path: Path) -> bytes:
    # In chunks: read(MAX_BYTES + 1) would allocate the whole 50 MB limit for a 2 MB list.
    chunks, size = [], 0
    try:
        with path.open("rb") as handle:
            while size <= MAX_BYTES and (chunk := handle.read(_CHUNK * 16)):
                chunks.append(chunk)
                size += len(chunk)
    except FileNotFoundError:
        raise DesignationFileError(
            f"There is no file {path}; nothing was imported.", "unreadable"
        ) from None
    except OSError as exc:
        raise DesignationFileError(
            f"The file {path} cannot be read ({exc.strerror or exc}); nothing was imported.",
            "unreadable",
        ) from exc
    data = b"".join(chunks)
    check_size(data, name=path.name)
    return data


def _ofac_alt_urls(url: str) -> list[str]:
    parts = urlsplit(url)
    folder, _, name = parts.path.rpartition("/")
    return [urlunsplit(parts._replace(path=f"{folder}/{alt}")) for alt in ofac_alt_names(name)]


def fetch_url(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = MAX_BYTES,
    missing_ok: bool = False,
) -> bytes | None:
    """GET a list file; None for a 404 when missing_ok. Every failure -> DesignationFileError.

    `timeout` bounds each network operation, ten times it the whole download: a server that
    trickles bytes cannot hold a worker for ever.
    """
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise DesignationFileError(
            f"{url} is not an http or https address; nothing was imported.", "unreadable"
        )
    deadline = time.monotonic() + 10 * timeout
    try:
        with outbound_request("GET", url, stream=True, timeout=timeout) as response:
            if response.status_code == 404 and missing_ok:
                return None
            if response.status_code != 200:
                raise DesignationFileError(
                    f"{url} answered {response.status_code} {response.reason}; nothing was "
                    "imported.",
                    "unreadable",
                )
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(url, max_bytes)
            body = bytearray()
            for chunk in response.iter_content(_CHUNK):
                body += chunk
                if len(body) > max_bytes:
                    raise _too_large(url, max_bytes)
                if time.monotonic() > deadline:
                    raise DesignationFileError(
                        f"The download of {url} took more than {10 * timeout:.0f} seconds and "
                        "was stopped; nothing was imported.",
                        "unreadable",
                    )
            return bytes(body)
    except OutboundRefused as exc:
        raise DesignationFileError(
            f"{url} may not be downloaded ({exc}); nothing was imported.", "unreadable"
        ) from exc
    except requests.RequestException as exc:
        raise DesignationFileError(
            f"{url} could not be downloaded ({type(exc).__name__}: {exc}); nothing was imported.",
            "unreadable",
        ) from exc


def _too_large(url: str, max_bytes: int) -> DesignationFileError:
    return DesignationFileError(
        f"{url} is larger than the {max_bytes // (1024 * 1024)} MB limit for a list file; "
        "nothing was imported.",
        "too_large",
    )


def parse_source_config(value: str) -> list[tuple[str, str]]:
    """The configured list URLs, as (source, url) pairs in order.

    Either JSON, `{"un": "https://...", "nacta": ["https://a.csv", "https://b.csv"]}`, or a
    comma-separated list of `source=url` (a source may repeat). Raises ValueError when wrong.
    """
    value = value.strip()
    if not value:
        return []
    pairs: list[tuple[str, str]] = []
    if value.startswith("{"):
        try:
            config = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(f"DESIGNATION_SOURCES is not valid JSON: {exc}") from exc
        for source, urls in config.items():
            for url in [urls] if isinstance(urls, str) else urls:
                pairs.append((source, str(url).strip()))
    else:
        for item in filter(None, (part.strip() for part in value.split(","))):
            source, sep, url = item.partition("=")
            if not sep:
                raise ValueError(f"DESIGNATION_SOURCES: {item!r} is not source=url")
            pairs.append((source.strip(), url.strip()))
    for source, url in pairs:
        if source not in SOURCES:
            raise ValueError(
                f"DESIGNATION_SOURCES: unknown source {source!r}; expected one of "
                f"{', '.join(SOURCES)}"
            )
        if not url:
            raise ValueError(f"DESIGNATION_SOURCES: no URL for {source}")
    return pairs
