"""Settings for the test suite: the real settings plus test-only speed-ups."""

from portal.settings import *  # noqa: F403

# Hashing passwords slowly protects real users, not test fixtures.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Uploads go to a folder of the test session (tests/conftest.py), never to var/media.
