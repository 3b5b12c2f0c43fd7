"""Synthetic avatar images for the mirror tests: shapes and a little noise, from a seed."""

import io
import random

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw


def picture(seed: int, size: int = 256) -> Image.Image:
    rng = random.Random(seed)
    image = Image.new("RGB", (size, size), tuple(rng.randint(0, 255) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(8):
        x, y = sorted(rng.sample(range(size), 2)), sorted(rng.sample(range(size), 2))
        colour = tuple(rng.randint(0, 255) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(
            [x[0], y[0], x[1], y[1]], fill=colour
        )
    return Image.blend(image, seeded_noise(rng, size, 25), 0.1)


def seeded_noise(rng: random.Random, size: int, sigma: float) -> Image.Image:
    """Gaussian grey noise from the picture's own seed (PIL's effect_noise draws from an unseeded
    generator, so the same seed gave a different picture on every call)."""
    values = np.random.default_rng(rng.getrandbits(64)).normal(128, sigma, (size, size))
    return Image.fromarray(values.clip(0, 255).astype(np.uint8), "L").convert("RGB")


def encoded(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def upload(data: bytes, name: str = "avatar.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def avatar_upload(seed: int, fmt: str = "PNG", **options) -> SimpleUploadedFile:
    return upload(encoded(picture(seed), fmt, **options), f"avatar.{fmt.lower()}")
