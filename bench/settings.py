"""The benchmark's settings: production settings plus the framework-floor page.

Only `make bench` uses this module (DJANGO_SETTINGS_MODULE=bench.settings);
the floor view exists nowhere else. BENCH_CACHE=off swaps the cache for a
dummy one, to measure pages that are never cached.
"""

import os

from portal.settings import *  # noqa: F403
from portal.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
STATIC_ROOT = BASE_DIR / "var" / "bench" / "static"

# The newsroom phase turns the IT-Guide Plus box every 15 s instead of 15 min.
ITGUIDE_PLUS_ROTATION_SECONDS = int(os.getenv("BENCH_PLUS_ROTATION_SECONDS", "900"))

if os.getenv("BENCH_CACHE") == "off":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
