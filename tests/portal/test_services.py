"""A missing Redis or Chromium skips on a newcomer's machine and fails in CI."""

import pytest

from tests.services import missing


def test_a_missing_service_skips_and_says_what_to_install(monkeypatch):
    monkeypatch.delenv("PORTAL_REQUIRE_SERVICES", raising=False)

    with pytest.raises(pytest.skip.Exception, match="apt-get install -y redis-server"):
        missing("Redis", "apt-get install -y redis-server")


def test_where_services_are_required_a_missing_one_fails_the_test(monkeypatch):
    monkeypatch.setenv("PORTAL_REQUIRE_SERVICES", "1")

    with pytest.raises(pytest.fail.Exception, match="Redis is missing"):
        missing("Redis", "apt-get install -y redis-server")
