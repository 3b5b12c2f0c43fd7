"""Install the hourly expiry of STIX import previews never confirmed."""

from django.db import migrations

from tracker.schedule import schedule_install


def install(apps, schema_editor):
    schedule_install(
        periodic_task_model=apps.get_model("django_celery_beat", "PeriodicTask"),
        interval_model=apps.get_model("django_celery_beat", "IntervalSchedule"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0008_feed_roles"),
        ("django_celery_beat", "__latest__"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
