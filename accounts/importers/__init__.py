"""Parsers of the official designation lists (UN, UK, OFAC, EU, NACTA and simple CSV), and the
dispatch from a source name to its parser.

The parser modules import only `base` (the shared record, errors and safe readers) and
`sources` reads the bytes; this package's top is the one place that knows every parser.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from accounts.importers.base import (
    SOURCES,
    DesignationFileError,
    ParsedDesignation,
    check_size,
    looks_like_xml,
)
from accounts.importers.eu import parse_eu
from accounts.importers.ofac import parse_ofac, parse_ofac_csv
from accounts.importers.simple_csv import parse_simple_csv
from accounts.importers.sources import ListFile, read_list_file
from accounts.importers.uk import parse_uk
from accounts.importers.un import parse_un

_PARSERS: dict[str, Callable[[bytes], list[ParsedDesignation]]] = {
    "un": parse_un,
    "uk": parse_uk,
    "ofac": parse_ofac,
    "eu": parse_eu,
    "nacta": parse_simple_csv,
}
if set(_PARSERS) != set(SOURCES):
    raise ImproperlyConfigured("every designation source needs a parser")

__all__ = ["ListFile", "parse_designations", "parse_list_file", "parse_path", "read_list_file"]


def parse_designations(source: str, data: bytes) -> list[ParsedDesignation]:
    """Parse the bytes of a list file of `source` (un, uk, ofac, eu, nacta); raise on a bad file.

    For the OFAC legacy CSV this reads the SDN file alone (aliases then come only from its
    remarks); use `parse_path` or `ofac.parse_ofac_csv(sdn, alt)` to join `alt.csv`.
    """
    check_size(data)
    if source not in _PARSERS:
        raise DesignationFileError(
            f"Unknown source {source!r}: expected one of {', '.join(SOURCES)}.", "wrong_source"
        )
    return _PARSERS[source](data)


def parse_list_file(source: str, list_file: ListFile) -> list[ParsedDesignation]:
    """Parse what `read_list_file` read; raises DesignationFileError for a bad file."""
    if source == "ofac" and not looks_like_xml(list_file.data):
        return parse_ofac_csv(list_file.data, list_file.alt_data)
    return parse_designations(source, list_file.data)


def parse_path(source: str, path: str | Path) -> list[ParsedDesignation]:
    """Parse a list file on disk; for an OFAC `sdn.csv`, join the `alt.csv` found beside it."""
    return parse_list_file(source, read_list_file(source, path))
