"""core.tasks finds a task by name in a process that has not imported any tasks module yet."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A fresh process (nothing discovered yet) in which eight threads ask for tasks at the same
# moment, as the threads of a gunicorn worker do on its first requests that queue work.
FIRST_LOOKUPS_AT_ONCE = """
import threading

import django

django.setup()
from core.tasks import task_by_name

names = ["takedowns.tasks.webhook_deliver_task", "takedowns.tasks.notification_email_task"] * 4
barrier, found, errors = threading.Barrier(len(names)), [], []


def look_up(name):
    barrier.wait()
    try:
        found.append(task_by_name(name).name)
    except Exception as exc:
        errors.append(repr(exc))


threads = [threading.Thread(target=look_up, args=(name,)) for name in names]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sorted(found))
print(errors)
"""


def test_threads_looking_up_tasks_at_once_in_a_fresh_process_all_find_them():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tracker.settings", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", FIRST_LOOKUPS_AT_ONCE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    found, errors = result.stdout.strip().splitlines()[-2:]
    # Celery's autodiscovery answered the other threads with nothing imported (NotRegistered).
    assert errors == "[]"
    assert found == str(
        sorted(
            ["takedowns.tasks.notification_email_task"] * 4
            + ["takedowns.tasks.webhook_deliver_task"] * 4
        )
    )
