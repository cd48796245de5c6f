"""The limits' counters: windows that end, a table that stays small, no address in clear."""

import pytest
from django.db import connection

from portal.lib import ratelimit

pytestmark = pytest.mark.django_db

ALLOWED, _SECONDS = ratelimit.LIMITS["login"]


def rows():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, hits FROM {ratelimit.TABLE}")  # noqa: S608 - a constant
        return cursor.fetchall()


def let_the_hour_pass():
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {ratelimit.TABLE} SET expires_at = now() - interval '1 second'")  # noqa: S608


def test_a_limit_ends_with_its_hour():
    answers = [ratelimit.exceeded("login", "203.0.113.7", "anna@example.org") for _ in range(6)]
    let_the_hour_pass()

    assert answers == [False] * ALLOWED + [True]
    assert ratelimit.exceeded("login", "203.0.113.7", "anna@example.org") is False


def test_counters_whose_hour_has_passed_do_not_pile_up():
    for n in range(10):
        ratelimit.exceeded("login", f"203.0.113.{n}", f"leser{n}@example.org")
    let_the_hour_pass()

    for n in range(10):
        ratelimit.exceeded("newsletter", f"198.51.100.{n}")

    assert len(rows()) == 10  # the twenty old ones removed while the ten new were counted


def test_the_counts_keep_no_address_in_clear():
    ratelimit.exceeded("newsletter", "2001:db8:1:2::3", "Anna+Liste@Example.org")

    stored = " ".join(name for name, _hits in rows())
    for clear in ("2001", "db8", "anna", "example"):
        assert clear not in stored
    assert sorted(hits for _name, hits in rows()) == [1, 1]
