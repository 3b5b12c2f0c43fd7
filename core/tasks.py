"""Queueing a background task by its name, so that the code which asks for work never imports
the module that does it (services -> tasks -> services would be a circle)."""

from celery import current_app


def enqueue_on_commit(task_name: str, *args, **options) -> None:
    """Queue `task_name(*args)` once the current transaction commits.

    The project's Celery app gives every task an `apply_async_on_commit` that goes through its
    transactional outbox (a broker outage neither fails the caller nor loses the task); options
    are what that outbox carries (`countdown`).
    """
    app = current_app
    task = app.tasks.get(task_name)
    if task is None:
        # Autodiscovery: import every app's tasks module once, in a process that had not yet.
        app.loader.import_default_modules()
        task = app.tasks[task_name]
    task.apply_async_on_commit(args, **options)
