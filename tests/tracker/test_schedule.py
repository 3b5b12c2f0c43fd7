import io

import pytest
from django.core.management import call_command
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from tracker.schedule import schedule_install

pytestmark = pytest.mark.django_db


def schedule():
    return {
        t.name: (t.task, t.interval.every, t.interval.period, t.expire_seconds, t.enabled)
        for t in PeriodicTask.objects.select_related("interval")
    }


def test_migration_installs_the_periodic_tasks_in_the_database():
    assert schedule() == {
        "Deadline sweep": ("takedowns.tasks.deadline_sweep_task", 60, "seconds", 60, True),
        "Deliver due webhooks": (
            "takedowns.tasks.webhooks_deliver_due_task",
            60,
            "seconds",
            60,
            True,
        ),
        "Re-check account statuses": (
            "takedowns.tasks.accounts_recheck_task",
            900,
            "seconds",
            900,
            True,
        ),
        "Refresh designation lists": (
            "accounts.refresh_designations",
            86400,
            "seconds",
            86400,
            True,
        ),
        "Refit the mirror score": (
            "accounts.mirror_model_refit",
            86400,
            "seconds",
            86400,
            True,
        ),
        "Drain the task outbox": ("tracker.tasks.outbox_drain_task", 60, "seconds", 60, True),
        "Expire STIX import previews": (
            "sharing.stix_previews_expire",
            3600,
            "seconds",
            3600,
            True,
        ),
        "Worker heartbeat": ("tracker.tasks.worker_heartbeat_task", 30, "seconds", 30, True),
        "Monthly compliance report": (
            "tracker.tasks.compliance_report_monthly_task",
            3600,
            "seconds",
            3600,
            True,
        ),
    }


def test_every_scheduled_task_exists():
    from tracker.celery import app

    app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    assert {t.task for t in PeriodicTask.objects.all()} <= set(app.tasks)


def test_deadline_sweep_seconds_sets_the_sweep_interval_on_a_fresh_install(settings):
    settings.DEADLINE_SWEEP_SECONDS = 20
    PeriodicTask.objects.all().delete()

    schedule_install(periodic_task_model=PeriodicTask, interval_model=IntervalSchedule)

    assert schedule()["Deadline sweep"][1:4] == (20, "seconds", 20)


def test_install_keeps_admin_edits_and_schedule_sync_resets_them(settings):
    sweep = PeriodicTask.objects.get(name="Deadline sweep")
    sweep.interval = IntervalSchedule.objects.create(every=300, period="seconds")
    sweep.save()

    schedule_install(periodic_task_model=PeriodicTask, interval_model=IntervalSchedule)
    assert schedule()["Deadline sweep"][1] == 300

    settings.DEADLINE_SWEEP_SECONDS = 45
    out = io.StringIO()
    call_command("schedule_sync", stdout=out)
    assert schedule()["Deadline sweep"][1:4] == (45, "seconds", 45)
    assert out.getvalue().strip() == "Updated: Deadline sweep"
