"""The security log is append-only on PostgreSQL (a trigger refuses UPDATE and DELETE), and
administrators get the lockout and second-factor models (unlocking, resetting a device)."""

from django.db import migrations

from core.append_only import append_only
from tracker.roles import sync_roles_in_migration


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0005_security_event"),
        ("axes", "__latest__"),
        ("otp_totp", "__latest__"),
        ("otp_static", "__latest__"),
    ]

    operations = [
        append_only(
            table="tracker_securityevent",
            name="tracker_securityevent_append_only",
            message="security event % cannot be changed or deleted",
        ),
        migrations.RunPython(sync_roles_in_migration, migrations.RunPython.noop),
    ]
