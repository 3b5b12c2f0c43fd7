# Written by hand for Django 6.0.10 on 2026-12-02: the watch list stores the rotations and flips
# of every removed avatar and of its crops (FlaggedAccount.avatar_variants, one WatchAvatar row
# each), so that a check probes the upload's own hash only (accounts.mirrors.avatar_slices);
# WatchAvatar gets its hash as bit(256) and slice b-trees that carry it (index-only look-ups).

from django.db import migrations, models

import accounts.mirrors.models

SLICES = 16  # migration 0012's layout, unchanged


def fill_bits(apps, schema_editor):
    """Every WatchAvatar row's bit(256) from its hex hash: one UPDATE on PostgreSQL."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("UPDATE accounts_watchavatar SET bits = ('x' || pdq)::bit(256)")
        return
    WatchAvatar = apps.get_model("accounts", "WatchAvatar")
    rows = list(WatchAvatar.objects.all())
    for row in rows:
        row.bits = f"{int(row.pdq, 16):0256b}"
    WatchAvatar.objects.bulk_update(rows, ["bits"], batch_size=2000)


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
    for account in watched.exclude(avatar="").iterator(chunk_size=500):
        found = rehash_file(account.avatar)
        if found is None:
            unreadable += 1
            continue
        stored = set(WatchAvatar.objects.filter(account=account).values_list("pdq", flat=True))
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
        FlaggedAccount.objects.filter(pk=account.pk).update(avatar_variants=list(found.watched))
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
    dependencies = [
        ("accounts", "0012_watchavatar_16_slices"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name=model,
                name="avatar_variants",
                field=models.JSONField(
                    blank=True, default=list, editable=False, verbose_name="avatar variant hashes"
                ),
            )
            for model in ("flaggedaccount", "historicalflaggedaccount")
        ),
        migrations.AddField(
            model_name="watchavatar",
            name="bits",
            field=accounts.mirrors.models.PdqBits(null=True, verbose_name="PDQ hash bits"),
        ),
        migrations.RunPython(fill_bits, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="watchavatar",
            name="bits",
            field=accounts.mirrors.models.PdqBits(verbose_name="PDQ hash bits"),
        ),
        migrations.RunPython(hash_watched, drop_variants),
        *(
            migrations.RemoveIndex(model_name="watchavatar", name=f"watchavatar_s{i}_idx")
            for i in range(SLICES)
        ),
        *(
            migrations.AddIndex(
                model_name="watchavatar",
                index=models.Index(
                    fields=[f"s{i}"], include=("account", "bits"), name=f"watchavatar_s{i}_idx"
                ),
            )
            for i in range(SLICES)
        ),
        migrations.RunPython(analyse, migrations.RunPython.noop),
    ]
