"""Limits for public forms, per client address and per e-mail address or customer number.

Counted in the cache, so with Redis (REDIS_URL) all app processes share the
count; with the local-memory cache each process counts for itself.
"""

import hashlib

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
    return request.META.get("REMOTE_ADDR", "")


def exceeded(scope, *keys):
    """Count one attempt for each key (an IP address, an e-mail address); True if one is over."""
    limit, seconds = LIMITS[scope]
    over = False
    for key in keys:
        if not key:
            continue
        digest = hashlib.sha256(f"{scope}:{key.strip().lower()}".encode()).hexdigest()[:32]
        name = f"ratelimit:{scope}:{digest}"
        cache.add(name, 0, timeout=seconds)
        try:
            count = cache.incr(name)
        except ValueError:  # expired between add and incr
            cache.add(name, 1, timeout=seconds)
            count = 1
        over = over or count > limit
    return over
