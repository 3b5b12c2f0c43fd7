"""STIX 2.1 objects as plain dictionaries, built from account signals (sharing/signals.py),
groups and requests.

Plain dictionaries rather than the stix2 library's classes: an export of a hundred thousand
accounts builds and serialises each object once, in constant memory (bench/sharing.py measures
both ways). Every object passes stix2-validator (tests/sharing/test_stix_export.py).
"""

from datetime import UTC, datetime

from accounts.choices import AccountStatus

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


def timestamp(moment: datetime | str) -> str:
    """STIX's timestamp: UTC, millisecond precision, "Z" (from a datetime or ISO 8601 text)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def account_stix_id(platform: str, handle: str) -> str:
    return user_account_id(account_type(platform), handle)


def group_stix_id(group_pk: int) -> str:
    return local_id("intrusion-set", "group", group_pk)


def relationship_id(kind: str, source: str, target: str) -> str:
    return local_id("relationship", source, kind, target)


def _relationship(kind: str, source: str, target: str, created, modified) -> dict:
    return {
        "type": "relationship",
        "spec_version": SPEC_VERSION,
        "id": relationship_id(kind, source, target),
        "created": timestamp(created),
        "modified": timestamp(modified),
        "relationship_type": kind,
        "source_ref": source,
        "target_ref": target,
    }


def user_account(signals: dict) -> dict:
    """The user-account of an account (deterministic id from account_type and account_login)."""
    obj = {
        "type": "user-account",
        "spec_version": SPEC_VERSION,
        "id": account_stix_id(signals["platform"], signals["handle"]),
        "account_type": account_type(signals["platform"]),
        "account_login": signals["handle"],
        "is_disabled": signals["status"] == AccountStatus.REMOVED,
        PREFIX + "status": signals["status"],
        PREFIX + "first_seen": timestamp(signals["first_seen_at"]),
    }
    if signals["display_name"]:
        obj["display_name"] = signals["display_name"]
    if signals["platform_account_id"]:
        obj[PREFIX + "platform_account_id"] = signals["platform_account_id"]
    if signals["profile_url"]:
        obj[PREFIX + "profile_url"] = signals["profile_url"]
    if signals["removed_at"]:
        obj[PREFIX + "removed_at"] = timestamp(signals["removed_at"])
    return obj


def avatar_file(avatar: dict) -> dict:
    """The avatar as a file object: the stored file's MD5 and SHA-256 and its PDQ hash under
    the custom hash key x_pdq (the id follows the specification's choice of one hash)."""
    hashes = {
        name: avatar[key]
        for name, key in (("MD5", "md5"), ("SHA-256", "sha256"), ("x_pdq", "pdq"))
        if avatar.get(key)
    }
    obj = {"type": "file", "spec_version": SPEC_VERSION, "id": file_id(hashes), "hashes": hashes}
    if avatar.get("pdq") and avatar.get("pdq_quality") is not None:
        obj[PREFIX + "pdq_quality"] = avatar["pdq_quality"]
    return obj


def account_objects(signals: dict, *, created: datetime, modified: datetime) -> list[dict]:
    """An account's objects: its user-account, its avatar and its relationships (`created` and
    `modified` are its record's, for the relationships)."""
    account = user_account(signals)
    objects = [account]
    if signals["avatar"]:
        picture = avatar_file(signals["avatar"])
        objects.append(picture)
        objects.append(_relationship(RELATED_TO, account["id"], picture["id"], created, modified))
    for group in signals["groups"]:
        objects.append(
            _relationship(
                ATTRIBUTED_TO, account["id"], group_stix_id(group["id"]), created, modified
            )
        )
    if signals["mirror_of"]:
        original = account_stix_id(signals["mirror_of"]["platform"], signals["mirror_of"]["handle"])
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
