"""Settings for the test suite: the real settings plus test-only speed-ups."""

import os

# Tasks run at once, in the process that enqueues them, so a test sees the
# mail a form sent; tests/portal/test_tasks.py runs real workers on the database backend.
os.environ.setdefault("PORTAL_TASKS", "immediate")

from portal.settings import *  # noqa: E402, F403

# Hashing passwords slowly protects real users, not test fixtures.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Uploads go to a folder of the test session (tests/conftest.py), never to var/media.
