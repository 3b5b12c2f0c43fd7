"""The default periodic tasks, kept in the database by django-celery-beat and edited in the
admin; a data migration installs them and `manage.py schedule_sync` re-applies the settings."""

from django.conf import settings


def default_schedule() -> list[tuple[str, str, int]]:
    """(name, task, every N seconds) of each periodic task, from the settings."""
    return [
        ("Deadline sweep", "takedowns.tasks.deadline_sweep_task", settings.DEADLINE_SWEEP_SECONDS),
        ("Deliver due webhooks", "takedowns.tasks.webhooks_deliver_due_task", 60),
        (
            "Re-check account statuses",
            "takedowns.tasks.accounts_recheck_task",
            settings.ACCOUNT_RECHECK_MINUTES * 60,
        ),
        (
            "Refresh designation lists",
            "accounts.refresh_designations",
            settings.DESIGNATION_REFRESH_HOURS * 3600,
        ),
        (
            "Refit the mirror score",
            "accounts.mirror_model_refit",
            settings.MIRROR_REFIT_HOURS * 3600,
        ),
        ("Drain the task outbox", "tracker.tasks.outbox_drain_task", 60),
        ("Expire STIX import previews", "sharing.stix_previews_expire", 3600),
        (
            "Monthly compliance report",
            "tracker.tasks.compliance_report_monthly_task",
            settings.COMPLIANCE_REPORT_CHECK_SECONDS,
        ),
        (
            "Worker heartbeat",
            "tracker.tasks.worker_heartbeat_task",
            settings.WORKER_HEARTBEAT_SECONDS,
        ),
    ]


def schedule_install(*, periodic_task_model, interval_model, update: bool = False) -> list[str]:
    """Create the missing periodic tasks; with update, reset existing ones to the settings.

    Takes the model classes so that a migration can pass its historical models. Each tick
    expires after one interval: ticks queued while no worker ran are dropped, not piled up.
    """
    changed = []
    for name, task, seconds in default_schedule():
        interval, _ = interval_model.objects.get_or_create(every=seconds, period="seconds")
        values = {"task": task, "interval": interval, "expire_seconds": seconds, "enabled": True}
        existing = periodic_task_model.objects.filter(name=name).first()
        if existing is None:
            periodic_task_model.objects.create(name=name, **values)
            changed.append(name)
        elif update and any(getattr(existing, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(existing, key, value)
            existing.save()
            changed.append(name)
    return changed
