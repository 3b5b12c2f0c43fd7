"""Queueing a background task by its name, so that the code which asks for work never imports
the module that does it (services -> tasks -> services would be a circle)."""

import threading

from celery import current_app

# Celery's autodiscovery answers a second thread at once, with nothing imported, while a first
# thread is still importing the tasks modules (its _RACE_PROTECTION flag): in a threaded web
# server the first requests of a process that queue a task then failed with NotRegistered (a
# 500 under load). One thread at a time discovers; the others wait for it.
_discovery = threading.Lock()


def task_by_name(task_name: str):
    """The registered task `task_name`, importing every app's tasks module first if needed."""
    app = current_app
    task = app.tasks.get(task_name)
    if task is None:
        with _discovery:
            task = app.tasks.get(task_name)
            if task is None:
                # Autodiscovery: import every app's tasks module once, in a process that had not.
                app.loader.import_default_modules()
                task = app.tasks[task_name]
    return task


def enqueue_on_commit(task_name: str, *args, **options) -> None:
    """Queue `task_name(*args)` once the current transaction commits.

    The project's Celery app gives every task an `apply_async_on_commit` that goes through its
    transactional outbox (a broker outage neither fails the caller nor loses the task); options
    are what that outbox carries (`countdown`).
    """
    task_by_name(task_name).apply_async_on_commit(args, **options)
