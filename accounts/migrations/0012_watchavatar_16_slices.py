# Written by hand for Django 6.0.10 on 2026-12-01: WatchAvatar's 11 slices of 23 bits become 16
# slices of 16 bits (accounts.mirrors.avatar_slices), converted in place.

from django.db import migrations, models

# The layouts this migration converts between, frozen here (the code's layout may change later;
# tests/accounts/test_mirrors_avatar_index.py checks that NEW matches the code's today).
OLD = (11, 23)
NEW = (16, 16)


def slice_sql(layout) -> str:
    count, bits = layout
    return ", ".join(
        f"s{i} = substring(('x' || pdq)::bit(256) from {1 + bits * i} for {bits})::integer"
        for i in range(count)
    )


def python_slices(pdq: str, layout) -> dict:
    count, bits = layout
    value, mask = int(pdq, 16), (1 << bits) - 1
    return {f"s{i}": (value >> (256 - bits * (i + 1))) & mask for i in range(count)}


def reslice(layout):
    def run(apps, schema_editor):
        """Every WatchAvatar row's slices recomputed from its hash: one UPDATE on PostgreSQL."""
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"UPDATE accounts_watchavatar SET {slice_sql(layout)}")  # nosec B608
            return
        WatchAvatar = apps.get_model("accounts", "WatchAvatar")
        rows = list(WatchAvatar.objects.all())
        for row in rows:
            for field, value in python_slices(row.pdq, layout).items():
                setattr(row, field, value)
        fields = [f"s{i}" for i in range(layout[0])]
        WatchAvatar.objects.bulk_update(rows, fields, batch_size=2000)

    return run


def analyse(apps, schema_editor):
    """Fresh planner statistics for the rewritten table and its new indexes."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE accounts_watchavatar")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0011_watchavatar"),
    ]

    operations = [
        *(
            migrations.RemoveIndex(model_name="watchavatar", name=f"watchavatar_s{i}_idx")
            for i in range(OLD[0])
        ),
        *(
            migrations.AddField(
                model_name="watchavatar",
                name=f"s{i}",
                field=models.IntegerField(default=0),
                preserve_default=False,
            )
            for i in range(OLD[0], NEW[0])
        ),
        migrations.RunPython(reslice(NEW), reslice(OLD)),
        *(
            migrations.AddIndex(
                model_name="watchavatar",
                index=models.Index(fields=[f"s{i}"], name=f"watchavatar_s{i}_idx"),
            )
            for i in range(NEW[0])
        ),
        migrations.RunPython(analyse, migrations.RunPython.noop),
    ]
