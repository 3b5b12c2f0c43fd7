"""pg_trgm GIN indexes over the watch list's folded handle keys and display-name keys, on
PostgreSQL only (SQLite, for development, looks similar keys up by a scan: accounts/mirrors).

On the expression lower(value), not on value: gin_trgm_ops also answers `=`, and the planner
then took the GIN index for the exact look-ups (`value IN (...)`), 700 ms instead of the b-tree's
fraction of one. The keys are lower case already, so lower(value) is the value."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "watchsignal_handle_trgm_idx": "handle",
    "watchsignal_name_trgm_idx": "name",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, kind in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON accounts_watchsignal "
            f"USING gin ((lower(value)) gin_trgm_ops) WHERE kind = '{kind}'"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_mirror_engine"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
