"""The security log is append-only on PostgreSQL (a trigger refuses UPDATE and DELETE), and
administrators get the lockout and second-factor models (unlocking, resetting a device)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from tracker.roles import sync_roles

FORWARD = """
CREATE OR REPLACE FUNCTION tracker_securityevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'security event % cannot be changed or deleted', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER tracker_securityevent_append_only
    BEFORE UPDATE OR DELETE ON tracker_securityevent
    FOR EACH ROW EXECUTE FUNCTION tracker_securityevent_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS tracker_securityevent_append_only ON tracker_securityevent;
DROP FUNCTION IF EXISTS tracker_securityevent_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, None)


def resync_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0005_security_event"),
        ("axes", "__latest__"),
        ("otp_totp", "__latest__"),
        ("otp_static", "__latest__"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.RunPython(resync_roles, migrations.RunPython.noop),
    ]
