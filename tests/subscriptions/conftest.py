import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_limits():
    """Rate limits count in the cache: every test starts with none used."""
    cache.clear()
