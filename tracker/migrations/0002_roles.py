"""Create the Analyst, Supervisor and Administrator groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from tracker.roles import sync_roles


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0001_initial"),
        ("accounts", "0003_evidence_immutable"),
        ("takedowns", "0002_initial"),
        ("django_celery_beat", "__latest__"),
        ("auth", "__latest__"),
        ("contenttypes", "__latest__"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
