"""accounts/mirrors/avatars.py: PDQ hashes of avatars, and refusal of bad uploads."""

import io

import pytest
from PIL import Image

from accounts.mirrors.avatars import (
    MATCH_DISTANCE,
    avatar_hash,
    best_distance,
    hamming,
    probe_slices,
    slices,
)
from core.errors import DomainError

from .avatar_images import encoded, picture, upload


def test_resized_and_recompressed_avatar_stays_within_the_match_distance():
    original = avatar_hash(io.BytesIO(encoded(picture(1))))
    smaller = picture(1).resize((120, 120))
    copy = avatar_hash(io.BytesIO(encoded(smaller, "JPEG", quality=45)))
    assert original.usable and copy.usable
    assert best_distance(copy.variants, original.pdq) <= MATCH_DISTANCE


def test_a_mirrored_avatar_is_found_through_the_dihedral_variants():
    original = avatar_hash(io.BytesIO(encoded(picture(2))))
    flipped = picture(2).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    copy = avatar_hash(io.BytesIO(encoded(flipped)))
    assert hamming(copy.pdq, original.pdq) > MATCH_DISTANCE
    assert best_distance(copy.variants, original.pdq) <= MATCH_DISTANCE


def test_a_slightly_cropped_avatar_meets_one_of_the_crop_hashes():
    original = avatar_hash(io.BytesIO(encoded(picture(3))))
    cropped = picture(3).crop((8, 8, 248, 248))
    copy = avatar_hash(io.BytesIO(encoded(cropped, "JPEG", quality=80)))
    assert best_distance(copy.variants, [original.pdq, *original.crops]) <= MATCH_DISTANCE


def test_different_pictures_are_far_apart():
    a, b = (avatar_hash(io.BytesIO(encoded(picture(seed)))) for seed in (4, 5))
    assert hamming(a.pdq, b.pdq) > 2 * MATCH_DISTANCE


def test_a_flat_picture_has_a_hash_too_weak_to_match_on():
    flat = avatar_hash(io.BytesIO(encoded(Image.new("RGB", (200, 200), (90, 90, 90)))))
    assert not flat.usable


def test_the_probes_of_a_hash_contain_every_slice_within_one_bit():
    pdq = avatar_hash(io.BytesIO(encoded(picture(6)))).pdq
    one = f"{int(pdq, 16) ^ (1 << 250) ^ (1 << 200):064x}"  # 1 bit in slice 0
    two = f"{int(pdq, 16) ^ (1 << 250) ^ (1 << 249) ^ (1 << 200):064x}"  # 2 bits in slice 0
    assert slices(one)[0] in probe_slices(pdq)[0]
    assert slices(two)[0] not in probe_slices(pdq)[0]
    assert slices(two)[0] in probe_slices(pdq, 2)[0]
    assert len(probe_slices(pdq)[0]) == 1 + 16


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_the_four_image_types_are_accepted(fmt):
    image = picture(7).convert("P") if fmt == "GIF" else picture(7)
    assert avatar_hash(upload(encoded(image, fmt), "a.bin")).pdq


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"GIF87a but not really an image", "invalid_image_type"),
        (b"%PDF-1.7 a document", "invalid_image_type"),
        (encoded(picture(8), "BMP"), "invalid_image_type"),
        (encoded(picture(8), "PNG")[:400], "invalid_image"),
        (encoded(picture(8), "JPEG")[:600], "invalid_image"),
        (b"", "empty"),
    ],
    ids=["fake-gif", "pdf", "bmp", "truncated-png", "truncated-jpeg", "empty"],
)
def test_bad_avatars_are_refused_naming_the_field(data, code):
    with pytest.raises(DomainError) as exc:
        avatar_hash(upload(data, "avatar.png"))
    assert (exc.value.code, exc.value.field) == (code, "avatar")


def test_an_avatar_over_the_size_limit_is_refused(settings):
    settings.MIRROR_AVATAR_MAX_BYTES = 10_000
    with pytest.raises(DomainError) as exc:
        avatar_hash(upload(encoded(picture(9), "PNG")))
    assert (exc.value.code, exc.value.field) == ("file_too_large", "avatar")


@pytest.mark.parametrize("limit", [10_000, 40_000], ids=["over-twice-the-limit", "over-the-limit"])
def test_a_decompression_bomb_is_refused(monkeypatch, limit):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", limit)  # a 256x256 picture is then a bomb
    with pytest.raises(DomainError) as exc:
        avatar_hash(upload(encoded(picture(10), "PNG")))
    assert (exc.value.code, exc.value.field) == ("decompression_bomb", "avatar")


def test_the_watched_hashes_are_the_picture_and_crop_variants():
    hashed = avatar_hash(io.BytesIO(encoded(picture(7))))
    assert len(hashed.variants) == 8 and len(hashed.crop_variants) == 8 * len(hashed.crops)
    assert hashed.watched == (*hashed.variants, *hashed.crop_variants)
    assert hashed.watched[0] == hashed.pdq
    assert [hashed.crop_variants[8 * i] for i in range(len(hashed.crops))] == list(hashed.crops)
    # A cropped and flipped copy: its own hash meets a turned crop's hash.
    cropped = picture(7).crop((8, 8, 248, 248)).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    copy = avatar_hash(io.BytesIO(encoded(cropped, "JPEG", quality=80)))
    assert best_distance([copy.pdq], hashed.watched) <= MATCH_DISTANCE
    assert best_distance([copy.pdq], [hashed.pdq, *hashed.crops]) > MATCH_DISTANCE
