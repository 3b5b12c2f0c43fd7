"""Uploaded files judged by their content, never by their name or the client's content type.

`sniff_type` names a file by its first bytes (magic numbers) among the kinds evidence may be;
markup (HTML, SVG, XML, PHP, scripts) is never one of them, whatever the file is called.
`decode_image` opens an image with Pillow safely (format allowed, structure verified, no
decompression bomb, not truncated); `reencode_image` writes a fresh PNG or JPEG of its pixels
only, so metadata (EXIF with GPS positions, comments, ICC, XMP) and anything appended to the
file (a polyglot's second payload) never reach a reader.
"""

from __future__ import annotations

import io
import re
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_TYPES = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}
EXTENSIONS = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "video/mp4": "mp4",
    "text/plain": "txt",
}
_MARKUP = (b"<!doctype", b"<html", b"<?php", b"<?xml", b"<svg", b"<script", b"<body", b"<head")
_SNIFF_BYTES = 4096
# Text has no control characters but tab, line feed, form feed and carriage return.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class UploadRefused(ValueError):
    """The upload is not an allowed kind, or not a sound image; `code` says which."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code, self.detail = code, detail


def _looks_like_markup(head: bytes) -> bool:
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return lowered.startswith(b"<") or any(tag in head.lower() for tag in _MARKUP)


def sniff_type(head: bytes) -> str | None:
    """The MIME type the first bytes show, among EXTENSIONS' kinds; None for anything else
    (markup, executables, archives, unknown binary)."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        return "video/mp4"
    if _CONTROL.search(head) or _looks_like_markup(head):
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return None
    return "text/plain"


def read_head(fileobj) -> bytes:
    """The first bytes of a file object, which is left at its start."""
    fileobj.seek(0)
    head = fileobj.read(_SNIFF_BYTES)
    fileobj.seek(0)
    return head


def decode_image(data: bytes, *, formats=tuple(IMAGE_TYPES)) -> Image.Image:
    """The decoded image, or UploadRefused with code `invalid_image_type` (not an allowed
    image), `decompression_bomb` or `invalid_image` (truncated or corrupt). Pillow refuses more
    than twice its MAX_IMAGE_PIXELS and only warns above it: the warning is refused too."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in formats:
                    raise UploadRefused("invalid_image_type", probe.format or "")
                probe.verify()  # structure and checksums, without decoding the pixels
            image = Image.open(io.BytesIO(data))
            image.load()  # a truncated file fails here
            return image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UploadRefused("decompression_bomb") from exc
    except UnidentifiedImageError as exc:
        raise UploadRefused("invalid_image_type") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        if isinstance(exc, UploadRefused):
            raise
        raise UploadRefused("invalid_image", str(exc)) from exc


def reencode_image(image: Image.Image) -> tuple[bytes, str]:
    """A fresh file of the image's pixels only, upright (EXIF orientation applied), and its MIME
    type: JPEG for opaque photographs read from JPEG, PNG for everything else."""
    source_format = image.format
    upright = ImageOps.exif_transpose(image)
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    mode = "RGBA" if has_alpha else "RGB"
    pixels = upright.convert(mode)
    # A new image from the pixel bytes alone: no info dictionary, EXIF, ICC or comment rides along.
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if source_format == "JPEG" and not has_alpha:
        clean.save(out, "JPEG", quality=90, optimize=True)
        return out.getvalue(), "image/jpeg"
    clean.save(out, "PNG", optimize=True)
    return out.getvalue(), "image/png"
