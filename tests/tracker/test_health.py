from datetime import timedelta

import pytest
from django.utils import timezone

from tests.workers import free_port, need_worker_services, wait_for
from tracker.models import WorkerHeartbeat
from tracker.tasks import worker_heartbeat_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_redis(settings):
    settings.REDIS_URL = ""


def beat(seconds_ago: int) -> None:
    WorkerHeartbeat.objects.create(
        hostname="celery@node1", seen_at=timezone.now() - timedelta(seconds=seconds_ago)
    )


def test_health_is_200_when_database_broker_and_worker_are_alive(client, no_redis):
    beat(10)

    response = client.get("/health/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["redis"] == {
        "ok": True,
        "detail": "not configured: embedded filesystem broker",
    }
    assert body["checks"]["worker"]["ok"] is True
    assert 9 <= body["checks"]["worker"]["age_seconds"] <= 60


def test_health_is_503_before_any_worker_heartbeat(client, no_redis):
    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["status"] == "fail"
    assert response.json()["checks"]["worker"] == {"ok": False, "detail": "no worker heartbeat yet"}


def test_health_is_503_when_the_last_heartbeat_is_too_old(client, no_redis, settings):
    settings.HEALTH_WORKER_MAX_AGE_SECONDS = 120
    beat(600)

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["ok"] is False
    assert response.json()["checks"]["database"] == {"ok": True}


def test_health_is_503_and_names_no_address_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    beat(5)

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == {"ok": False, "detail": "ConnectionError"}
    assert "127.0.0.1" not in response.content.decode()


def test_health_reaches_the_real_redis(client, settings):
    need_worker_services()
    beat(5)

    response = client.get("/health/")

    assert (response.status_code, response.json()["checks"]["redis"]) == (200, {"ok": True})


def test_health_needs_no_login_and_only_answers_get(client, no_redis):
    beat(1)
    assert client.get("/health/").status_code == 200
    assert client.post("/health/").status_code == 405


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_running_the_heartbeat_task_makes_health_pass(client, start_worker):
    start_worker()
    assert client.get("/health/").status_code == 503

    worker_heartbeat_task.delay()  # what beat sends every WORKER_HEARTBEAT_SECONDS

    wait_for(WorkerHeartbeat.objects.exists, timeout=60, what="the heartbeat")
    assert WorkerHeartbeat.objects.get().hostname.startswith("w1@")
    assert client.get("/health/").status_code == 200
