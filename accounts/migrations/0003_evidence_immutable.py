"""On PostgreSQL, refuse UPDATE and DELETE of evidence rows in the database itself (custody)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION accounts_evidence_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'evidence % cannot be changed after capture', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_evidence_immutable
    BEFORE UPDATE OR DELETE ON accounts_evidence
    FOR EACH ROW EXECUTE FUNCTION accounts_evidence_immutable();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS accounts_evidence_immutable ON accounts_evidence;
DROP FUNCTION IF EXISTS accounts_evidence_immutable();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [migrations.RunPython(forward, backward)]
