"""The shared cache, forgiving: a Redis that is down or slow makes pages slower, never errors.

Everything kept in the cache can be made again (pages, fragments) or may
be lost (the rate limits count in PostgreSQL instead), so a failed call is
logged and answered as a miss. After a failure the process leaves Redis alone for a few seconds:
otherwise every page would try (and wait for) every cache call in turn.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# How long a process answers from its own fallback after Redis failed it.
PAUSE_SECONDS = 5


def _forgiving(name, fallback):
    method = getattr(RedisCache, name)

    def answer(*args, **kwargs):
        return fallback(*args, **kwargs) if callable(fallback) else fallback

    def call(self, *args, **kwargs):
        if time.monotonic() < self._paused_until:
            return answer(*args, **kwargs)
        try:
            return method(self, *args, **kwargs)
        except UNAVAILABLE as error:
            self._paused_until = time.monotonic() + PAUSE_SECONDS
            logger.warning(
                "Cache unavailable (%s), not asked for %d s: %s", name, PAUSE_SECONDS, error
            )
            return answer(*args, **kwargs)

    call.__name__ = name
    return call


def _default(key, default=None, *args, **kwargs):
    return default


class ForgivingRedisCache(RedisCache):
    _paused_until = 0.0

    get = _forgiving("get", _default)
    set = _forgiving("set", None)
    add = _forgiving("add", False)
    delete = _forgiving("delete", False)
    get_many = _forgiving("get_many", {})
    set_many = _forgiving("set_many", [])
    # A count that cannot be read counts as the first.
    incr = _forgiving("incr", 1)
    touch = _forgiving("touch", False)
    has_key = _forgiving("has_key", False)
