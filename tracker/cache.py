"""The shared cache as an optimisation only: when Redis cannot be reached, say so and go on.

Permission sets, API tokens and the dashboard's figures are read from the cache on nearly every
request. If Redis is down, each of these helpers logs a warning and answers as a cache miss, so
callers fall back to the database: the app slows down instead of failing (the task outbox does
the same for Celery). An invalidation that fails while Redis is away is bounded by the timeout
of the entry it meant to drop (PERMISSION_CACHE_SECONDS, TOKEN_CACHE_SECONDS).
"""

import logging

from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _without_cache(operation: str, error: RedisError, default):
    logger.warning("Cache unavailable for %s (%s); using the database instead.", operation, error)
    return default


def cache_get(key: str):
    """The cached value, or None when absent or when the cache cannot be reached."""
    try:
        return cache.get(key)
    except RedisError as error:
        return _without_cache("get", error, None)


def cache_get_many(keys: list[str]) -> dict:
    try:
        return cache.get_many(keys)
    except RedisError as error:
        return _without_cache("get_many", error, {})


def cache_set(key: str, value, timeout) -> None:
    try:
        cache.set(key, value, timeout)
    except RedisError as error:
        _without_cache("set", error, None)


def cache_set_many(values: dict, timeout) -> None:
    try:
        cache.set_many(values, timeout)
    except RedisError as error:
        _without_cache("set_many", error, None)


def cache_add(key: str, value, timeout) -> bool | None:
    """True if stored, False if the key was already there, None if the cache is unreachable."""
    try:
        return cache.add(key, value, timeout)
    except RedisError as error:
        return _without_cache("add", error, None)
