"""Two app processes, one PostgreSQL, one Redis: one site, also for the public forms' limits."""

import http.cookiejar
import re
import urllib.parse
import urllib.request

import pytest

from portal.lib.ratelimit import LIMITS
from subscriptions.models import NewsletterConsent
from tests.portal.test_page_cache import two_app_processes  # noqa: F401 - the fixture


def sign_up(port, email):
    """As a browser would: fetch the form (CSRF cookie and token), then send it."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://localhost:{port}"
    form = opener.open(f"{base}/newsletter/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "email": email, "consent": "on"}
    ).encode()
    try:
        with opener.open(f"{base}/newsletter/", data=data, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_the_sign_up_limit_counts_across_both_processes(two_app_processes):  # noqa: F811
    first, second = two_app_processes
    allowed, _seconds = LIMITS["newsletter"]

    answers = [sign_up((first, second)[n % 2], f"leser{n}@example.org") for n in range(allowed)]
    refused = sign_up(second if allowed % 2 else first, "noch.einer@example.org")

    assert answers == [200] * allowed  # the redirect to the "fast geschafft" page, followed
    assert refused == 429
    assert NewsletterConsent.objects.count() == allowed
