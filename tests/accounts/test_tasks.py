"""The scheduled refresh of designation lists (accounts/tasks.py), against a local server."""

import logging
import shutil

import pytest

from accounts.models import Designation, DesignationImport
from accounts.tasks import refresh_designations
from tests.accounts.designation_files import sample

pytestmark = pytest.mark.django_db


def test_nothing_configured_logs_and_does_nothing(settings, caplog):
    settings.DESIGNATION_SOURCES = ""

    with caplog.at_level(logging.INFO, logger="accounts.tasks"):
        assert refresh_designations() == []

    assert "No designation list configured in DESIGNATION_SOURCES" in caplog.text
    assert DesignationImport.objects.count() == 0


def test_wrong_configuration_logs_an_error_and_does_nothing(settings, caplog):
    settings.DESIGNATION_SOURCES = "interpol=https://example.org/list.xml"

    with caplog.at_level(logging.ERROR, logger="accounts.tasks"):
        assert refresh_designations() == []

    assert "unknown source 'interpol'" in caplog.text
    assert DesignationImport.objects.count() == 0


def test_each_configured_list_is_imported_and_one_failure_does_not_stop_the_others(
    settings, list_server
):
    folder, base = list_server
    shutil.copy(sample("un_sample.xml"), folder / "consolidated.xml")
    shutil.copy(sample("nacta_sample.csv"), folder / "nacta.csv")
    settings.DESIGNATION_SOURCES = (
        f'{{"un": "{base}/consolidated.xml", "eu": "{base}/missing.xml", '
        f'"nacta": "{base}/nacta.csv"}}'
    )

    results = refresh_designations()

    runs = {run.source: run for run in DesignationImport.objects.all()}
    assert [(r["source"], r["status"], r["import_id"]) for r in results] == [
        ("un", "succeeded", runs["un"].pk),
        ("eu", "failed", runs["eu"].pk),
        ("nacta", "succeeded", runs["nacta"].pk),
    ]
    assert "404" in results[1]["error"]
    assert Designation.objects.filter(authority__in=["un", "pk_nacta"]).count() == 10


def test_running_twice_changes_nothing_the_second_time(settings, list_server):
    folder, base = list_server
    shutil.copy(sample("un_sample.xml"), folder / "consolidated.xml")
    settings.DESIGNATION_SOURCES = f"un={base}/consolidated.xml"

    refresh_designations()
    refresh_designations()

    second = DesignationImport.objects.order_by("pk").last()
    assert (second.created_count, second.unchanged_count) == (0, 4)


def _redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(url) and redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_refresh_from_the_broker(settings, list_server):
    from celery.contrib.testing.worker import start_worker

    from tests.conftest import need
    from tracker.celery import app

    need(_redis_reachable(settings.REDIS_URL), "Redis (REDIS_URL)")
    folder, base = list_server
    shutil.copy(sample("un_sample.xml"), folder / "consolidated.xml")
    settings.DESIGNATION_SOURCES = f"un={base}/consolidated.xml"

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        refresh_designations.delay()
        run = _wait_for_run()

    assert (run.status, run.created_count, run.started_by) == ("succeeded", 4, None)


def _wait_for_run(attempts: int = 300) -> DesignationImport:
    # The worker commits the run when the import ends; poll for it (a wait, not a timing test).
    import time

    for _ in range(attempts):
        run = DesignationImport.objects.filter(status="succeeded").first()
        if run is not None:
            return run
        time.sleep(0.1)
    raise AssertionError("the worker did not import the list in 30 seconds")
