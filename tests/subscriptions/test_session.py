"""How long a subscriber stays logged in: until the browser closes, and an hour unused at most."""

import pytest
from django.test import Client

from subscriptions.models import LinkToken
from subscriptions.views.common import SEEN_KEY
from tests.factories import make_subscriber

pytestmark = pytest.mark.django_db

MANAGE = "/abo/"


@pytest.fixture
def erika():
    return make_subscriber(name="Erika Mustermann", email="erika@example.org")


def log_in(client, subscriber):
    secret = LinkToken.issue(subscriber, LinkToken.Purpose.LOGIN)
    return client.post(f"/abo/anmelden/{secret}/")


def logged_in(client):
    return "Angemeldet als Erika Mustermann" in client.get(MANAGE).text


def unused_for(client, seconds):
    """The browser left alone for ``seconds``: its session was last seen that long ago."""
    session = client.session
    session[SEEN_KEY] -= seconds
    session.save()


def test_the_subscriber_session_ends_with_the_browser_and_after_an_hour_unused(client, erika):
    response = log_in(client, erika)

    cookie = response.cookies["sessionid"]
    assert (
        cookie.value and not cookie["max-age"] and not cookie["expires"]
    )  # ends with the browser
    assert cookie["httponly"]
    assert logged_in(client)
    unused_for(client, 59 * 60)
    assert logged_in(client)
    unused_for(client, 3600)
    assert not logged_in(client)
    assert "Anmeldelink anfordern" in client.get(MANAGE).text


def test_using_the_pages_keeps_the_session_alive_for_another_hour(client, erika):
    log_in(client, erika)

    for _ in range(3):  # three visits, each 50 minutes after the one before
        unused_for(client, 50 * 60)
        assert logged_in(client)


def test_a_browser_that_restores_its_cookies_is_still_held_to_the_hour(client, erika):
    log_in(client, erika)
    restored = Client()
    restored.cookies = client.cookies  # a session cookie kept across a restart of the browser

    unused_for(client, 3600)

    assert not logged_in(restored)


def test_an_hour_unused_ends_the_session_for_the_forms_too(client, erika):
    address = {
        "name": erika.name,
        "street": "Neue Straße 5",
        "postcode": "01067",
        "city": "Dresden",
    }
    log_in(client, erika)
    unused_for(client, 3600)

    response = client.post("/abo/anschrift/", address)

    assert response.status_code == 302
    assert "Sitzung ist abgelaufen" in client.get(response["Location"]).text
    erika.refresh_from_db()
    assert erika.street != "Neue Straße 5"
    log_in(client, erika)
    client.post("/abo/anschrift/", address)  # within the hour it works
    erika.refresh_from_db()
    assert erika.street == "Neue Straße 5"
