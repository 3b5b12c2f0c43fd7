"""Avatar images for the tests: a textured picture PDQ hashes with good quality, and each kind of
upload the avatar check refuses."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

FIVE_MB = 5 * 1024 * 1024


def picture(seed: int = 1, size: int = 256) -> Image.Image:
    """A picture with enough structure for a high-quality PDQ hash; seeds give unrelated ones."""
    image = Image.new("RGB", (size, size), (250, 250, 245))
    draw = ImageDraw.Draw(image)
    step = size // 8
    for i in range(8):
        for j in range(8):
            if (i * 7 + j * 3 + seed * 5 + (i * j * seed)) % 3 == 0:
                shade = (40 * (i + seed)) % 200
                draw.rectangle(
                    [i * step, j * step, (i + 1) * step, (j + 1) * step], fill=(shade, 30, 90)
                )
    draw.ellipse([size // 4, size // 4, 3 * size // 4, 3 * size // 4], outline=(0, 0, 0), width=6)
    return image


def image_bytes(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(data: bytes, name: str = "avatar.png", content_type: str = "image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def good_avatar(seed: int = 1, fmt: str = "PNG") -> SimpleUploadedFile:
    kind = {"PNG": "png", "JPEG": "jpeg", "WEBP": "webp", "GIF": "gif"}[fmt]
    return upload(image_bytes(picture(seed), fmt), f"avatar.{kind}", f"image/{kind}")


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
    png = image_bytes(picture(3))
    return {
        # A BMP is an image, but not one of the four kinds; the name and type claim PNG.
        "wrong_type": (upload(image_bytes(picture(3), "BMP")), "invalid_image_type"),
        "not_an_image": (upload(b"%PDF-1.7 not a picture at all"), "invalid_image_type"),
        "truncated": (upload(png[: len(png) // 2]), "invalid_image"),
        "too_big": (upload(png + b"\x00" * (FIVE_MB + 1 - len(png))), "file_too_large"),
        "decompression_bomb": (upload(bomb_png()), "decompression_bomb"),
    }
