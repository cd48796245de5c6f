"""The back-office login stops password guessing."""

import pytest

from portal.sites import FAILURES_PER_ADDRESS, FAILURES_PER_USER
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


def attempt(client, username, password, address="203.0.113.5"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_after_five_wrong_passwords_even_the_right_one_is_refused_for_a_while(client, editor):
    for _ in range(FAILURES_PER_USER):
        assert attempt(client, "redakteurin", "falsch").status_code == 200

    locked = attempt(client, "redakteurin", PASSWORD)

    assert locked.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_does_not_shut_out_the_same_person_from_elsewhere(client, editor):
    for _ in range(FAILURES_PER_USER):
        attempt(client, "redakteurin", "falsch", address="203.0.113.5")

    response = attempt(client, "redakteurin", PASSWORD, address="198.51.100.7")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_one_address_trying_many_names_is_stopped_too(client, editor):
    for n in range(FAILURES_PER_ADDRESS):
        attempt(client, f"name{n}", "falsch")

    assert attempt(client, "redakteurin", PASSWORD).status_code == 429


def test_a_successful_login_forgets_earlier_mistakes(client, editor):
    for _ in range(FAILURES_PER_USER - 1):
        attempt(client, "redakteurin", "falsch")
    assert attempt(client, "redakteurin", PASSWORD).status_code == 302
    client.post("/admin/logout/")

    for _ in range(FAILURES_PER_USER - 1):
        attempt(client, "redakteurin", "falsch")

    assert attempt(client, "redakteurin", PASSWORD).status_code == 302


@pytest.mark.parametrize("spelling", ["ｒｅｄａｋｔｅｕｒｉｎ", "Redakteurin", " redakteurin "])
def test_locks_and_limits_give_no_way_to_another_spelling_of_the_locked_name(
    client, editor, spelling
):
    """Django reads the full-width name as "redakteurin" (NFKC); so does the lock."""
    for _ in range(FAILURES_PER_USER):
        attempt(client, "redakteurin", "falsch")

    response = attempt(client, spelling, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_full_width_name_is_the_same_person_when_the_lock_is_not_there(client, editor):
    """The test above refuses for the lock, not for a name that cannot log in anyway."""
    assert attempt(client, "ｒｅｄａｋｔｅｕｒｉｎ", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_guesses_from_one_ipv6_network_count_together(client, editor):
    """A client owns its /64 (2^64 addresses): counted one by one, it would never be stopped."""
    for n in range(FAILURES_PER_USER):
        attempt(client, "redakteurin", "falsch", address=f"2001:db8:1:2::{n + 1:x}")

    refused = attempt(client, "redakteurin", PASSWORD, address="2001:db8:1:2:ffff::9")
    elsewhere = attempt(client, "redakteurin", PASSWORD, address="2001:db8:1:3::1")

    assert refused.status_code == 429
    assert elsewhere.status_code == 302
