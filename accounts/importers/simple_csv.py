"""A simple CSV form for lists published only as web tables or PDFs (source "nacta").

Pakistan's NACTA First Schedule, the UK Home Office list of proscribed organisations and the US
State Department list of Foreign Terrorist Organizations are kept in this form. UTF-8 (a BOM is
fine), one organisation per row, a header row naming the columns (any order):

    authority,reference,name,aliases,listed_on,country,source_url,remarks

- authority  required: pk_nacta, uk_proscribed or us_fto (one file may mix them)
- name       required: the name as the list publishes it
- reference  the list's own number or code; empty if the list has none
- aliases    other names in any script, separated by "|"
- listed_on  the date of proscription/designation as YYYY-MM-DD; empty if unknown
- country, source_url, remarks  free text

Only `authority` and `name` must be present; an unknown column is refused (a typo would
otherwise lose data silently). The stable id of a row is its reference, or else a slug of its
name: give references where the list has them, since a renamed row without one is a new entry.
"""

from __future__ import annotations

from accounts.importers.base import (
    DesignationFileError,
    ParsedDesignation,
    check_row_width,
    check_size,
    clean,
    decode_text,
    iter_csv_rows,
    looks_like_xml,
    parse_date,
    slugify,
    unique_names,
    wrong_source,
)

COLUMNS = (
    "authority",
    "reference",
    "name",
    "aliases",
    "listed_on",
    "country",
    "source_url",
    "remarks",
)
REQUIRED = ("authority", "name")
AUTHORITIES = ("pk_nacta", "uk_proscribed", "us_fto")
EXPECTED = "the simple designations CSV (authority,reference,name,aliases,listed_on,...)"


def parse_simple_csv(data: bytes) -> list[ParsedDesignation]:
    """Parse the simple CSV form; every row is an organisation."""
    check_size(data)
    if looks_like_xml(data):
        raise wrong_source(data, EXPECTED)
    text = decode_text(data)
    header: list[str] | None = None
    records: list[ParsedDesignation] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in iter_csv_rows(text, what="The CSV file"):
        if header is None:
            header = [clean(cell).lower() for cell in row]
            _check_header(header, data)
            continue
        row = check_row_width(row, len(header), line=line, what="The CSV file", text=text)
        values = {column: clean(cell) for column, cell in zip(header, row, strict=True)}
        record = _record(values, line)
        key = (record.authority, record.source_record_id)
        if key in seen:
            raise DesignationFileError(
                f"The CSV file: line {line} repeats the {record.authority} entry "
                f"{record.source_record_id!r} of line {seen[key]}; nothing was imported.",
                "malformed",
            )
        seen[key] = line
        records.append(record)
    if header is None:
        raise wrong_source(data, EXPECTED)
    return records


def _check_header(header: list[str], data: bytes) -> None:
    if any(column not in header for column in REQUIRED):
        raise wrong_source(data, EXPECTED)
    unknown = [column for column in header if column not in COLUMNS]
    if unknown:
        raise DesignationFileError(
            f"The CSV file has unknown column(s) {', '.join(map(repr, unknown))}; the columns are "
            f"{','.join(COLUMNS)}. Nothing was imported.",
            "malformed",
        )
    repeated = sorted({column for column in header if header.count(column) > 1})
    if repeated:
        raise DesignationFileError(
            f"The CSV file repeats the column(s) {', '.join(repeated)}; nothing was imported.",
            "malformed",
        )


def _record(values: dict[str, str], line: int) -> ParsedDesignation:
    authority, name = values.get("authority", "").lower(), values.get("name", "")
    if authority not in AUTHORITIES:
        raise DesignationFileError(
            f"The CSV file: line {line} has authority {authority!r}; expected one of "
            f"{', '.join(AUTHORITIES)}. Nothing was imported.",
            "malformed",
        )
    if not name:
        raise DesignationFileError(
            f"The CSV file: line {line} has no name; nothing was imported.", "malformed"
        )
    reference = values.get("reference", "")
    return ParsedDesignation(
        source_record_id=reference or slugify(name),
        authority=authority,
        reference=reference,
        name=name,
        aliases=unique_names(values.get("aliases", "").split("|"), exclude=name),
        listed_on=parse_date(values.get("listed_on")),
        country=values.get("country", ""),
        remarks=values.get("remarks", ""),
        programs=(),
        is_organisation=True,
        source_url=values.get("source_url", ""),
    )
