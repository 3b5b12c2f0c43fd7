"""Celery application, following Celery's "First steps with Django" layout.

Every task's `delay_on_commit` goes through the transactional outbox (tracker/outbox.py), so a
broker outage neither fails the caller's request nor loses the task.
"""

import logging
import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from celery.signals import task_failure

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

logger = logging.getLogger("tracker.tasks")


class OutboxTask(DjangoTask):
    """A task whose *_on_commit calls are written to the outbox with the caller's transaction."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        """Publish after commit; a broker outage neither fails the caller nor loses the task."""
        self.apply_async_on_commit(args, kwargs)

    def apply_async_on_commit(self, args=None, kwargs=None, **options) -> None:
        """Like apply_async, after commit and through the outbox (options: countdown only)."""
        from tracker.outbox import outbox_enqueue

        outbox_enqueue(task_name=self.name, args=args or (), kwargs=kwargs or {}, options=options)


app = Celery("tracker", task_cls=OutboxTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_filesystem_broker_folders(sender, **kwargs):
    # The embedded (no Redis) broker keeps messages in folders that must exist.
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "processed_folder", "control_folder"):
        if sender.conf.broker_url == "filesystem://" and options.get(key):
            os.makedirs(options[key], exist_ok=True)


@task_failure.connect
def _log_task_failure(sender=None, task_id=None, exception=None, args=None, kwargs=None, **extra):
    # Celery logs the traceback; this line carries the context an operator searches by.
    logger.error(
        "task %s[%s] failed: %r (args=%r kwargs=%r retries=%s)",
        getattr(sender, "name", sender),
        task_id,
        exception,
        args,
        kwargs,
        getattr(getattr(sender, "request", None), "retries", None),
    )
