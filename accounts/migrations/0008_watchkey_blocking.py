"""The watch list's blocking keys (accounts.mirrors.blocking): one bigint hash per folded handle
or display-name key and per variant one deletion away, with a b-tree; filled here from the
handle and name rows already on the watch list. They replace the pg_trgm look-up, whose GIN
indexes (migration 0007) are dropped: nothing reads them any more and every removal paid for
them."""

import django.db.models.deletion
from django.db import migrations, models

from accounts.mirrors.blocking import stored_keys

BATCH = 5_000


def fill_keys(apps, schema_editor):
    WatchSignal = apps.get_model("accounts", "WatchSignal")
    WatchKey = apps.get_model("accounts", "WatchKey")
    signals: dict[int, tuple[list, list]] = {}
    rows = WatchSignal.objects.filter(kind__in=["handle", "name"]).values_list(
        "account_id", "kind", "value"
    )
    for account_id, kind, value in rows.iterator(chunk_size=BATCH):
        handles, names = signals.setdefault(account_id, ([], []))
        if kind == "handle":
            handles.append(value)
        elif not value.startswith("~"):  # the consonant skeleton is looked up exactly
            names.append(value.removeprefix("ar:"))
    batch = []
    for account_id, (handles, names) in signals.items():
        keys = stored_keys(tuple(handles), names[0] if names else "")
        batch += [WatchKey(account_id=account_id, key=key) for key in keys]
        if len(batch) >= BATCH:
            WatchKey.objects.bulk_create(batch)
            batch = []
    WatchKey.objects.bulk_create(batch)


def drop_trigram(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in ("watchsignal_handle_trgm_idx", "watchsignal_name_trgm_idx"):
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def restore_trigram(apps, schema_editor):
    from importlib import import_module

    import_module("accounts.migrations.0007_watchsignal_trigram").create_indexes(
        apps, schema_editor
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_watchsignal_trigram"),
    ]

    operations = [
        migrations.CreateModel(
            name="WatchKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.BigIntegerField(verbose_name="key hash")),
                (
                    "account",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="watch_keys",
                        to="accounts.flaggedaccount",
                        verbose_name="removed account",
                    ),
                ),
            ],
            options={
                "verbose_name": "watch-list blocking key",
                "verbose_name_plural": "watch-list blocking keys",
                "indexes": [
                    models.Index(fields=["key"], name="watchkey_key_idx"),
                    models.Index(fields=["account"], name="watchkey_account_idx"),
                ],
            },
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.RunPython(drop_trigram, restore_trigram),
    ]
