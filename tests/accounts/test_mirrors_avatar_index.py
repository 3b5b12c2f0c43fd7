"""accounts/mirrors/watchlist.near_avatars: the avatar look-up through WatchAvatar's slice
b-trees, with the Hamming distance computed in PostgreSQL. The watch list stores every rotation
and flip of a removed picture and of its crops (migrations 0013-0015), and a check probes with the
upload's own hash only."""

import importlib
import io
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from accounts import services
from accounts.choices import AccountStatus
from accounts.mirrors.avatars import (
    MATCH_DISTANCE,
    PROBE_RADIUS,
    SLICE_BITS,
    SLICE_FIELDS,
    SLICES,
    avatar_hash,
    bit_string,
    hamming,
    probe_slices,
    slice_sql,
    slices,
)
from accounts.mirrors.features import Probe
from accounts.mirrors.watchlist import candidate_ids, near_avatars
from accounts.models import WatchAvatar

from .avatar_images import encoded, picture, upload

pytestmark = pytest.mark.django_db


def removed_with_avatar(user, value, image_bytes):
    account = services.account_create(
        user=user, value=value, platform="telegram", avatar=upload(image_bytes, "a.png")
    )
    return services.account_set_status(account=account, user=user, status=AccountStatus.REMOVED)


def removed_indexed(user, value, image_bytes):
    """A removed account whose avatar is on the watch list (a picture of usable quality)."""
    account = removed_with_avatar(user, value, image_bytes)
    assert WatchAvatar.objects.filter(account=account).exists()
    return account


def probe_for(variants):
    return Probe(
        platform_id=None,
        handle_keys=(),
        name_key="",
        name_arabic=False,
        avatar_variants=tuple(variants),
        contacts=frozenset(),
        group_ids=frozenset(),
    )


