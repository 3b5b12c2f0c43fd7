"""Evidence capture: files, URLs and text attached to accounts, hashed for custody."""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.permissions import require_permission
from core.uploads import (
    EXTENSIONS,
    UploadRefused,
    decode_image,
    read_head,
    reencode_image,
    sniff_type,
)

from ..choices import EvidenceKind
from ..models import (
    Evidence,
    FlaggedAccount,
)
from .bulk import account_create_from_row


def _sha256_of(fileobj) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for chunk in (
        fileobj.chunks() if hasattr(fileobj, "chunks") else iter(lambda: fileobj.read(65536), b"")
    ):
        digest.update(chunk)
        size += len(chunk)
        if size > settings.EVIDENCE_MAX_BYTES:
            raise DomainError(
                _("The file is larger than the %(mb)d MB allowed for evidence.")
                % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)},
                code="file_too_large",
                field="file",
            )
    fileobj.seek(0)
    return digest.hexdigest(), size


def _refused(message: str, code: str) -> DomainError:
    return DomainError(message, code=code, field="file")


_IMAGE_REFUSALS = {
    "invalid_image_type": _("The file is not an image this tracker can read."),
    "decompression_bomb": _("The image has too many pixels to be opened safely."),
    "invalid_image": _("The image is truncated or corrupt."),
}


def _store_file(evidence: Evidence, file) -> None:
    """Store the upload under a name of our own, its type judged by content (not the name or
    the client's type); an image also as a re-encoded copy, the only one readers get."""
    content_type = sniff_type(read_head(file))
    if content_type is None:
        raise _refused(
            _(
                "This kind of file cannot be evidence: give a PDF, a PNG, JPEG, GIF or WebP "
                "image, an MP4 video or plain text (judged by the content, not the name)."
            ),
            "invalid_file_type",
        )
    evidence.content_type = content_type
    extension = EXTENSIONS[content_type]
    if content_type.startswith("image/"):
        file.seek(0)
        try:
            image = decode_image(file.read())
        except UploadRefused as exc:
            raise _refused(str(_IMAGE_REFUSALS[exc.code]), exc.code) from exc
        data, display_type = reencode_image(image)
        evidence.display_file.save(
            f"{evidence.sha256[:16]}-display.{EXTENSIONS[display_type]}",
            ContentFile(data),
            save=False,
        )
    file.seek(0)
    evidence.file.save(f"{evidence.sha256[:16]}.{extension}", file, save=False)


@transaction.atomic
def evidence_capture(
    *, account: FlaggedAccount, user, file=None, url: str = "", text: str = "", note: str = ""
) -> Evidence:
    """Attach a file, URL or captured text to an account, with its SHA-256."""
    require_permission(user, "accounts.add_evidence")
    given = [k for k, v in (("file", file), ("url", url), ("text", text)) if v]
    if len(given) != 1:
        raise DomainError(
            _("Give exactly one of a file, a URL or captured text."), code="invalid", field="file"
        )
    evidence = Evidence(account=account, captured_by=user, note=note[:500])
    if file is not None:
        sha, size = _sha256_of(file)
        evidence.kind = EvidenceKind.FILE
        evidence.sha256, evidence.size = sha, size
        evidence.original_name = (getattr(file, "name", "") or "file")[-255:]
        _store_file(evidence, file)
    elif url:
        evidence.kind = EvidenceKind.URL
        evidence.url = url
        evidence.sha256 = hashlib.sha256(url.encode()).hexdigest()
        evidence.size = len(url.encode())
    else:
        evidence.kind = EvidenceKind.TEXT
        evidence.text = text
        evidence.sha256 = hashlib.sha256(text.encode()).hexdigest()
        evidence.size = len(text.encode())
    evidence.save()
    return evidence


@transaction.atomic
def evidence_attach(
    *, account: FlaggedAccount, user, files=(), url: str = "", text: str = "", note: str = ""
) -> list[Evidence]:
    """Capture several pieces of evidence at once (files, a URL, text): all of them or none."""
    captured = [evidence_capture(account=account, user=user, file=f, note=note) for f in files]
    if url:
        captured.append(evidence_capture(account=account, user=user, url=url, note=note))
    if text:
        captured.append(evidence_capture(account=account, user=user, text=text, note=note))
    return captured


@transaction.atomic
def account_create_with_evidence(
    *,
    user,
    evidence_files=(),
    evidence_url: str = "",
    evidence_note: str = "",
    avatar=None,
    **fields,
) -> FlaggedAccount:
    """Record an account and attach its evidence in the same step: all of it, or nothing.
    The account's fields (account_create's names) pass the one row validator; `avatar` is an
    uploaded picture (checked by content and hashed; DomainError on field `avatar`)."""
    row = {"handle" if name == "value" else name: value for name, value in fields.items()}
    account = account_create_from_row(user=user, row=row, avatar=avatar)
    evidence_attach(
        account=account, user=user, files=evidence_files, url=evidence_url, note=evidence_note
    )
    return account
