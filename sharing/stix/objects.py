"""STIX 2.1 objects as plain dictionaries, built from account facts, groups and requests.

Plain dictionaries rather than the stix2 library's classes: an export of a hundred thousand
accounts builds and serialises each object once, in constant memory (bench/sharing.py measures
both ways). Every object passes stix2-validator (tests/sharing/test_stix_export.py).
"""

from datetime import UTC, datetime

from .ids import file_id, local_id, user_account_id
from .source import account_type

SPEC_VERSION = "2.1"
# Custom properties carry what STIX has no property for; the validator wants the x_ prefix.
PREFIX = "x_tracker_"
# Relationship types: account -> group, mirror -> original, account -> avatar file.
ATTRIBUTED_TO = "attributed-to"
DERIVED_FROM = "derived-from"
RELATED_TO = "related-to"

# The designating authorities as external-reference sources (the lists' own names).
AUTHORITY_SOURCES = {
    "un": "UN Security Council Consolidated List",
    "us_fto": "US State Department Foreign Terrorist Organizations",
    "us_sdgt": "US Treasury OFAC SDN List (SDGT)",
    "uk_proscribed": "UK Home Office Proscribed Terrorist Organisations",
    "uk_sanctions": "UK Sanctions List",
    "eu": "EU Consolidated Financial Sanctions List",
    "pk_nacta": "Pakistan NACTA First Schedule (Anti-Terrorism Act 1997)",
}
AUTHORITIES_BY_SOURCE = {v: k for k, v in AUTHORITY_SOURCES.items()}


def timestamp(moment: datetime) -> str:
    """STIX's timestamp: UTC, millisecond precision, "Z"."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def account_stix_id(platform: str, handle: str) -> str:
    return user_account_id(account_type(platform), handle)


def group_stix_id(group_pk: int) -> str:
    return local_id("intrusion-set", "group", group_pk)


def _relationship(kind: str, source: str, target: str, created, modified) -> dict:
    return {
        "type": "relationship",
        "spec_version": SPEC_VERSION,
        "id": local_id("relationship", source, kind, target),
        "created": timestamp(created),
        "modified": timestamp(modified),
        "relationship_type": kind,
        "source_ref": source,
        "target_ref": target,
    }


def user_account(facts: dict) -> dict:
    """The user-account of an account (deterministic id from account_type and account_login)."""
    obj = {
        "type": "user-account",
        "spec_version": SPEC_VERSION,
        "id": account_stix_id(facts["platform"], facts["handle"]),
        "account_type": account_type(facts["platform"]),
        "account_login": facts["handle"],
        "is_disabled": facts["removed"],
        PREFIX + "status": facts["status"],
        PREFIX + "first_seen": timestamp(facts["first_seen_at"]),
    }
    if facts["display_name"]:
        obj["display_name"] = facts["display_name"]
    if facts["platform_account_id"]:
        obj[PREFIX + "platform_account_id"] = facts["platform_account_id"]
    if facts["profile_url"]:
        obj[PREFIX + "profile_url"] = facts["profile_url"]
    if facts["removed_at"]:
        obj[PREFIX + "removed_at"] = timestamp(facts["removed_at"])
    return obj


def avatar_file(avatar: dict) -> dict:
    """The avatar as a file object, its PDQ hash under the custom hash key x_pdq."""
    hashes = {"x_pdq": avatar["pdq"]}
    obj = {"type": "file", "spec_version": SPEC_VERSION, "id": file_id(hashes), "hashes": hashes}
    if avatar.get("quality") is not None:
        obj[PREFIX + "pdq_quality"] = avatar["quality"]
    return obj


def account_objects(facts: dict) -> list[dict]:
    """An account's objects: its user-account, its avatar and its relationships."""
    account = user_account(facts)
    created, modified = facts["created_at"], facts["updated_at"]
    objects = [account]
    if facts["avatar"]:
        picture = avatar_file(facts["avatar"])
        objects.append(picture)
        objects.append(_relationship(RELATED_TO, account["id"], picture["id"], created, modified))
    for group_pk in facts["group_ids"]:
        objects.append(
            _relationship(ATTRIBUTED_TO, account["id"], group_stix_id(group_pk), created, modified)
        )
    if facts["mirror_of"]:
        original = account_stix_id(facts["mirror_of"]["platform"], facts["mirror_of"]["handle"])
        objects.append(_relationship(DERIVED_FROM, account["id"], original, created, modified))
    return objects


def _designation_reference(designation) -> dict:
    reference = {
        "source_name": AUTHORITY_SOURCES.get(designation.authority, designation.authority),
        "external_id": designation.reference or designation.source_record_id,
    }
    if designation.source_url.startswith(("https://", "http://")):
        reference["url"] = designation.source_url
    listed = []
    if designation.listed_on:
        listed.append(f"listed {designation.listed_on.isoformat()}")
    if designation.delisted_on:
        listed.append(f"delisted {designation.delisted_on.isoformat()}")
    if listed:
        reference["description"] = ", ".join(listed)
    return reference


def intrusion_set(group) -> dict:
    """A group as an intrusion-set, its designations as external references."""
    obj = {
        "type": "intrusion-set",
        "spec_version": SPEC_VERSION,
        "id": group_stix_id(group.pk),
        "created": timestamp(group.created_at),
        "modified": timestamp(group.updated_at),
        "name": group.name,
    }
    aliases = [a.name for a in group.aliases.all()]
    if aliases:
        obj["aliases"] = aliases
    if group.notes:
        obj["description"] = group.notes
    references = [_designation_reference(d) for d in group.designations.all()]
    if references:
        obj["external_references"] = references
    if group.country:
        obj[PREFIX + "country"] = group.country
    return obj


def request_note(request, account_ids: list[str]) -> dict | None:
    """A takedown request as a note about the accounts it covers (None when it covers none)."""
    if not account_ids:
        return None
    obj = {
        "type": "note",
        "spec_version": SPEC_VERSION,
        "id": local_id("note", "takedown", request.pk),
        "created": timestamp(request.created_at),
        "modified": timestamp(request.updated_at),
        "abstract": f"Takedown request {request.pk} to {request.platform.name}: {request.kind}",
        "content": (
            f"{request.kind} request ({request.priority} priority) sent to "
            f"{request.platform.name}; status {request.status}."
        ),
        "object_refs": account_ids,
        PREFIX + "request_kind": request.kind,
        PREFIX + "request_status": request.status,
    }
    if request.platform_ticket:
        obj[PREFIX + "platform_ticket"] = request.platform_ticket
    if request.submitted_at:
        obj[PREFIX + "submitted_at"] = timestamp(request.submitted_at)
    if request.due_at:
        obj[PREFIX + "due_at"] = timestamp(request.due_at)
    return obj
