"""What a test needs to start another process of ours, and the services a machine may lack.

Every test that starts gunicorn, a child Python or a PostgreSQL client tool
takes its environment from ``child_env()``: the child then reaches the very
database the suite uses, be it a TCP server (DATABASE_URL) or the embedded
server's socket folder. No test spells out a database address of its own.

Redis and Chromium may be missing on a newcomer's machine: tests that need
them skip and name what to install. Under ``PORTAL_REQUIRE_SERVICES=1`` (set
by .ci/run) a missing service fails the test instead, so CI cannot go green
by skipping.
"""

import os
from urllib.parse import quote, urlencode

import pytest
from django.db import connection

# A Redis database of its own, so a test may empty it; PORTAL_TEST_REDIS_URL points elsewhere.
REDIS_URL = os.getenv("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def database_url(db=None):
    """The suite's database as a DATABASE_URL that portal.settings reads back unchanged."""
    db = db or connection.settings_dict
    login = quote(db["USER"], safe="")
    if db["PASSWORD"]:
        login += ":" + quote(db["PASSWORD"], safe="")
    name = quote(db["NAME"], safe="")
    host = db["HOST"] or "127.0.0.1"
    if host.startswith("/"):  # the embedded server's socket folder
        query = {"host": host, **({"port": db["PORT"]} if db["PORT"] else {})}
        return f"postgres://{login}@/{name}?{urlencode(query)}"
    return f"postgres://{login}@{host}:{db['PORT'] or 5432}/{name}"


def child_env(db=None, **variables):
    """The environment for a process of ours: this machine's, none of the suite's settings
    variables, and DATABASE_URL naming the suite's database (or ``db``)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PORTAL_", "EMAIL_")) and key != "REDIS_URL"
    }
    env["DATABASE_URL"] = database_url(db)
    env.update(variables)
    return env


def services_required():
    return os.getenv("PORTAL_REQUIRE_SERVICES", "") == "1"


def missing(service, how_to_get_it):
    """Skip the test and say what to install; under PORTAL_REQUIRE_SERVICES=1 fail instead."""
    if services_required():
        pytest.fail(f"{service} is missing and PORTAL_REQUIRE_SERVICES=1 ({how_to_get_it})")
    pytest.skip(f"{service} is missing ({how_to_get_it}): skipped")


@pytest.fixture
def redis_server():
    """An empty Redis database for the test, or a skip that names how to get Redis."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.flushdb()
    except redis.exceptions.ConnectionError:
        missing(
            f"Redis at {REDIS_URL}",
            "apt-get install -y redis-server, or set PORTAL_TEST_REDIS_URL",
        )
    yield REDIS_URL
    client.close()
