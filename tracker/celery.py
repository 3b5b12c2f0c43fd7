"""Celery application, following Celery's "First steps with Django" layout."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_filesystem_broker_folders(sender, **kwargs):
    # The embedded (no Redis) broker keeps messages in folders that must exist.
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "processed_folder"):
        if sender.conf.broker_url == "filesystem://" and options.get(key):
            os.makedirs(options[key], exist_ok=True)
