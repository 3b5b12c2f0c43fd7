"""Avatar images: validation of an upload and its PDQ perceptual hash (Meta's `pdqhash`).

As in Meta's Hasher-Matcher-Actioner: a 256-bit hash, a quality 0-100 (hashes below 50 are too
flat to match on), the eight rotations and flips, and a match at Hamming distance <= 31.
The look-up's slice layout lives in accounts.mirrors.avatar_slices.
"""

from dataclasses import dataclass

import numpy as np
import pdqhash
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from core.errors import DomainError
from core.uploads import UploadRefused, decode_image, reencode_image

from .avatar_slices import (  # noqa: F401  (the layout, re-exported for callers)
    MATCH_DISTANCE,
    PROBE_RADIUS,
    SLICE_BITS,
    SLICE_FIELDS,
    SLICES,
    bit_string,
    probe_slices,
    slice_sql,
    slices,
)

MIN_QUALITY = 50
ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
# Hashing needs no more than this; bigger images are shrunk first (PDQ downsamples anyway).
_HASH_SIDE = 512
# PDQ does not survive a crop: 3% off each side moves a hash by ~60 bits. A watched avatar is
# therefore also hashed after cutting these shares off every side, so that a mirror's slightly
# cropped copy meets one of them (bench/mirrors_quality.py measures what that buys).
CROPS = (0.03, 0.06)
_AVATAR_REFUSALS = {
    "invalid_image_type": gettext_lazy(
        "The avatar must be a JPEG, PNG, WebP or GIF image (this is %(kind)s)."
    ),
    "decompression_bomb": gettext_lazy("The avatar has too many pixels to be opened safely."),
    "invalid_image": gettext_lazy("The avatar image is truncated or corrupt."),
}


@dataclass(frozen=True)
class AvatarHash:
    """A PDQ hash (64 hex digits), its quality, the hashes of its eight dihedral variants, of
    its centre crops (CROPS) and of the crops' eight variants each (crop after crop)."""

    pdq: str
    quality: int
    variants: tuple[str, ...]
    crops: tuple[str, ...] = ()
    crop_variants: tuple[str, ...] = ()

    @property
    def usable(self) -> bool:
        return self.quality >= MIN_QUALITY

    @property
    def watched(self) -> tuple[str, ...]:
        """What a removed account with this avatar puts on the watch list (accounts.models
        FlaggedAccount.avatar_variants): the eight variants of the picture, then those of
        each crop, so that a check compares the upload's own hash alone with them."""
        return (*self.variants, *self.crop_variants)


def _bits_to_hex(bits: np.ndarray) -> str:
    return f"{int(''.join('1' if b else '0' for b in bits), 2):064x}"


def _refuse(message: str, code: str):
    return DomainError(message, code=code, field="avatar")


def _read(fileobj) -> bytes:
    limit = settings.MIRROR_AVATAR_MAX_BYTES
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    data = fileobj.read(limit + 1) if hasattr(fileobj, "read") else bytes(fileobj)
    if len(data) > limit:
        raise _refuse(
            _("The avatar is larger than the %(mb)d MB allowed.") % {"mb": limit // (1024 * 1024)},
            "file_too_large",
        )
    if not data:
        raise _refuse(_("The avatar file is empty."), "empty")
    return data


def load_avatar(fileobj) -> Image.Image:
    """The uploaded avatar as a decoded RGB image, or a DomainError naming the field `avatar`:
    JPEG, PNG, WebP or GIF judged by content, at most MIRROR_AVATAR_MAX_BYTES, not truncated or
    corrupt, not a decompression bomb (more pixels than PIL.Image.MAX_IMAGE_PIXELS)."""
    return load_avatar_image(fileobj).convert("RGB")


def load_avatar_image(fileobj) -> Image.Image:
    """The uploaded avatar decoded as it is (format and EXIF kept, for re-encoding)."""
    data = _read(fileobj)
    try:
        return decode_image(data, formats=tuple(ALLOWED_FORMATS))
    except UploadRefused as exc:
        message = _AVATAR_REFUSALS[exc.code] % {"kind": exc.detail or _("unknown")}
        raise _refuse(message, exc.code) from exc


def avatar_reencoded(fileobj) -> tuple[bytes, str]:
    """The avatar as a fresh image file of its pixels only (no EXIF, no appended payload)."""
    return reencode_image(load_avatar_image(fileobj))


def hash_image(image: Image.Image) -> AvatarHash:
    """PDQ hash, quality and the eight dihedral variants of a decoded image, and of its crops
    (pdqhash.compute_dihedral: the DCT is computed once, the variants are cheap)."""
    image = image.convert("RGB")
    if max(image.size) > _HASH_SIDE:
        image = image.copy()
        image.thumbnail((_HASH_SIDE, _HASH_SIDE))
    hashes, quality = pdqhash.compute_dihedral(np.asarray(image))
    variants = tuple(_bits_to_hex(bits) for bits in hashes)
    crop_variants = []
    width, height = image.size
    for share in CROPS:
        dx, dy = int(width * share), int(height * share)
        cropped = image.crop((dx, dy, width - dx, height - dy))
        crop_variants += [
            _bits_to_hex(bits) for bits in pdqhash.compute_dihedral(np.asarray(cropped))[0]
        ]
    crops = tuple(crop_variants[i * len(variants)] for i in range(len(CROPS)))
    return AvatarHash(
        pdq=variants[0],
        quality=int(quality),
        variants=variants,
        crops=crops,
        crop_variants=tuple(crop_variants),
    )


def avatar_hash(fileobj) -> AvatarHash:
    """Validate an uploaded avatar and hash it (DomainError on field `avatar` if refused)."""
    return hash_image(load_avatar(fileobj))


def rehash_file(fieldfile) -> AvatarHash | None:
    """The hashes of a stored avatar file (an account's `avatar`), or None when there is no file
    or it cannot be read. The stored file is the upload re-encoded, so its hashes can differ by a
    few bits from the upload's own."""
    if not fieldfile:
        return None
    try:
        with fieldfile.open("rb") as handle:
            return hash_image(load_avatar(handle))
    except (OSError, DomainError):
        return None


def hamming(a: str, b: str) -> int:
    """Bits that differ between two hex PDQ hashes."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def best_distance(variants, others) -> int:
    """The smallest distance between any dihedral variant of one hash and another hash (or any
    of several: a watched avatar and its crops)."""
    targets = [int(others, 16)] if isinstance(others, str) else [int(o, 16) for o in others]
    return min((int(v, 16) ^ t).bit_count() for v in variants for t in targets)