def spread_flips(pdq: str, distance: int, rng) -> str:
    """The hash with `distance` bits flipped, as evenly as possible over the slices (the worst
    case for the pigeonhole bound: at 31, fifteen slices differ by 2 bits and one by 1)."""
    bits = int(pdq, 16)
    per_slice = [distance // SLICES + (i < distance % SLICES) for i in range(SLICES)]
    rng.shuffle(per_slice)
    for i, n in enumerate(per_slice):
        start = 256 - SLICE_BITS * (i + 1)
        for bit in rng.sample(range(SLICE_BITS), n):
            bits ^= 1 << (start + bit)
    return f"{bits:064x}"


def test_the_layout_keeps_the_pigeonhole_bound_and_is_the_models():
    assert SLICES * SLICE_BITS == 256
    assert SLICES * (PROBE_RADIUS + 1) > MATCH_DISTANCE  # one slice within PROBE_RADIUS
    slice_columns = [f.name for f in WatchAvatar._meta.concrete_fields if f.name[1:].isdigit()]
    assert tuple(slice_columns) == SLICE_FIELDS == WatchAvatar.SLICE_FIELDS
    indexed = [tuple(index.fields) for index in WatchAvatar._meta.indexes]
    assert indexed == [(field,) for field in SLICE_FIELDS]
    # Each b-tree carries what the distance test reads: the look-up never reads the table.
    assert all(tuple(index.include) == ("account", "bits") for index in WatchAvatar._meta.indexes)


def test_slices_cover_256_bits_and_probes_reach_one_bit():
    pdq = f"{random.Random(1).getrandbits(256):064x}"
    assert len(slices(pdq)) == SLICES and all(0 <= s < 2**SLICE_BITS for s in slices(pdq))
    assert int("".join(f"{s:0{SLICE_BITS}b}" for s in slices(pdq)), 2) == int(pdq, 16)
    near = spread_flips(pdq, SLICES, random.Random(2))  # one bit in every slice
    probes = probe_slices(pdq)
    assert all(value in probe for value, probe in zip(slices(near), probes, strict=True))
    assert [len(p) for p in probes] == [1 + SLICE_BITS] * SLICES
    far = spread_flips(pdq, 2 * SLICES, random.Random(3))  # two bits in every slice
    assert not any(value in probe for value, probe in zip(slices(far), probes, strict=True))


def _migration():
    return importlib.import_module("accounts.migrations.0012_watchavatar_16_slices")


def test_the_slices_written_by_the_code_and_the_migration_sql_match_python(analyst, platforms):
    account = removed_indexed(analyst, "umar_khorasani", encoded(picture(21)))
    row = WatchAvatar.objects.filter(account=account, pdq=account.avatar_pdq).get()
    assert _migration().NEW == (SLICES, SLICE_BITS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(slice_sql('%s'))}", [row.pdq] * SLICES)
        assert list(cursor.fetchone()) == [getattr(row, f) for f in SLICE_FIELDS] == slices(row.pdq)


def watched_hashes(account) -> list[str]:
    """What the watch list holds for an account's avatar: its and its crops' hashes and the
    rotations and flips of each."""
    return list(
        dict.fromkeys((account.avatar_pdq, *account.avatar_crops, *account.avatar_variants))
    )


def test_the_migration_converts_the_rows_in_place_both_ways(analyst, platforms):
    from django.apps import apps

    migration = _migration()
    account = removed_indexed(analyst, "umar_khorasani", encoded(picture(27)))
    rows = list(WatchAvatar.objects.filter(account=account))
    assert len(account.avatar_variants) == 24  # 8 of the picture, 8 of each crop
    assert sorted(row.pdq for row in rows) == sorted(watched_hashes(account))
    with connection.schema_editor() as editor:
        migration.reslice(migration.OLD)(apps, editor)  # back: 11 slices of 23 bits
    for row in rows:
        row.refresh_from_db()
        old = [(int(row.pdq, 16) >> (256 - 23 * (i + 1))) & (2**23 - 1) for i in range(11)]
        assert [getattr(row, f"s{i}") for i in range(11)] == old
        assert old != slices(row.pdq)[:11]
    with connection.schema_editor() as editor:
        migration.reslice(migration.NEW)(apps, editor)  # forward again
    for row in rows:
        row.refresh_from_db()
        assert [getattr(row, f) for f in SLICE_FIELDS] == slices(row.pdq)
    assert near_avatars(probe_for([account.avatar_pdq])) == {account.pk: 0}


def test_every_distance_up_to_31_is_found_from_any_of_the_watched_variants(analyst, platforms):
    """The match: an upload whose own hash is within 31 bits of any stored hash of the removed
    picture (its own, a rotation's or flip's, a crop's or a turned crop's) is found, whatever the
    spread of the differing bits, at the distance of the nearest; the upload's other seven
    variants random (they are not probed)."""
    account = removed_indexed(analyst, "umar_khorasani", encoded(picture(29)))
    stored = watched_hashes(account)
    assert len(stored) == WatchAvatar.objects.filter(account=account).count() >= 20
    rng = random.Random(31)
    for distance in range(MATCH_DISTANCE + 1):
        for position, target in enumerate(stored):
            own = spread_flips(target, distance, rng)
            variants = [own, *(f"{rng.getrandbits(256):064x}" for _ in range(7))]
            nearest = min(hamming(own, pdq) for pdq in stored)
            assert nearest <= distance
            found = near_avatars(probe_for(variants))
            assert found.get(account.pk) == nearest, (distance, position)


@pytest.mark.parametrize("distance", [0, 9, 22, 29, 31])
def test_a_hash_within_31_bits_is_found_whatever_the_spread(analyst, platforms, distance):
    account = removed_indexed(analyst, "umar_khorasani", encoded(picture(28)))
    rng = random.Random(distance)
    for _ in range(5):
        near = spread_flips(account.avatar_pdq, distance, rng)
        found = near_avatars(probe_for([near]))
        assert found.get(account.pk) == distance


@pytest.mark.parametrize("distance", [32, 40, 64])
def test_a_hash_beyond_31_bits_is_not_returned(analyst, platforms, distance):
    account = removed_indexed(analyst, "umar_khorasani", encoded(picture(23)))
    crops = WatchAvatar.objects.filter(account=account).values_list("pdq", flat=True)
    far = spread_flips(account.avatar_pdq, distance, random.Random(distance))
    nearest_crop = min((int(far, 16) ^ int(c, 16)).bit_count() for c in crops)
    assert nearest_crop > MATCH_DISTANCE  # the crops do not bring it back either
    assert account.pk not in near_avatars(probe_for([far]))


def test_a_re_encoded_flipped_or_cropped_copy_is_found_through_the_index(analyst, platforms):
    original = removed_indexed(analyst, "umar_khorasani", encoded(picture(24)))
    other = removed_indexed(analyst, "abu_qalam", encoded(picture(25)))
    width, height = picture(24).size
    cropped = picture(24).crop((8, 8, width - 8, height - 8))
    copies = {
        "re-encoded": picture(24).resize((140, 140)),
        "flipped": picture(24).transpose(Image.Transpose.FLIP_LEFT_RIGHT),
        "rotated": picture(24).transpose(Image.Transpose.ROTATE_90),
        "cropped": cropped,
        "cropped and flipped": cropped.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
        "cropped and rotated": cropped.transpose(Image.Transpose.ROTATE_270),
    }
    for name, image in copies.items():
        copy = avatar_hash(io.BytesIO(encoded(image, "JPEG", quality=60)))
        # The upload's own hash alone: the stored rotations and flips do the turning.
        found = near_avatars(probe_for([copy.pdq]))
        assert original.pk in found, name
        assert found[original.pk] <= MATCH_DISTANCE, name
        assert other.pk not in found, name
        assert near_avatars(probe_for(copy.variants)) == found, name  # the others not probed


def test_nearest_first_and_limited(analyst, platforms, monkeypatch):
    from accounts.mirrors import watchlist

    base = removed_indexed(analyst, "umar_khorasani", encoded(picture(34)))
    rng = random.Random(3)
    for distance in (12, 4, 20, 8):
        account = removed_with_avatar(analyst, f"acc_{distance}", encoded(picture(30 + distance)))
        WatchAvatar.objects.filter(account=account).delete()
        pdq = spread_flips(base.avatar_pdq, distance, rng)
        values = dict(zip(WatchAvatar.SLICE_FIELDS, slices(pdq), strict=True))
        WatchAvatar.objects.create(account=account, pdq=pdq, bits=bit_string(pdq), **values)
    monkeypatch.setattr(watchlist, "AVATAR_LIMIT", 3)
    found = near_avatars(probe_for([base.avatar_pdq]))
    assert list(found.values()) == [0, 4, 8]


def test_an_avatar_check_runs_a_bounded_number_of_queries(analyst, platforms):
    for seed in range(40, 52):
        removed_with_avatar(analyst, f"acc_{seed}", encoded(picture(seed)))
    copy = avatar_hash(io.BytesIO(encoded(picture(45).resize((120, 120)), "JPEG", quality=50)))
    with CaptureQueriesContext(connection) as one:
        found = candidate_ids(probe_for(copy.variants))
    assert len(found) == 1
    avatar_queries = [q for q in one.captured_queries if "accounts_watchavatar" in q["sql"]]
    assert len(avatar_queries) == 1
    with CaptureQueriesContext(connection) as check:
        services.mirror_check(platform="x", handle="qalam_nur", avatar=upload(
            encoded(picture(45).resize((120, 120)), "JPEG", quality=50), "a.jpg"
        ))  # fmt: skip
    assert len(check.captured_queries) <= 12


def test_removal_and_restoring_write_and_withdraw_the_avatar_rows(analyst, platforms):
    account = removed_indexed(analyst, "umar_khorasani", encoded(picture(27)))
    assert WatchAvatar.objects.filter(account=account).count() == len(watched_hashes(account))
    services.account_set_status(account=account, user=analyst, status=AccountStatus.ACTIVE)
    assert not WatchAvatar.objects.filter(account=account).exists()


def _migration_named(name):
    return importlib.import_module(f"accounts.migrations.{name}")


def _as_before_0013(account):
    """The account as migration 0012 left it: no variants, its own and its crops' rows only."""
    own = [account.avatar_pdq, *account.avatar_crops]
    WatchAvatar.objects.filter(account=account).exclude(pdq__in=own).delete()
    type(account).objects.filter(pk=account.pk).update(avatar_variants=[])
    account.refresh_from_db()
    assert WatchAvatar.objects.filter(account=account).count() == len(own)


def test_migration_0015_hashes_the_watched_avatars_again_from_their_files(analyst, platforms):
    from django.apps import apps

    migration = _migration_named("0015_rehash_watched_avatars")
    account = removed_indexed(analyst, "umar_khorasani", encoded(picture(36)))
    expected = sorted(watched_hashes(account))
    _as_before_0013(account)
    flipped = avatar_hash(
        io.BytesIO(encoded(picture(36).transpose(Image.Transpose.FLIP_TOP_BOTTOM)))
    )
    assert account.pk not in near_avatars(probe_for([flipped.pdq]))  # the loss it repairs
    with connection.schema_editor() as editor:
        migration.hash_watched(apps, editor)
    account.refresh_from_db()
    assert len(account.avatar_variants) == 24
    rows = WatchAvatar.objects.filter(account=account)
    assert sorted(rows.values_list("pdq", flat=True)) == expected  # the stored file: same hashes
    assert all(row.bits == bit_string(row.pdq) for row in rows)
    assert account.pk in near_avatars(probe_for([flipped.pdq]))
    with connection.schema_editor() as editor:
        migration.drop_variants(apps, editor)  # and back
    assert set(rows.values_list("pdq", flat=True)) == {account.avatar_pdq, *account.avatar_crops}


def test_migration_0014_fills_the_bits_from_the_hex_hash(analyst, platforms):
    from django.apps import apps

    account = removed_indexed(analyst, "umar_khorasani", encoded(picture(37)))
    WatchAvatar.objects.filter(account=account).update(bits="0" * 256)
    with connection.schema_editor() as editor:
        _migration_named("0014_watchavatar_bits_covering").fill_bits(apps, editor)
    rows = WatchAvatar.objects.filter(account=account)
    assert rows.count() == 24 and all(row.bits == bit_string(row.pdq) for row in rows)


def test_an_account_hashed_before_0013_gets_its_variants_when_it_is_removed(analyst, platforms):
    account = removed_indexed(analyst, "umar_khorasani", encoded(picture(33)))
    expected = sorted(watched_hashes(account))
    services.account_set_status(account=account, user=analyst, status=AccountStatus.ACTIVE)
    type(account).objects.filter(pk=account.pk).update(avatar_variants=[])  # hashed before 0013
    account.refresh_from_db()
    services.account_set_status(account=account, user=analyst, status=AccountStatus.REMOVED)
    account.refresh_from_db()
    assert len(account.avatar_variants) == 24
    assert sorted(WatchAvatar.objects.filter(account=account).values_list("pdq", flat=True)) == (
        expected
    )


def test_without_its_file_an_old_avatar_is_watched_with_its_own_and_crop_hashes(analyst, platforms):
    """What migration 0013 cannot repair: no file, no rotations and flips; the same
    orientation is still found, a flipped copy no longer."""
    account = removed_indexed(analyst, "umar_khorasani", encoded(picture(38)))
    services.account_set_status(account=account, user=analyst, status=AccountStatus.ACTIVE)
    account.avatar.delete(save=False)
    type(account).objects.filter(pk=account.pk).update(avatar="", avatar_variants=[])
    account.refresh_from_db()
    services.account_set_status(account=account, user=analyst, status=AccountStatus.REMOVED)
    rows = WatchAvatar.objects.filter(account=account).values_list("pdq", flat=True)
    assert sorted(rows) == sorted({account.avatar_pdq, *account.avatar_crops})
    copy = avatar_hash(io.BytesIO(encoded(picture(38).resize((150, 150)), "JPEG", quality=70)))
    assert account.pk in near_avatars(probe_for([copy.pdq]))
    flipped = avatar_hash(io.BytesIO(encoded(picture(38).transpose(Image.Transpose.ROTATE_180))))
    assert account.pk not in near_avatars(probe_for(flipped.variants))
