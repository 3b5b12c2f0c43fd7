"""Create the Analyst, Supervisor and Administrator groups with their permissions."""

from django.db import migrations

from tracker.roles import sync_roles_in_migration


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0001_initial"),
        ("accounts", "0003_evidence_immutable"),
        ("takedowns", "0002_initial"),
        ("django_celery_beat", "__latest__"),
        ("auth", "__latest__"),
        ("contenttypes", "__latest__"),
    ]

    operations = [migrations.RunPython(sync_roles_in_migration, migrations.RunPython.noop)]
