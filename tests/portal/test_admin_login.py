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
