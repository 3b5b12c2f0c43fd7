"""Reading a STIX 2.1 bundle from an upload, safely: the size is checked before anything is
parsed, the object count and every object's type and spec_version before anything is written.

Refusals are DomainErrors with a code (too_large, not_json, not_a_bundle, wrong_spec_version,
too_many_objects, unknown_type, invalid_object) and a message that says what to fix.
"""

import json

from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import DomainError

# The object types of STIX 2.1 (sections 4 to 7). Types a tracker does not import are ignored
# with a note; a type that is neither one of these nor a custom "x-" type is refused: the file
# is not the STIX 2.1 it claims to be.
SDO_TYPES = frozenset(
    [
        "attack-pattern",
        "campaign",
        "course-of-action",
        "grouping",
        "identity",
        "incident",
        "indicator",
        "infrastructure",
        "intrusion-set",
        "location",
        "malware",
        "malware-analysis",
        "note",
        "observed-data",
        "opinion",
        "report",
        "threat-actor",
        "tool",
        "vulnerability",
    ]
)
SCO_TYPES = frozenset(
    [
        "artifact",
        "autonomous-system",
        "directory",
        "domain-name",
        "email-addr",
        "email-message",
        "file",
        "ipv4-addr",
        "ipv6-addr",
        "mac-addr",
        "mutex",
        "network-traffic",
        "process",
        "software",
        "url",
        "user-account",
        "windows-registry-key",
        "x509-certificate",
    ]
)
OTHER_TYPES = frozenset(
    ["relationship", "sighting", "language-content", "marking-definition", "extension-definition"]
)
STIX_TYPES = SDO_TYPES | SCO_TYPES | OTHER_TYPES
SPEC_VERSION = "2.1"


class BundleRefused(DomainError):
    """The bundle as a whole cannot be read; nothing was written."""

    code = "bundle_refused"


def max_bytes() -> int:
    return settings.STIX_IMPORT_MAX_BYTES


def check_size(size: int | None) -> None:
    """Refuse an upload larger than the limit, before reading it (Content-Length, file size)."""
    if size is not None and size > max_bytes():
        raise BundleRefused(
            _("The bundle is %(size)d bytes; at most %(limit)d are accepted.")
            % {"size": size, "limit": max_bytes()},
            code="too_large",
            field="file",
        )


def read_limited(stream, size: int | None = None) -> bytes:
    """The bytes of a file or request stream, refused as soon as they pass the limit."""
    check_size(size)
    data = stream.read(max_bytes() + 1)
    check_size(len(data))
    return data


def _refuse(message: str, code: str) -> BundleRefused:
    return BundleRefused(message, code=code, field="file")


def _check_object(index: int, obj) -> None:
    if not isinstance(obj, dict) or not isinstance(obj.get("type"), str):
        raise _refuse(
            _("Object %d is not a STIX object (an object with a type).") % index, "invalid_object"
        )
    kind = obj["type"]
    if kind not in STIX_TYPES and not kind.startswith("x-"):
        raise _refuse(
            _("Object %(index)d has the type “%(type)s”, which STIX 2.1 does not define.")
            % {"index": index, "type": kind[:60]},
            "unknown_type",
        )
    version = obj.get("spec_version")
    # Cyber-observables may leave spec_version out (it then means 2.1); the others must say it.
    if version != SPEC_VERSION and not (version is None and kind in SCO_TYPES):
        raise _refuse(
            _("Object %(index)d is STIX %(version)s; only STIX 2.1 bundles are imported.")
            % {"index": index, "version": str(version)[:10] if version else "2.0"},
            "wrong_spec_version",
        )


def parse_bundle(data: bytes) -> dict:
    """The bundle in `data`, checked: size, JSON, shape, object count, types and versions."""
    check_size(len(data))
    try:
        bundle = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _refuse(_("The file is not JSON (UTF-8)."), "not_json") from None
    if not isinstance(bundle, dict) or bundle.get("type") != "bundle":
        raise _refuse(_("The file is not a STIX bundle (type “bundle”)."), "not_a_bundle")
    if "spec_version" in bundle:
        # STIX 2.0 bundles carry a spec_version; 2.1 bundles have none.
        raise _refuse(
            _("The bundle is STIX %s; only STIX 2.1 bundles are imported.")
            % str(bundle["spec_version"])[:10],
            "wrong_spec_version",
        )
    objects = bundle.get("objects", [])
    if not isinstance(objects, list):
        raise _refuse(_("The bundle's objects must be a list."), "not_a_bundle")
    limit = settings.STIX_IMPORT_MAX_OBJECTS
    if len(objects) > limit:
        raise _refuse(
            _("The bundle holds %(count)d objects; at most %(limit)d are accepted.")
            % {"count": len(objects), "limit": limit},
            "too_many_objects",
        )
    for index, obj in enumerate(objects):
        _check_object(index, obj)
    return bundle
