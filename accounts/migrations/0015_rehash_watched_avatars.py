# Written by hand for Django 6.0.10 on 2026-12-02 (see 0013): every watched avatar hashed again
# from its file, its rotations and flips and its crops' added to the watch list. Not atomic: a
# transaction per batch of accounts, so no lock is held for the whole run (files are read and
# hashed), and a failure keeps the batches done before it (run it again:
# an account already done is hashed again and adds nothing).

from django.db import migrations, transaction

BATCH = 200


def hash_watched(apps, schema_editor):
    """Every removed account on the watch list with an avatar file: its picture hashed again
    (accounts.mirrors.avatars.rehash_file, the code's hashing of today), the 24 hashes kept on
    the account and the missing ones added to WatchAvatar. An account whose file is missing or
    unreadable keeps its 1-3 rows (its own and its crops' hashes): a flipped or rotated copy of
    it is then no longer found. Accounts not removed get theirs when they are removed
    (services.watchlist_index)."""
    from accounts.mirrors.avatar_slices import SLICE_FIELDS, bit_string, slices
    from accounts.mirrors.avatars import rehash_file

    FlaggedAccount = apps.get_model("accounts", "FlaggedAccount")
    WatchAvatar = apps.get_model("accounts", "WatchAvatar")
    watched = FlaggedAccount.objects.filter(
        pk__in=WatchAvatar.objects.values_list("account_id", flat=True)
    )
    hashed, unreadable = 0, watched.filter(avatar="").count()
    ids = list(watched.exclude(avatar="").order_by("pk").values_list("pk", flat=True))
    alias = schema_editor.connection.alias
    for start in range(0, len(ids), BATCH):
        # A transaction per batch (the migration is not atomic): each batch's accounts and rows
        # are locked for the batch only, and a failure keeps the batches done before it.
        with transaction.atomic(using=alias):
            for account in FlaggedAccount.objects.filter(pk__in=ids[start : start + BATCH]):
                found = rehash_file(account.avatar)
                if found is None:
                    unreadable += 1
                    continue
                stored = set(
                    WatchAvatar.objects.filter(account=account).values_list("pdq", flat=True)
                )
                WatchAvatar.objects.bulk_create(
                    WatchAvatar(
                        account=account,
                        pdq=pdq,
                        bits=bit_string(pdq),
                        **dict(zip(SLICE_FIELDS, slices(pdq), strict=True)),
                    )
                    for pdq in dict.fromkeys(found.watched)
                    if pdq not in stored
                )
                FlaggedAccount.objects.filter(pk=account.pk).update(
                    avatar_variants=list(found.watched)
                )
                hashed += 1
    if hashed or unreadable:
        print(
            f"\n  avatar variants: {hashed} watched avatars hashed again, {unreadable} without a file"
        )


def analyse(apps, schema_editor):
    """Fresh planner statistics for the grown table and its new indexes (the visibility map
    that lets the index-only scans skip the table is autovacuum's, after the migration)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE accounts_watchavatar")


def drop_variants(apps, schema_editor):
    """Back: each watched avatar's rows are its own and its crops' hashes again."""
    FlaggedAccount = apps.get_model("accounts", "FlaggedAccount")
    WatchAvatar = apps.get_model("accounts", "WatchAvatar")
    for account in FlaggedAccount.objects.exclude(avatar_variants=[]).iterator(chunk_size=500):
        own = [account.avatar_pdq, *account.avatar_crops]
        WatchAvatar.objects.filter(account=account).exclude(pdq__in=own).delete()


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("accounts", "0014_watchavatar_bits_covering"),
    ]

    operations = [
        migrations.RunPython(hash_watched, drop_variants),
        migrations.RunPython(analyse, migrations.RunPython.noop),
    ]
