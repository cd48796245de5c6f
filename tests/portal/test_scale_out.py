"""Two app processes, one PostgreSQL, one Redis: one site, also for the public forms' limits.

The limits live in PostgreSQL, so they hold across processes without Redis too.
"""

import http.cookiejar
import re
import urllib.parse
import urllib.request

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from portal.lib.ratelimit import LIMITS
from portal.sites import FAILURES_PER_USER
from subscriptions.models import NewsletterConsent
from tests.conftest import PASSWORD
from tests.portal.test_page_cache import (
    app_processes,
    two_app_processes,  # noqa: F401 - the fixture
)
from tests.services import child_env


def post_form(port, path, fields, address=None):
    """As a browser would: fetch the form (CSRF cookie and token), then send it.

    ``address`` is the client's, as the proxy in front would append it.
    """
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    if address:
        opener.addheaders = [("X-Forwarded-For", address)]
    base = f"http://localhost:{port}"
    form = opener.open(f"{base}{path}", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
    try:
        with opener.open(f"{base}{path}", data=data, timeout=30) as response:
            return response.status, response.url
    except urllib.error.HTTPError as error:
        return error.code, None


def sign_up(port, email, address=None):
    return post_form(port, "/newsletter/", {"email": email, "consent": "on"}, address)[0]


@pytest.mark.django_db(transaction=True)
def test_the_sign_up_limit_counts_across_both_processes(two_app_processes):  # noqa: F811
    first, second = two_app_processes
    allowed, _seconds = LIMITS["newsletter"]

    answers = [sign_up((first, second)[n % 2], f"leser{n}@example.org") for n in range(allowed)]
    refused = sign_up(second if allowed % 2 else first, "noch.einer@example.org")

    assert answers == [200] * allowed  # the redirect to the "fast geschafft" page, followed
    assert refused == 429
    assert NewsletterConsent.objects.count() == allowed


@pytest.fixture
def two_app_processes_without_redis():
    """Two gunicorn processes on the test database, each with its own local-memory cache,
    behind a "proxy" (the client's address comes in X-Forwarded-For)."""
    env = child_env(DJANGO_CONN_MAX_AGE="0", DJANGO_BEHIND_TLS_PROXY="1")
    assert "REDIS_URL" not in env
    with app_processes(env) as ports:
        yield ports


@pytest.mark.django_db(transaction=True)
def test_locks_and_limits_hold_across_two_app_processes_without_redis(
    two_app_processes_without_redis, django_user_model
):
    first, second = two_app_processes_without_redis
    allowed, _seconds = LIMITS["newsletter"]
    # The app processes run the production hasher, not the suite's fast one.
    django_user_model.objects.create(
        username="redakteurin",
        password=PBKDF2PasswordHasher().encode(PASSWORD, "salz" * 4),
        is_staff=True,
    )

    def log_in(port, password, address="203.0.113.5"):
        fields = {"username": "redakteurin", "password": password}
        status, url = post_form(port, "/admin/login/?next=/admin/", fields, address)
        return "logged in" if url and urllib.parse.urlsplit(url).path == "/admin/" else status

    # One mailbox signing up again and again, from addresses of its own.
    answers = [
        sign_up((first, second)[n % 2], f"leserin+{n}@example.org", f"198.51.100.{n}")
        for n in range(allowed + 1)
    ]
    # A guesser alternating between the processes.
    guesses = [log_in((first, second)[n % 2], "falsch") for n in range(FAILURES_PER_USER)]

    assert answers == [200] * allowed + [429]
    assert NewsletterConsent.objects.count() == allowed
    assert guesses == [200] * FAILURES_PER_USER  # the form again, with its error
    assert log_in(first, PASSWORD) == log_in(second, PASSWORD) == 429
    assert log_in(second, PASSWORD, address="192.0.2.7") == "logged in"
