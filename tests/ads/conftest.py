from collections import Counter

import pytest

from ads import counting


@pytest.fixture(autouse=True)
def fresh_tally(monkeypatch):
    """Each test starts with no impressions gathered, and only the test flushes them."""
    monkeypatch.setattr(counting, "_pending", Counter())
    monkeypatch.setattr(counting, "FLUSH_SECONDS", 10**9)
