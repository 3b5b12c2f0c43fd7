"""The US Treasury OFAC SDN list: legacy CSV (`sdn.csv` + `alt.csv`) and the `SDN.XML` form.

Only entries under a terrorism program (SDGT, FTO, SDT) are returned. An entry that is both an
FTO and an SDGT is ONE record with authority `us_fto` and both programs listed: OFAC publishes it
once under one ent_num, and the State Dept FTO designation is the stronger, more specific one;
anything else under those programs is `us_sdgt`. Individuals (SDN_Type `individual`) and vessels
or aircraft come back with is_organisation=False. Neither form carries a listing date.
"""

from __future__ import annotations

import re
from collections import defaultdict
from xml.etree.ElementTree import Element  # nosec B405

from accounts.importers.base import (
    DesignationFileError,
    ParsedDesignation,
    check_row_width,
    check_size,
    child_text,
    clean,
    decode_text,
    descendants,
    iter_csv_rows,
    iter_xml_items,
    looks_like_xml,
    unique,
    unique_names,
    wrong_source,
)

TERRORISM_PROGRAMS = frozenset({"SDGT", "FTO", "SDT"})
NON_ORGANISATION_TYPES = frozenset({"individual", "vessel", "aircraft"})
SDN_COLUMNS = 12  # ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage,
# GRT, Vess_flag, Vess_owner, Remarks
ALT_COLUMNS = 5  # ent_num, alt_num, alt_type, alt_name, alt_remarks
EXPECTED_CSV = "the OFAC SDN list in its legacy CSV form (sdn.csv)"
EXPECTED_XML = "the OFAC SDN list (XML)"

# OFAC repeats short aliases in the remarks: "a.k.a. 'LJ'."; names may hold an apostrophe.
_REMARK_ALIAS = re.compile(r"\b[afn]\.k\.a\.,?\s+'(.+?)'(?=\s*[;.,)]|\s*$)")


def parse_ofac(data: bytes) -> list[ParsedDesignation]:
    """Parse SDN.XML or sdn.csv (the latter without its alt.csv: see `parse_ofac_csv`)."""
    if looks_like_xml(data):
        return parse_ofac_xml(data)
    return parse_ofac_csv(data, None)


def parse_ofac_csv(sdn: bytes, alt: bytes | None) -> list[ParsedDesignation]:
    """Parse the legacy sdn.csv, joining the aliases of alt.csv when it is given."""
    check_size(sdn)
    if looks_like_xml(sdn):
        raise wrong_source(sdn, EXPECTED_CSV)
    aliases = _read_alt(alt) if alt is not None else {}
    text = decode_text(sdn)
    records = []
    first = True
    for line, row in iter_csv_rows(text, what="sdn.csv"):
        if first:
            first = False
            if len(row) != SDN_COLUMNS or not row[0].strip().isdigit():
                raise wrong_source(sdn, EXPECTED_CSV)
        row = check_row_width(row, SDN_COLUMNS, line=line, what="sdn.csv", text=text)
        ent_num, name, sdn_type, program = (_value(cell) for cell in row[:4])
        if not ent_num.isdigit():
            raise DesignationFileError(
                f"sdn.csv: line {line} has {ent_num!r} where an entry number is expected. "
                "Nothing was imported.",
                "malformed",
            )
        programs = _split_programs(program)
        if not TERRORISM_PROGRAMS.intersection(programs):
            continue
        remarks = _value(row[11])
        records.append(
            _record(
                ent_num=ent_num,
                name=name,
                sdn_type=sdn_type,
                programs=programs,
                aliases=[*aliases.get(ent_num, []), *_REMARK_ALIAS.findall(remarks)],
                country="",
                remarks=remarks,
            )
        )
    if first:
        raise wrong_source(sdn, EXPECTED_CSV)
    return records


def parse_ofac_xml(data: bytes) -> list[ParsedDesignation]:
    """Parse OFAC's SDN.XML (sdnList/sdnEntry), any namespace."""
    records = []
    for _tag, entry in iter_xml_items(
        data, expected=EXPECTED_XML, roots={"sdnList"}, items={"sdnEntry"}
    ):
        programs = unique(node.text for node in descendants(entry, "program"))
        if not TERRORISM_PROGRAMS.intersection(programs):
            continue
        aliases = [_xml_name(aka) for aka in descendants(entry, "aka")]
        remarks = child_text(entry, "remarks")
        records.append(
            _record(
                ent_num=child_text(entry, "uid"),
                name=_xml_name(entry),
                sdn_type=child_text(entry, "sdnType"),
                programs=programs,
                aliases=[*aliases, *_REMARK_ALIAS.findall(remarks)],
                country=next(
                    (
                        value
                        for address in descendants(entry, "address")
                        if (value := child_text(address, "country"))
                    ),
                    "",
                ),
                remarks=remarks,
            )
        )
    return records


def _record(
    *,
    ent_num: str,
    name: str,
    sdn_type: str,
    programs: tuple[str, ...],
    aliases: list[str],
    country: str,
    remarks: str,
) -> ParsedDesignation:
    name = clean(name)
    return ParsedDesignation(
        source_record_id=ent_num,
        authority="us_fto" if "FTO" in programs else "us_sdgt",
        reference=ent_num,
        name=name,
        aliases=unique_names(aliases, exclude=name),
        listed_on=None,
        country=country,
        remarks=remarks,
        programs=programs,
        is_organisation=sdn_type.casefold() not in NON_ORGANISATION_TYPES,
    )


def _xml_name(elem: Element) -> str:
    # The CSV writes people as "LAST, First"; the XML splits them: joined the same way so a
    # switch between the two forms does not rename anyone.
    last, first = child_text(elem, "lastName"), child_text(elem, "firstName")
    return f"{last}, {first}" if last and first else (last or first)


def _read_alt(alt: bytes) -> dict[str, list[str]]:
    check_size(alt, name="alt.csv")
    if looks_like_xml(alt):
        raise DesignationFileError(
            "The aliases file beside sdn.csv is XML, not OFAC's alt.csv; nothing was imported.",
            "wrong_source",
        )
    text = decode_text(alt)
    aliases: dict[str, list[str]] = defaultdict(list)
    first = True
    for line, row in iter_csv_rows(text, what="alt.csv"):
        if first:
            first = False
            if len(row) != ALT_COLUMNS or not row[0].strip().isdigit():
                raise DesignationFileError(
                    "The aliases file given with sdn.csv is not OFAC's alt.csv (ent_num, alt_num, "
                    "alt_type, alt_name, alt_remarks); nothing was imported.",
                    "wrong_source",
                )
        row = check_row_width(row, ALT_COLUMNS, line=line, what="alt.csv", text=text)
        if name := _value(row[3]):
            aliases[_value(row[0])].append(name)
    return aliases


def _value(cell: str) -> str:
    """OFAC writes an empty field as `-0- `."""
    value = clean(cell)
    return "" if value == "-0-" else value


def _split_programs(value: str) -> tuple[str, ...]:
    """`FTO] [SDGT` (brackets of the legacy CSV) -> ("FTO", "SDGT")."""
    return unique(part.strip(" []") for part in re.split(r"\]\s*\[", value))
