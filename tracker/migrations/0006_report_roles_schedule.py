"""Give supervisors the compliance-report permissions and install the monthly report job."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from tracker.roles import sync_roles
from tracker.schedule import schedule_install


def roles_and_schedule(apps, schema_editor):
    # Permissions are normally created after all migrations; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))
    schedule_install(
        periodic_task_model=apps.get_model("django_celery_beat", "PeriodicTask"),
        interval_model=apps.get_model("django_celery_beat", "IntervalSchedule"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0005_compliance_reports"),
        ("takedowns", "0005_letter_templates"),
        ("django_celery_beat", "__latest__"),
        ("auth", "__latest__"),
    ]

    operations = [migrations.RunPython(roles_and_schedule, migrations.RunPython.noop)]
