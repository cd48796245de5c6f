"""The shared cache, forgiving: a Redis that is down or slow makes pages slower, never errors.

Everything kept in the cache can be made again (pages, fragments) or may
be lost (rate-limit counts), so a failed call is logged and answered as a
miss.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _forgiving(name, fallback):
    method = getattr(RedisCache, name)

    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNAVAILABLE as error:
            logger.warning("Cache unavailable (%s): %s", name, error)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    call.__name__ = name
    return call


def _default(key, default=None, *args, **kwargs):
    return default


def _compute(key, default, *args, **kwargs):
    return default() if callable(default) else default


class ForgivingRedisCache(RedisCache):
    get = _forgiving("get", _default)
    set = _forgiving("set", None)
    add = _forgiving("add", False)
    delete = _forgiving("delete", False)
    get_many = _forgiving("get_many", {})
    set_many = _forgiving("set_many", [])
    get_or_set = _forgiving("get_or_set", _compute)
    # A rate-limit count that cannot be read counts as the first.
    incr = _forgiving("incr", 1)
    touch = _forgiving("touch", False)
    has_key = _forgiving("has_key", False)
