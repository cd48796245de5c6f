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

if os.getenv("BENCH_CACHE") == "off":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
