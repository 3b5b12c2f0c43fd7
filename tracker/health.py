"""GET /health/: database, Redis and worker liveness as JSON; 200 when all pass, else 503.

Open without login (load balancers and orchestrators call it) and so it names no host,
address or error text; the worker check reads the heartbeat that a worker writes when it runs
the periodic heartbeat task, so it also fails when beat or the broker is down.
"""

import logging

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def check_database() -> dict:
    """The default database answers a query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def check_redis() -> dict:
    """Redis (broker and cache) answers PING; passes when the embedded broker is in use."""
    if not settings.REDIS_URL:
        return {"ok": True, "detail": "not configured: embedded filesystem broker"}
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return {"ok": True}


def check_worker(*, now=None) -> dict:
    """A worker ran the heartbeat task within HEALTH_WORKER_MAX_AGE_SECONDS."""
    now = now or timezone.now()
    seen = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    if seen is None:
        return {"ok": False, "detail": "no worker heartbeat yet"}
    age = round((now - seen).total_seconds())
    return {
        "ok": age <= settings.HEALTH_WORKER_MAX_AGE_SECONDS,
        "last_heartbeat": seen.isoformat(),
        "age_seconds": age,
    }


CHECKS = {"database": check_database, "redis": check_redis, "worker": check_worker}


@never_cache
@require_GET
def health(request):
    """Run every check; a check that raises fails without failing the others."""
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:
            logger.warning("health check %s failed: %r", name, exc)
            results[name] = {"ok": False, "detail": type(exc).__name__}
    ok = all(r["ok"] for r in results.values())
    return JsonResponse(
        {"status": "ok" if ok else "fail", "checks": results}, status=200 if ok else 503
    )
