"""A PostgreSQL trigger that refuses UPDATE and DELETE of a table's rows, for migrations.

Custody records (evidence, the security log) must not change even through raw SQL; other
databases rely on the models alone.
"""

from django.db import migrations


def append_only(*, table: str, name: str, message: str) -> migrations.RunPython:
    """The migration operation installing trigger (and function) `name` on `table`;
    `message` may hold one % for the row's id."""
    forward_sql = f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{message}', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {name}
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {name}();
"""
    backward_sql = f"""
DROP TRIGGER IF EXISTS {name} ON {table};
DROP FUNCTION IF EXISTS {name}();
"""

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(forward_sql, None)

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(backward_sql, None)

    return migrations.RunPython(forward, backward)
