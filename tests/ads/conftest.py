from collections import Counter

import pytest
from django.test import Client

from ads import counting

# What a reader's browser calls itself; a client without a name is a script.
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


@pytest.fixture(autouse=True)
def fresh_tally(monkeypatch):
    """Each test starts with no impressions gathered, and only the test flushes them."""
    monkeypatch.setattr(counting, "_pending", Counter())
    monkeypatch.setattr(counting, "FLUSH_SECONDS", 10**9)


@pytest.fixture
def client():
    """The anonymous reader, in a browser that names itself as browsers do."""
    return Client(HTTP_USER_AGENT=FIREFOX)
