"""manage.py schedule_sync: create missing periodic tasks and reset them to the settings."""

from django.core.management.base import BaseCommand
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from tracker.schedule import schedule_install


class Command(BaseCommand):
    help = (
        "Create the default periodic tasks that are missing and reset their intervals to the "
        "settings (e.g. after changing DEADLINE_SWEEP_SECONDS); admin edits are overwritten."
    )

    def handle(self, *args, **options):
        changed = schedule_install(
            periodic_task_model=PeriodicTask, interval_model=IntervalSchedule, update=True
        )
        self.stdout.write(
            "Updated: " + ", ".join(changed) if changed else "The schedule matches the settings."
        )
