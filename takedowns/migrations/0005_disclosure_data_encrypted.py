"""Disclosed data encrypted at rest: the column becomes text holding Fernet tokens, and every
existing row is encrypted under the newest DISCLOSURE_KEYS key (core/encryption.py)."""

from django.db import migrations

import core.encryption


def _rewrite(schema_editor, convert):
    table = schema_editor.quote_name("takedowns_disclosure")
    with schema_editor.connection.cursor() as cursor:
        # Quoted table name, no input.
        cursor.execute(f"SELECT id, data FROM {table}")  # nosec B608
        rows = cursor.fetchall()
        for pk, value in rows:
            if value is not None:
                cursor.execute(f"UPDATE {table} SET data = %s WHERE id = %s", [convert(value), pk])  # nosec B608


def encrypt_rows(apps, schema_editor):
    def convert(value):
        if value.startswith("gAAAAA"):  # already a Fernet token (a re-run)
            return value
        return core.encryption.encrypt_text(value)

    _rewrite(schema_editor, convert)


def decrypt_rows(apps, schema_editor):
    _rewrite(schema_editor, core.encryption.decrypt_text)


class Migration(migrations.Migration):
    dependencies = [
        ("takedowns", "0004_item_platform"),
    ]

    operations = [
        migrations.AlterField(
            model_name="disclosure",
            name="data",
            field=core.encryption.EncryptedJSONField(default=dict, verbose_name="disclosed data"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
