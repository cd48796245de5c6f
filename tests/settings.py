"""Settings for the test suite: the real settings plus test-only speed-ups."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-secret")

from portal.settings import *  # noqa: E402, F403

# Hashing passwords slowly protects real users, not test fixtures.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests render templates without running collectstatic first.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Static files come from the finders; nothing is collected for a test run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Uploads go to a folder of the test session (tests/conftest.py), never to var/media.
