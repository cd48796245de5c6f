"""Ordering a subscription: stored as pending for staff, confirmed by e-mail."""

import pytest

from subscriptions.models import Subscriber, Subscription
from tests.factories import make_plan, make_subscriber
from tests.subscriptions.helpers import german, submission_key

pytestmark = pytest.mark.django_db

ORDER = "/abo/bestellen/"


@pytest.fixture
def plan():
    return make_plan(name="Print-Magazin, jährlich", price="89.00", minimum_term_months=12)


def order_form(plan, **fields):
    data = {
        "plan": plan.pk,
        "name": "Erika Mustermann",
        "organisation": "Stadt Musterstadt",
        "email": "erika@example.org",
        "street": "Rathausplatz 1",
        "postcode": "12345",
        "city": "Musterstadt",
        "terms": "on",
        "submission": submission_key(),
    }
    data.update(fields)
    return data


def test_the_order_page_lists_what_can_be_ordered(client, plan):
    make_plan(name="Altes Angebot", orderable=False)

    html = client.get(ORDER).text

    assert "Print-Magazin, jährlich" in html
    assert "89,00 €" in html or "89.00 €" in html
    assert "Altes Angebot" not in html


def test_an_order_is_stored_as_pending_and_confirmed_by_mail(
    client, plan, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ORDER, order_form(plan))

    subscription = Subscription.objects.select_related("subscriber").get()
    assert response.status_code == 302
    assert subscription.status == Subscription.Status.PENDING
    assert subscription.ordered_online
    assert subscription.subscriber.organisation == "Stadt Musterstadt"
    assert "Vielen Dank für Ihre Bestellung" in client.get(response["Location"]).text
    [confirmation] = mailoutbox
    assert confirmation.to == ["erika@example.org"]
    assert "Print-Magazin, jährlich" in confirmation.subject
    assert subscription.subscriber.customer_number in confirmation.body
    assert "Widerrufsbelehrung" in confirmation.body
    assert f"also bis zum {german(subscription.withdrawal_until)}" in confirmation.body
    assert "/abo/widerrufen/" in confirmation.body


def test_bad_input_is_refused_at_the_field_and_what_was_typed_stays(client, plan):
    response = client.post(ORDER, order_form(plan, postcode="ABC", terms="", email="erika@"))

    html = response.text
    assert response.status_code == 200
    assert 'id="id_postcode_error">Bitte eine PLZ aus 4 oder 5 Ziffern angeben.' in html
    assert "Bitte bestätigen Sie die Bedingungen, um zu bestellen." in html
    assert 'id="id_email_error">Bitte gültige E-Mail-Adresse eingeben.' in html
    assert 'value="Rathausplatz 1"' in html
    assert Subscription.objects.count() == 0
    # The summary at the top names every error and links to its field.
    assert "<title>Fehler: Abonnement bestellen" in html
    assert '<a href="#id_postcode">PLZ: Bitte eine PLZ aus 4 oder 5 Ziffern angeben.</a>' in html
    assert '<a href="#id_terms">Bitte bestätigen Sie die Bedingungen, um zu bestellen.</a>' in html


def test_an_order_sent_twice_is_one_contract(
    client, plan, mailoutbox, django_capture_on_commit_callbacks
):
    data = order_form(plan)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(ORDER, data)
        client.post(ORDER, data)

    assert Subscription.objects.count() == 1
    assert len(mailoutbox) == 1


def test_an_order_does_not_change_the_address_on_file(
    client, plan, django_capture_on_commit_callbacks
):
    known = make_subscriber(email="erika@example.org", street="Alte Straße 1")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(ORDER, order_form(plan, street="Fremde Straße 9"))

    assert Subscriber.objects.count() == 1
    known.refresh_from_db()
    assert known.street == "Alte Straße 1"
    assert known.subscriptions.count() == 1


def test_the_thank_you_page_shows_nothing_to_others(client):
    assert client.get("/abo/bestellt/").status_code == 404


def test_too_many_orders_get_a_german_429(client, plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            client.post(ORDER, order_form(plan))

    response = client.post(ORDER, order_form(plan))

    assert response.status_code == 429
    assert "Zu viele Anfragen" in response.text
    assert Subscription.objects.count() == 5
