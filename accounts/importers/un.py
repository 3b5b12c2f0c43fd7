"""The UN Security Council Consolidated List (XML, root CONSOLIDATED_LIST).

Each INDIVIDUAL and ENTITY becomes one record: DATAID is the stable id, REFERENCE_NUMBER the
reference (`QDe.118`), UN_LIST_TYPE the program, aliases from *_ALIAS/ALIAS_NAME plus
NAME_ORIGINAL_SCRIPT (e.g. the Urdu name of QDe.132).
"""

from __future__ import annotations

from xml.etree.ElementTree import Element  # nosec B405

from accounts.importers.base import (
    ParsedDesignation,
    child_map,
    child_text,
    children,
    clean,
    iter_xml_items,
    parse_date,
    unique,
    unique_names,
)

EXPECTED = "the UN Security Council Consolidated List (XML)"
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


def parse_un(data: bytes) -> list[ParsedDesignation]:
    """Parse the UN consolidated list; individuals come back with is_organisation=False."""
    return [
        _record(elem, is_organisation=(tag == "ENTITY"))
        for tag, elem in iter_xml_items(
            data, expected=EXPECTED, roots={"CONSOLIDATED_LIST"}, items={"INDIVIDUAL", "ENTITY"}
        )
    ]


def _record(elem: Element, *, is_organisation: bool) -> ParsedDesignation:
    fields = child_map(elem)
    name = clean(" ".join(fields.get(part, "") for part in _NAME_PARTS))
    alias_tag = "ENTITY_ALIAS" if is_organisation else "INDIVIDUAL_ALIAS"
    aliases = [child_text(alias, "ALIAS_NAME") for alias in children(elem, alias_tag)]
    aliases.append(fields.get("NAME_ORIGINAL_SCRIPT", ""))
    return ParsedDesignation(
        source_record_id=fields.get("DATAID", ""),
        authority="un",
        reference=fields.get("REFERENCE_NUMBER", ""),
        name=name,
        aliases=unique_names(aliases, exclude=name),
        listed_on=parse_date(fields.get("LISTED_ON")),
        country=_country(elem, is_organisation),
        remarks=fields.get("COMMENTS1", ""),
        programs=unique([fields.get("UN_LIST_TYPE")]),
        is_organisation=is_organisation,
    )


def _country(elem: Element, is_organisation: bool) -> str:
    # Entities carry a country only in their addresses; people by nationality first.
    sources = (
        [("ENTITY_ADDRESS", "COUNTRY")]
        if is_organisation
        else [("NATIONALITY", "VALUE"), ("INDIVIDUAL_ADDRESS", "COUNTRY")]
    )
    for parent, field in sources:
        for node in children(elem, parent):
            if value := child_text(node, field):
                return value
    return ""
