"""Identifiers of the exported STIX objects.

Cyber-observables (user-account, file) get the specification's deterministic ids: UUIDv5 in the
STIX namespace over the canonical JSON of their id-contributing properties (section 2.9), so any
producer names the same account the same way. Objects that only this installation knows (groups,
requests, relationships) get ids derived from the installation's own namespace (STIX_NAMESPACE),
stable from one export to the next.
"""

import json
import uuid

from django.conf import settings

# STIX 2.1, section 2.9: the namespace of deterministic cyber-observable ids.
SCO_NAMESPACE = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")


def _canonical(value: dict) -> str:
    # RFC 8785 for the strings and flat dictionaries used here: sorted keys, no spaces, UTF-8.
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sco_id(object_type: str, contributing: dict) -> str:
    """The deterministic id of a cyber-observable from its id-contributing properties."""
    present = {k: v for k, v in contributing.items() if v not in (None, "", {}, [])}
    return f"{object_type}--{uuid.uuid5(SCO_NAMESPACE, _canonical(present))}"


def user_account_id(account_type: str, account_login: str) -> str:
    return sco_id("user-account", {"account_type": account_type, "account_login": account_login})


def file_id(hashes: dict) -> str:
    # The specification takes one hash, MD5 first, then SHA-1, SHA-256, SHA-512, else the first.
    for name in ("MD5", "SHA-1", "SHA-256", "SHA-512", *hashes):
        if name in hashes:
            return sco_id("file", {"hashes": {name: hashes[name]}})
    raise ValueError("a file needs a hash")


def local_id(object_type: str, *parts) -> str:
    """An id in this installation's namespace for a group, a request or a relationship.

    STIX wants UUIDv4 for these: the UUIDv5 of the parts is given version 4's bits, so the id
    looks random to a consumer yet stays the same from one export to the next."""
    namespace = uuid.UUID(settings.STIX_NAMESPACE)
    derived = uuid.uuid5(namespace, "|".join(str(p) for p in parts))
    return f"{object_type}--{uuid.UUID(bytes=derived.bytes, version=4)}"


def bundle_id() -> str:
    return f"bundle--{uuid.uuid4()}"
