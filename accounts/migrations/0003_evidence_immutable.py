"""On PostgreSQL, refuse UPDATE and DELETE of evidence rows in the database itself (custody)."""

from django.db import migrations

from core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [
        append_only(
            table="accounts_evidence",
            name="accounts_evidence_immutable",
            message="evidence % cannot be changed after capture",
        )
    ]
