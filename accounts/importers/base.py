"""Shared pieces of the designation-list parsers: the parsed record, errors, limits, safe readers.

Parsers turn the bytes of one published list into `ParsedDesignation` records and write nothing;
the caller (the import service) decides what to store, and stores nothing when a parser raises
`DesignationFileError`. Nothing here imports Django, so the parsers run and test on their own.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError  # nosec B405

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from rigour.text import ascii_text

MAX_BYTES = 50 * 1024 * 1024
SOURCES = ("un", "uk", "ofac", "eu", "nacta")
AUTHORITIES = ("un", "us_fto", "us_sdgt", "uk_proscribed", "uk_sanctions", "eu", "pk_nacta")
ERROR_CODES = (
    "wrong_source",
    "truncated",
    "malformed",
    "too_large",
    "forbidden_xml",
    "unreadable",  # a missing file, a refused or failed download
)

# Remarks fields can be long; the csv module's default cap (128 KiB) would reject a legitimate row.
csv.field_size_limit(min(sys.maxsize, MAX_BYTES))


class DesignationFileError(ValueError):
    """A list file that cannot be imported: `.message` in plain English, `.code` in ERROR_CODES."""

    def __init__(self, message: str, code: str = "malformed") -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown DesignationFileError code {code!r}")
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class ParsedDesignation:
    """One entry of a published list, as the list gives it (individuals included, flagged)."""

    source_record_id: str
    authority: str
    reference: str
    name: str
    aliases: tuple[str, ...]
    listed_on: date | None
    country: str
    remarks: str
    programs: tuple[str, ...]
    is_organisation: bool
    # Only the simple CSV form carries a link to the published list entry.
    source_url: str = ""


def ofac_alt_names(sdn_name: str) -> list[str]:
    """Names the aliases file of an OFAC sdn CSV may have: its own with sdn->alt (case kept),
    then alt.csv and ALT.CSV. Used beside a file on disk and beside a URL alike."""
    names = []
    if re.search("sdn", sdn_name, re.IGNORECASE):
        names.append(
            re.sub(
                "sdn",
                lambda m: "ALT" if m.group().isupper() else "alt",
                sdn_name,
                flags=re.IGNORECASE,
            )
        )
    return [*names, "alt.csv", "ALT.CSV"]


def find_ofac_alt(sdn_path: str | Path) -> Path | None:
    """The aliases file beside an OFAC sdn CSV on disk (see `ofac_alt_names`), or None."""
    sdn_path = Path(sdn_path)
    names = ofac_alt_names(sdn_path.name)
    for name in names:
        candidate = sdn_path.with_name(name)
        if candidate != sdn_path and candidate.is_file():
            return candidate
    return None


def check_size(data: bytes, name: str = "The file") -> None:
    """Raise `too_large` for more than MAX_BYTES."""
    if len(data) > MAX_BYTES:
        raise DesignationFileError(
            f"{name} is larger than the {MAX_BYTES // (1024 * 1024)} MB limit for a list file; "
            "nothing was imported.",
            "too_large",
        )


# --- text helpers ---------------------------------------------------------------------------


def clean(value: str | None) -> str:
    """Collapse every run of whitespace (newlines, NBSP ...) to one space and trim."""
    if not value:
        return ""
    # str.split() splits on every Unicode space (NBSP included) and is faster than a regex.
    return " ".join(value.split())


def unique_names(names: Iterable[str | None], exclude: str = "") -> tuple[str, ...]:
    """Cleaned, non-empty names without case-insensitive repeats (nor `exclude`), order kept."""
    seen = {exclude.casefold()} if exclude else set()
    out = []
    for raw in names:
        name = clean(raw)
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return tuple(out)


def unique(values: Iterable[str | None]) -> tuple[str, ...]:
    """Cleaned, non-empty values without exact repeats, order kept."""
    return tuple(dict.fromkeys(v for v in (clean(x) for x in values) if v))


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T ])")
_DMY_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


def parse_date(value: str | None) -> date | None:
    """ISO `2001-10-06` (a time part allowed) or UK `dd/mm/yyyy`; anything else -> None."""
    text = clean(value)
    if match := _ISO_DATE.match(text):
        year, month, day = match.groups()
    elif match := _DMY_DATE.fullmatch(text):
        day, month, year = match.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


# Designation.source_record_id holds 64 characters.
MAX_ID_LENGTH = 64


def slugify(text: str) -> str:
    """A stable ASCII id from a name (`Lashkar-e-Tayyaba` -> `lashkar-e-tayyaba`).

    A long name keeps its first words and a hash of the whole, so that the id fits
    MAX_ID_LENGTH and two long names sharing a beginning keep apart.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text(clean(text)).lower()).strip("-")
    if len(slug) <= MAX_ID_LENGTH:
        return slug
    digest = hashlib.sha256(slug.encode()).hexdigest()[:8]
    return f"{slug[: MAX_ID_LENGTH - 9].rstrip('-')}-{digest}"


