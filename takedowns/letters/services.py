"""Building a request package: letter PDF, accounts CSV and evidence files in one ZIP, written
to a temporary file (memory stays flat whatever the evidence weighs) and hashed into the
request's timeline."""

import hashlib
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from typing import IO

from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from accounts.choices import EvidenceKind
from core.errors import Conflict
from core.permissions import require_permission
from core.spreadsheets import table_csv

from ..choices import EventKind
from ..events import takedown_event
from ..models import TakedownItem, TakedownRequest
from .letter import letter_pdf
from .selectors import letter_template_for, package_items

PACKAGE_PERMISSION = "takedowns.submit_takedownrequest"
CSV_COLUMNS = [
    "no",
    "platform",
    "handle",
    "profile_url",
    "platform_account_id",
    "display_name",
    "groups",
    "status",
    "evidence_sha256",
]
_CHUNK = 1024 * 1024


@dataclass
class RequestPackage:
    """A built package: an open temporary file at position 0 (gone once closed)."""

    file: IO[bytes]
    filename: str
    sha256: str
    size: int


def _accounts_csv(items: list[TakedownItem]) -> bytes:
    """The package's accounts as CSV (with a BOM for the Urdu names), formula cells guarded as
    every export's are: a handle or display name is the platform's text, not the tracker's."""
    rows = (
        [
            n,
            item.account.platform.slug,
            item.account.handle,
            item.account.profile_url,
            item.account.platform_account_id,
            item.account.display_name,
            "; ".join(group.name for group in item.account.groups.all()),
            item.account.status,
            " ".join(evidence.sha256 for evidence in item.account.evidence.all()),
        ]
        for n, item in enumerate(items, 1)
    )
    return "".join(table_csv(list(CSV_COLUMNS), rows)).encode()


def _write_evidence(zf: zipfile.ZipFile, folder: str, n: int, item: TakedownItem, sums: list):
    """Each evidence item as its exact captured bytes, so its SHA-256 can be checked."""
    handle = get_valid_filename(item.account.handle) or "account"
    for evidence in item.account.evidence.all():
        prefix = f"{folder}/evidence/{n:03d}-{handle}/{evidence.sha256[:12]}"
        if evidence.kind == EvidenceKind.FILE and evidence.file:
            name = f"{prefix}-{get_valid_filename(evidence.original_name) or 'file'}"
            with evidence.file.open("rb") as source, zf.open(name, "w", force_zip64=True) as dest:
                shutil.copyfileobj(source, dest, _CHUNK)
        elif evidence.kind == EvidenceKind.URL:
            name = f"{prefix}-url.txt"
            zf.writestr(name, evidence.url.encode())
        else:
            name = f"{prefix}-text.txt"
            zf.writestr(name, evidence.text.encode())
        sums.append((evidence.sha256, name.removeprefix(f"{folder}/")))


def _write_zip(spool, folder, letter, table, items, sums) -> tuple[str, int]:
    """Write the archive into `spool`; its SHA-256 and size, the file back at position 0."""
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{folder}/letter.pdf", letter)
        zf.writestr(f"{folder}/accounts.csv", table)
        for n, item in enumerate(items, 1):
            _write_evidence(zf, folder, n, item, sums)
        zf.writestr(f"{folder}/SHA256SUMS", "".join(f"{sha}  {name}\n" for sha, name in sums))
    size = spool.tell()
    spool.seek(0)
    digest = hashlib.sha256()
    while chunk := spool.read(_CHUNK):
        digest.update(chunk)
    spool.seek(0)
    return digest.hexdigest(), size


@transaction.atomic
def takedown_package_build(*, takedown: TakedownRequest, user) -> RequestPackage:
    """Build the request's package and record its SHA-256 in the timeline."""
    require_permission(
        user, PACKAGE_PERMISSION, _("Your role does not allow you to download request packages.")
    )
    template = letter_template_for(takedown=takedown)
    if template is None:
        raise Conflict(
            _("No letter template applies to this request; an administrator must add one."),
            code="no_letter_template",
        )
    now = timezone.now()
    items = package_items(takedown=takedown)
    folder = takedown.reference
    letter = letter_pdf(takedown=takedown, template=template, items=items, now=now)
    table = _accounts_csv(items)
    sums = [
        (hashlib.sha256(letter).hexdigest(), "letter.pdf"),
        (hashlib.sha256(table).hexdigest(), "accounts.csv"),
    ]
    # Handed to the response open, which closes (and so deletes) it once sent.
    spool = tempfile.TemporaryFile(prefix="package-")  # noqa: SIM115
    try:
        sha256, size = _write_zip(spool, folder, letter, table, items, sums)
    except BaseException:
        spool.close()
        raise
    filename = f"{folder}-{takedown.platform.slug}-{now:%Y%m%d-%H%M%S}.zip"
    takedown_event(
        takedown=takedown,
        kind=EventKind.PACKAGE_BUILT,
        actor=user,
        message=_("Package %(name)s, SHA-256 %(sha)s") % {"name": filename, "sha": sha256},
        data={
            "sha256": sha256,
            "size": size,
            "filename": filename,
            "template": template.pk,
            "accounts": len(items),
            "evidence": len(sums) - 2,
        },
    )
    return RequestPackage(file=spool, filename=filename, sha256=sha256, size=size)
