"""The EU consolidated financial sanctions list (FSF XML: export/sanctionEntity).

logicalId is the stable id, euReferenceNumber the reference, regulation/@programme the programs
("TERR" for the EU terrorist list, "TAQA" for ISIL/Al-Qaida). The EU marks no primary name: the
first strong nameAlias in English (or without a language) is taken, all others are aliases.
subjectType "enterprise" is an organisation, "person" is not. The namespace changes between
releases, so elements are matched by local name.
"""

from __future__ import annotations

from datetime import date
from xml.etree.ElementTree import Element  # nosec B405

from accounts.importers.base import (
    ParsedDesignation,
    clean,
    descendants,
    iter_xml_items,
    parse_date,
    unique,
    unique_names,
)

EXPECTED = "the EU consolidated financial sanctions list (XML)"
_UNKNOWN_COUNTRIES = {"", "unknown", "00"}


def parse_eu(data: bytes) -> list[ParsedDesignation]:
    """Parse the EU list; persons come back with is_organisation=False."""
    return [
        _record(elem)
        for _tag, elem in iter_xml_items(
            data, expected=EXPECTED, roots={"export"}, items={"sanctionEntity"}
        )
    ]


def _whole_name(alias: Element) -> str:
    whole = clean(alias.get("wholeName"))
    if whole:
        return whole
    return clean(" ".join(alias.get(part, "") for part in ("firstName", "middleName", "lastName")))


def _record(entity: Element) -> ParsedDesignation:
    aliases = list(descendants(entity, "nameAlias"))
    primary = next(
        (
            alias
            for alias in aliases
            if alias.get("nameLanguage", "").upper() in ("", "EN")
            and alias.get("strong", "true") != "false"
            and _whole_name(alias)
        ),
        aliases[0] if aliases else None,
    )
    name = _whole_name(primary) if primary is not None else ""
    regulations = list(descendants(entity, "regulation"))
    subject = next(descendants(entity, "subjectType"), None)
    code = (subject.get("code", "") if subject is not None else "").casefold()
    classification = subject.get("classificationCode", "") if subject is not None else ""
    return ParsedDesignation(
        source_record_id=clean(entity.get("logicalId")),
        authority="eu",
        reference=clean(entity.get("euReferenceNumber")),
        name=name,
        aliases=unique_names((_whole_name(alias) for alias in aliases), exclude=name),
        listed_on=_listed_on(entity, regulations),
        country=_country(entity),
        remarks=" ".join(unique(node.text for node in descendants(entity, "remark"))),
        programs=unique(regulation.get("programme") for regulation in regulations),
        is_organisation=code in ("enterprise", "entity") or classification == "E",
    )


def _listed_on(entity: Element, regulations: list[Element]) -> date | None:
    if designated := parse_date(entity.get("designationDate")):
        return designated
    # The first regulation that named the entry is when it was listed; amendments come later.
    dates = [
        day
        for regulation in regulations
        if (
            day := parse_date(
                regulation.get("publicationDate") or regulation.get("entryIntoForceDate")
            )
        )
    ]
    return min(dates) if dates else None


def _country(entity: Element) -> str:
    for tag in ("address", "citizenship"):
        for node in descendants(entity, tag):
            description = clean(node.get("countryDescription"))
            if description.casefold() not in _UNKNOWN_COUNTRIES:
                return description
    return ""