def decode_text(data: bytes) -> str:
    """Decode a text list: UTF-8 (BOM or not), UTF-16 with a BOM, else cp1252/latin-1 (old OFAC)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps every byte, so this cannot fail.
        return data.decode("latin-1")


# --- sniffing: what does a file look like? ---------------------------------------------------

_FIRST_TAG = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)([^>]*)>")
_XMLNS = re.compile(rb"""xmlns(?::\w+)?\s*=\s*["']([^"']*)["']""")

XML_KINDS = {
    "CONSOLIDATED_LIST": "the UN Security Council Consolidated List (XML)",
    "sdnList": "the OFAC SDN list (XML)",
    "ArrayOfFinancialSanctionsTarget": "the UK OFSI consolidated list (XML)",
    "Designations": "the UK Sanctions List of the FCDO (XML)",
    "export": "the EU consolidated financial sanctions list (XML)",
    "sanctionsData": "OFAC's enhanced SDN XML (not read here: use SDN.XML or sdn.csv)",
    "Sanctions": "OFAC's advanced SDN XML (not read here: use SDN.XML or sdn.csv)",
}


def _strip_bom_space(data: bytes) -> bytes:
    return data[:4096].lstrip(b"\xef\xbb\xbf").lstrip()


def looks_like_xml(data: bytes) -> bool:
    """True when the file starts (after a BOM and blanks) with `<`."""
    return _strip_bom_space(data).startswith(b"<")


def xml_root(data: bytes) -> tuple[str, str]:
    """(local name, namespace) of the first element, read from the head of the file only."""
    head = data[:65536]
    # Skip the declaration, comments, processing instructions and a DOCTYPE before the root.
    head = re.sub(rb"<\?.*?\?>|<!--.*?-->", b"", head, flags=re.DOTALL)
    head = re.sub(rb"<!DOCTYPE(?:[^\[>]|\[.*?\])*>", b"", head, flags=re.DOTALL)
    match = _FIRST_TAG.search(head)
    if not match:
        return "", ""
    namespace = _XMLNS.search(match.group(3))
    return (
        match.group(2).decode("ascii", "replace"),
        namespace.group(1).decode("ascii", "replace") if namespace else "",
    )


def describe(data: bytes) -> str:
    """A short English description of what a file looks like, for wrong-source messages."""
    head = _strip_bom_space(data)
    if not head:
        return "an empty file"
    if head.startswith(b"%PDF"):
        return "a PDF document"
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive (an XLSX workbook?)"
    lowered = head[:200].lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "an HTML page (an error page instead of the list?)"
    if head.startswith(b"<"):
        root, namespace = xml_root(data)
        if root == "export" and "fsd" not in namespace:
            return "an XML file whose root element is <export>"
        return XML_KINDS.get(root, f"an XML file whose root element is <{root or '?'}>")
    return _describe_csv(decode_text(data[:65536]))


def _describe_csv(text: str) -> str:
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            if any(cell.strip() for cell in row):
                rows.append(row)
            if len(rows) == 3:
                break
    except csv.Error:
        return "a text file that is not CSV"
    if not rows:
        return "an empty file"
    first = [normalise_header(c) for c in rows[0]]
    if first and first[0] == "lastupdated":
        return "the UK OFSI consolidated list (ConList.csv)"
    if any("groupid" in [normalise_header(c) for c in row] for row in rows):
        return "the UK OFSI consolidated list (ConList.csv)"
    if "authority" in first and "name" in first:
        return "the simple designations CSV (nacta, uk_proscribed, us_fto)"
    if rows[0][0].strip().isdigit():
        if len(rows[0]) == 12:
            return "the OFAC SDN list in its legacy CSV form (sdn.csv)"
        if len(rows[0]) == 5 and rows[0][1].strip().isdigit():
            return "OFAC's alt.csv of aliases (give sdn.csv; alt.csv is read beside it)"
        if len(rows[0]) == 6 and rows[0][1].strip().isdigit():
            return "OFAC's add.csv of addresses (give sdn.csv)"
    return f"a CSV file with {len(rows[0])} columns that no importer knows"


def normalise_header(name: str) -> str:
    """`Name 6`, `Name6`, `name6` -> `name6`: header and element names compared loosely."""
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKC", name).lower())


def wrong_source(data: bytes, expected: str) -> DesignationFileError:
    """The error for a file of another kind than the source it was given as."""
    return DesignationFileError(
        f"This file is not {expected}: it looks like {describe(data)}. "
        "Check the source chosen for it; nothing was imported.",
        "wrong_source",
    )


# --- safe XML ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def local_name(tag: str) -> str:
    """`{namespace}name` -> `name`."""
    return tag.rsplit("}", 1)[-1]


def iter_xml_items(
    data: bytes, *, expected: str, roots: Iterable[str], items: Iterable[str]
) -> Iterator[tuple[str, Element]]:
    """Yield (local tag, element) for each complete item element of a list file, safely.

    defusedxml with forbid_dtd rejects any DOCTYPE, hence entity bombs and external entities;
    iterparse keeps memory flat on large lists because each item is cleared once handled.
    """
    check_size(data)
    if not looks_like_xml(data):
        raise wrong_source(data, expected)
    items = set(items)
    root, _namespace = xml_root(data)
    # A DTD is refused before the root is judged, so a hostile file is reported as such.
    if not _DOCTYPE.search(data[:65536]) and root not in set(roots):
        raise wrong_source(data, expected)
    try:
        for _event, elem in iterparse(io.BytesIO(data), events=("end",), forbid_dtd=True):
            tag = local_name(elem.tag)
            if tag in items:
                yield tag, elem
                elem.clear()
    except DefusedXmlException as exc:
        raise DesignationFileError(
            "The file declares a DTD or entities, which official lists never do and which can "
            f"be used to attack the server ({type(exc).__name__}); nothing was imported.",
            "forbidden_xml",
        ) from exc
    except ParseError as exc:
        raise xml_parse_error(exc, data, expected) from exc


_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


# expat: no element found, unclosed token, partial character: what the end of a cut file gives.
_TRUNCATION_CODES = {3, 5, 6}
# expat: mismatched tag, junk after the document: a broken file, whatever the line.
_NOT_TRUNCATION_CODES = {7, 9}


def xml_parse_error(exc: ParseError, data: bytes, expected: str) -> DesignationFileError:
    """Turn a parser error into `truncated` (it stops at the end of the data) or `malformed`."""
    line, column = getattr(exc, "position", (0, 0))
    code = getattr(exc, "code", None)
    last_line = data.rstrip().count(b"\n") + 1
    if not data.strip():
        return DesignationFileError("The file is empty; nothing was imported.", "truncated")
    if code in _TRUNCATION_CODES or (line >= last_line and code not in _NOT_TRUNCATION_CODES):
        return DesignationFileError(
            f"The file of {expected} stops in the middle of the XML (line {line}, column {column}, "
            f"the end of the data): it looks truncated, perhaps by an interrupted download. "
            "Nothing was imported.",
            "truncated",
        )
    return DesignationFileError(
        f"The file of {expected} is not well-formed XML at line {line}, column {column} ({exc}); "
        "nothing was imported.",
        "malformed",
    )


def child_text(elem: Element, name: str) -> str:
    """Cleaned text of the first direct child with this local name, or ''."""
    for child in elem:
        tag = child.tag
        if tag == name or local_name(tag) == name:
            return clean(child.text)
    return ""


def child_map(elem: Element) -> dict[str, str]:
    """{local name: cleaned text} of the direct children; the first of a repeated name wins."""
    out: dict[str, str] = {}
    for child in elem:
        out.setdefault(local_name(child.tag), clean(child.text))
    return out


def children(elem: Element, name: str) -> Iterator[Element]:
    """Direct children with this local name."""
    return (child for child in elem if local_name(child.tag) == name)


def descendants(elem: Element, name: str) -> Iterator[Element]:
    """All descendants with this local name, namespace ignored."""
    return (node for node in elem.iter() if local_name(node.tag) == name)


# --- safe CSV ---------------------------------------------------------------------------------


def iter_csv_rows(text: str, *, what: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, row) for each non-blank row; a quoting error -> malformed/truncated."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            # Blank lines and the Ctrl-Z end-of-file marker of OFAC's legacy files carry nothing.
            if not any(cell.strip().strip("\x1a") for cell in row):
                continue
            yield reader.line_num, row
    except csv.Error as exc:
        at_end = "end of data" in str(exc) or "EOF" in str(exc)
        raise DesignationFileError(
            f"{what}: line {reader.line_num} cannot be read as CSV ({exc})"
            + ("; the file looks truncated" if at_end else "")
            + ". Nothing was imported.",
            "truncated" if at_end else "malformed",
        ) from exc


def check_row_width(row: list[str], width: int, *, line: int, what: str, text: str) -> list[str]:
    """Return the row if it has `width` cells (trailing empty cells forgiven), else raise."""
    if len(row) > width and not any(cell.strip() for cell in row[width:]):
        row = row[:width]
    if len(row) == width:
        return row
    # A short last row with no newline after it is where a cut download ends.
    cut = not text.endswith(("\n", "\r")) and line >= text.count("\n") + 1
    raise DesignationFileError(
        f"{what}: line {line} has {len(row)} fields where {width} are expected"
        + ("; the file looks truncated" if cut else "")
        + ". Nothing was imported.",
        "truncated" if cut else "malformed",
    )
