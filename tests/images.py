"""Avatar uploads for the API, page and browser tests: a good one (the engine tests' synthetic
pictures) and each kind of upload the avatar check refuses."""

import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.accounts.avatar_images import encoded, picture, upload

FIVE_MB = 5 * 1024 * 1024


def good_avatar(seed: int = 1, fmt: str = "PNG") -> SimpleUploadedFile:
    """A picture PDQ hashes with good quality, as an upload; seeds give unrelated pictures."""
    return upload(encoded(picture(seed), fmt), f"avatar.{fmt.lower()}")


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def bomb_png(side: int = 100_000) -> bytes:
    """A few dozen bytes that claim side x side pixels: a decompression bomb by its header."""
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


def bad_avatars() -> dict[str, tuple[SimpleUploadedFile, str]]:
    """Each refused kind of upload and the error code it gets, named by what is wrong."""
    png = encoded(picture(3))
    return {
        # A BMP is an image, but not one of the four kinds; the name and type claim PNG.
        "wrong_type": (upload(encoded(picture(3), "BMP")), "invalid_image_type"),
        "not_an_image": (upload(b"%PDF-1.7 not a picture at all"), "invalid_image_type"),
        "truncated": (upload(png[: len(png) // 2]), "invalid_image"),
        "too_big": (upload(png + b"\x00" * (FIVE_MB + 1 - len(png))), "file_too_large"),
        "decompression_bomb": (upload(bomb_png()), "decompression_bomb"),
    }
