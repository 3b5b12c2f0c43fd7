"""Project-wide periodic tasks: drain the outbox, record worker heartbeats, build the monthly
compliance reports."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .models import WorkerHeartbeat
from .outbox import outbox_drain
from .reports.services import compliance_reports_monthly


@shared_task(ignore_result=True)
def outbox_drain_task() -> int:
    """Publish the task calls that could not reach the broker when they were made."""
    return outbox_drain()


@shared_task(bind=True, ignore_result=True)
def worker_heartbeat_task(self) -> None:
    """Record that a worker is consuming the queue (beat -> broker -> worker -> database)."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        hostname=self.request.hostname or "unknown", defaults={"seen_at": now}
    )
    # Workers come and go with deployments; forget the ones silent for a day.
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()


@shared_task(ignore_result=True)
def compliance_report_monthly_task() -> int:
    """Build (once) and e-mail last month's compliance reports; runs every hour, idempotent."""
    return len(compliance_reports_monthly())
