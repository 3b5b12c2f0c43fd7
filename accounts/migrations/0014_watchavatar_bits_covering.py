# Written by hand for Django 6.0.10 on 2026-12-02 (see 0013): WatchAvatar gets its hash as
# bit(256) and slice b-trees that carry it (index-only look-ups). Locks WatchAvatar (not the
# accounts) for the UPDATE and the 16 index builds: mirror checks wait for it, nothing else.

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


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0013_flaggedaccount_avatar_variants"),
    ]

    operations = [
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
    ]
