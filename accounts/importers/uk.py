"""The UK sanctions list: OFSI's consolidated list (ConList.csv and its XML) and the FCDO XML.

OFSI publishes one row per name; rows sharing a Group ID are one entry, the "Primary name" row
gives the name and the others (AKA, FKA, "Primary name variation") the aliases. Every regime is
parsed and put in `programs` (the caller keeps the terrorism ones, e.g. "ISIL (Da'esh) and
Al-Qaida" or "Counter-Terrorism (International)"). Column and element names are compared
loosely (`Name 6` == `Name6` == `name6`), so both OFSI forms share one reader.

The FCDO's "UK Sanctions List" XML (Designations/Designation, one element per entry), which
replaced OFSI's list in 2026, is read too; its Unique ID (e.g. `AQD0110`) is the reference.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree.ElementTree import Element  # nosec B405

from accounts.importers.base import (
    DesignationFileError,
    ParsedDesignation,
    check_row_width,
    check_size,
    child_map,
    child_text,
    clean,
    decode_text,
    descendants,
    iter_csv_rows,
    iter_xml_items,
    looks_like_xml,
    normalise_header,
    parse_date,
    unique,
    unique_names,
    wrong_source,
    xml_root,
)

EXPECTED = "the UK sanctions list (OFSI ConList.csv or XML, or the FCDO UK Sanctions List XML)"
_NAME_FIELDS = ("name1", "name2", "name3", "name4", "name5", "name6")
# One meaning, the spellings of the CSV header and of the two XML forms.
_FIELDS = {
    "group_type": ("grouptype", "grouptypedescription"),
    "alias_type": ("aliastype",),
    "regime": ("regime", "regimename"),
    "listed_on": ("listedon", "datelisted"),
    "designated": ("uksanctionslistdatedesignated", "datedesignated"),
    "group_id": ("groupid",),
    "uk_ref": ("uksanctionslistref",),
    "non_latin": ("namenonlatinscript",),
    "country": ("country",),
    "nationality": ("nationality",),
    "other": ("otherinformation",),
    "reasons": ("ukstatementofreasons",),
}
_REQUIRED_CSV = ("name6", "grouptype", "aliastype", "regime", "groupid")


def parse_uk(data: bytes) -> list[ParsedDesignation]:
    """Parse any of the three UK forms, told apart by their content."""
    check_size(data)
    if not looks_like_xml(data):
        return _parse_csv(data)
    root, _namespace = xml_root(data)
    if root == "Designations":
        return _parse_fcdo_xml(data)
    rows = (
        child_map(elem)
        for _tag, elem in iter_xml_items(
            data,
            expected=EXPECTED,
            roots={"ArrayOfFinancialSanctionsTarget"},
            items={"FinancialSanctionsTarget"},
        )
    )
    return _group_rows((_lower_keys(row) for row in rows), what="the UK XML file")


def _parse_csv(data: bytes) -> list[ParsedDesignation]:
    text = decode_text(data)
    header: list[str] | None = None
    rows = []
    for line, row in iter_csv_rows(text, what="ConList.csv"):
        if header is None:
            names = [normalise_header(cell) for cell in row]
            # OFSI puts "Last Updated,<date>" above the header; accept the file with or without.
            if names and names[0] == "lastupdated" and "groupid" not in names:
                continue
            missing = [name for name in _REQUIRED_CSV if name not in names]
            if missing:
                raise wrong_source(data, EXPECTED)
            header = names
            continue
        row = check_row_width(row, len(header), line=line, what="ConList.csv", text=text)
        rows.append(
            {**dict(zip(header, (clean(cell) for cell in row), strict=True)), "_line": line}
        )
    if header is None:
        raise wrong_source(data, EXPECTED)
    return _group_rows(rows, what="ConList.csv")


def _lower_keys(row: dict[str, str]) -> dict[str, str]:
    return {normalise_header(key): value for key, value in row.items()}


def _get(row: dict[str, str], field: str) -> str:
    for key in _FIELDS[field]:
        if value := row.get(key):
            return value
    return ""


def _full_name(row: dict[str, str]) -> str:
    # Name 1 is the first given name and Name 6 the surname (or an entity's whole name).
    return clean(" ".join(row.get(part, "") for part in _NAME_FIELDS))


def _group_rows(rows: Iterable[dict[str, str]], *, what: str) -> list[ParsedDesignation]:
    groups: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        group_id = _get(row, "group_id")
        if not group_id:
            where = f"line {row['_line']}" if "_line" in row else "an entry"
            raise DesignationFileError(
                f"{what}: {where} has no Group ID; nothing was imported.", "malformed"
            )
        groups.setdefault(group_id, []).append(row)
    return [_group_record(group_id, group) for group_id, group in groups.items()]


def _group_record(group_id: str, rows: list[dict[str, str]]) -> ParsedDesignation:
    primary = next(
        (row for row in rows if _get(row, "alias_type").casefold() == "primary name"), rows[0]
    )
    name = _full_name(primary)
    aliases = [_full_name(row) for row in rows if row is not primary]
    aliases += [_get(row, "non_latin") for row in rows]
    if not name:
        # A group published only with a non-Latin name still needs a name to be listed under.
        name = next(iter(unique_names(aliases)), "")
    listed_on = next(
        (
            day
            for row in (primary, *rows)
            for field in ("listed_on", "designated")
            if (day := parse_date(_get(row, field)))
        ),
        None,
    )
    country = next(
        (
            value
            for row in (primary, *rows)
            for f in ("country", "nationality")
            if (value := _get(row, f))
        ),
        "",
    )
    return ParsedDesignation(
        source_record_id=group_id,
        authority="uk_sanctions",
        reference=_get(primary, "uk_ref") or group_id,
        name=name,
        aliases=unique_names(aliases, exclude=name),
        listed_on=listed_on,
        country=country,
        remarks=_get(primary, "other") or _get(primary, "reasons"),
        programs=unique(_get(row, "regime") for row in rows),
        is_organisation=_get(primary, "group_type").casefold() == "entity",
    )


def _parse_fcdo_xml(data: bytes) -> list[ParsedDesignation]:
    return [
        _fcdo_record(elem)
        for _tag, elem in iter_xml_items(
            data, expected=EXPECTED, roots={"Designations"}, items={"Designation"}
        )
    ]


def _fcdo_record(elem: Element) -> ParsedDesignation:
    fields = child_map(elem)
    names = []
    primary_name = ""
    for node in descendants(elem, "Name"):
        parts = _lower_keys(child_map(node))
        full = _full_name(parts)
        if parts.get("nametype", "").casefold() == "primary name" and not primary_name:
            primary_name = full
        else:
            names.append(full)
    names += [clean(node.text) for node in descendants(elem, "NameNonLatinScript")]
    if not primary_name:
        primary_name = next(iter(unique_names(names)), "")
    unique_id = fields.get("UniqueID", "")
    if not (unique_id or fields.get("OFSIGroupID")):
        raise DesignationFileError(
            "The UK Sanctions List has a Designation without a Unique ID; nothing was imported.",
            "malformed",
        )
    regimes = [clean(node.text) for node in descendants(elem, "RegimeName")]
    country = next(
        (
            clean(node.text)
            for tag in ("AddressCountry", "Nationality")
            for node in descendants(elem, tag)
            if clean(node.text)
        ),
        "",
    )
    return ParsedDesignation(
        # The OFSI Group ID where there is one, so that moving from OFSI's file to the FCDO's
        # keeps each entry's identity; entries new to the FCDO list only have their Unique ID.
        source_record_id=fields.get("OFSIGroupID") or unique_id,
        authority="uk_sanctions",
        reference=unique_id,
        name=primary_name,
        aliases=unique_names(names, exclude=primary_name),
        listed_on=parse_date(fields.get("DateDesignated")),
        country=country,
        remarks=fields.get("OtherInformation") or child_text(elem, "UKStatementofReasons"),
        programs=unique(regimes),
        is_organisation=fields.get("IndividualEntityShip", "").casefold() == "entity",
    )
