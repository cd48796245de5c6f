"""Limits for public forms, per client address and per e-mail address or customer number.

Counted in the cache, so with Redis (REDIS_URL) all app processes share the
count; with the local-memory cache each process counts for itself.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

# scope: (how many, per how many seconds). Cancelling must stay easy: its
# limits only stop floods, never a person trying again.
LIMITS = {
    "order": (5, 3600),
    "login": (5, 3600),
    "cancel": (20, 3600),
    "withdraw": (20, 3600),
    "newsletter": (5, 3600),
    "email": (5, 3600),
}


def client_address(request):
    """The reader's address: behind our proxy, the one it appended to X-Forwarded-For.

    Only the last entry is the proxy's own observation; earlier ones come from
    the client and could be anything. Without this every reader behind the
    proxy would share one address, and one limit.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last[:45]
    return request.META.get("REMOTE_ADDR", "")


def exceeded(scope, *keys):
    """Count one attempt for each key (an IP address, an e-mail address); True if one is over."""
    limit, seconds = LIMITS[scope]
    over = False
    for key in keys:
        if key:
            over = count(counter(scope, key.strip().lower()), seconds) > limit or over
    return over


def counter(scope, *parts):
    """The cache key counting ``parts`` (hashed: no address is kept in clear)."""
    digest = hashlib.sha256(f"{scope}:{'|'.join(parts)}".encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}"


def count(name, seconds):
    """One more on the counter ``name``, which lives ``seconds`` from its first count."""
    cache.add(name, 0, timeout=seconds)
    try:
        return cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=seconds)
        return 1
