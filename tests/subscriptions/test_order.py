"""Ordering a subscription: the e-mail address confirms it, then a contract waits for staff."""

import csv
import io
import time

import pytest
from django.core import signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from subscriptions.models import AddressChange, Order, Plan, Subscriber, Subscription
from tests.conftest import logged_in
from tests.factories import make_plan, make_subscriber, make_subscription
from tests.subscriptions.helpers import german, link_in, order_form

pytestmark = pytest.mark.django_db

ORDER = "/abo/bestellen/"
CONFIRM = "/abo/bestellung/"
ADDRESS_CHANGES = "/admin/subscriptions/addresschange/"


@pytest.fixture
def plan():
    return make_plan(name="Print-Magazin, jährlich", price="89.00", minimum_term_months=12)


@pytest.fixture
def service(subscription_staff):
    return logged_in(subscription_staff)


def place(client, plan, mailoutbox, capture, **fields):
    """Order through the form; return the confirmation link from the mail."""
    with capture(execute=True):
        response = client.post(ORDER, order_form(plan, **fields))
    assert response.status_code == 302
    return link_in(mailoutbox[-1], CONFIRM)


def confirm(client, link, capture):
    with capture(execute=True):
        return client.post(link)


def print_addresses(service):
    response = service.get(reverse("admin:subscriptions_print_addresses"))
    text = b"".join(response.streaming_content).decode("utf-8")[1:]
    return list(csv.reader(io.StringIO(text), delimiter=";"))[1:]


# The form


def test_the_order_page_lists_what_can_be_ordered(client, plan):
    make_plan(name="Altes Angebot", orderable=False)

    html = client.get(ORDER).text

    assert "Print-Magazin, jährlich" in html
    assert "89,00 €" in html or "89.00 €" in html
    assert "Altes Angebot" not in html
    assert "Erst wenn Sie die Bestellung über diesen Link bestätigen" in html


def test_an_order_waits_for_its_email_address_and_says_so_clearly(
    client, plan, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ORDER, order_form(plan))

    assert response.status_code == 302
    assert Subscriber.objects.count() == 0
    assert Subscription.objects.count() == 0
    order = Order.objects.get()
    assert (order.name, order.organisation, order.email) == (
        "Erika Mustermann",
        "Stadt Musterstadt",
        "erika@example.org",
    )
    assert (order.street, order.postcode, order.city) == ("Rathausplatz 1", "12345", "Musterstadt")
    assert not order.confirmed
    page = client.get(response["Location"]).text
    assert '<h1 class="page-title">Bitte bestätigen Sie Ihre Bestellung</h1>' in page
    assert "Wir haben eine E-Mail an <strong>erika@example.org</strong> geschickt" in page
    assert "Erst dann ist die Bestellung verbindlich. Der Link gilt 7 Tage." in page
    [request] = mailoutbox
    assert request.to == ["erika@example.org"]
    assert request.subject == "Bitte bestätigen Sie Ihre Bestellung bei Verwaltung Digital"
    assert "Print-Magazin, jährlich" in request.body
    # Nothing typed goes to an address nobody has confirmed: no stranger's text in our mail.
    for typed in ("Erika Mustermann", "Stadt Musterstadt", "Rathausplatz", "Musterstadt"):
        assert typed not in request.body
        assert typed not in request.alternatives[0][0]
    assert "innerhalb von 7 Tagen" in request.body
    assert "Ohne Ihre Bestätigung kommt kein Vertrag zustande." in request.body
    assert CONFIRM in request.body


def test_bad_input_is_refused_at_the_field_and_what_was_typed_stays(client, plan):
    response = client.post(ORDER, order_form(plan, postcode="ABC", terms="", email="erika@"))

    html = response.text
    assert response.status_code == 200
    assert 'id="id_postcode_error">Bitte eine PLZ aus 4 oder 5 Ziffern angeben.' in html
    assert "Bitte stimmen Sie den AGB zu, um zu bestellen." in html
    assert 'id="id_email_error">Bitte gültige E-Mail-Adresse eingeben.' in html
    assert 'value="Rathausplatz 1"' in html
    assert Order.objects.count() == 0
    # The summary at the top names every error and links to its field.
    assert "<title>Fehler: Abonnement bestellen" in html
    assert '<a href="#id_postcode">PLZ: Bitte eine PLZ aus 4 oder 5 Ziffern angeben.</a>' in html
    assert '<a href="#id_terms">Bitte stimmen Sie den AGB zu, um zu bestellen.</a>' in html


@pytest.mark.parametrize("field", ["name", "organisation", "street", "city"])
def test_a_line_break_cannot_put_text_of_a_strangers_choice_into_our_mail(
    client, plan, mailoutbox, field
):
    stuffed = "Eve\r\n\r\nKlicken Sie http://evil.test/login"

    response = client.post(ORDER, order_form(plan, **{field: stuffed}))

    assert response.status_code == 200
    assert (
        f'id="id_{field}_error">Bitte in einer Zeile angeben, ohne Zeilenumbruch.' in response.text
    )
    assert Order.objects.count() == 0
    assert mailoutbox == []


def test_an_order_sent_twice_is_one_order_and_one_mail(
    client, plan, mailoutbox, django_capture_on_commit_callbacks
):
    data = order_form(plan)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(ORDER, data)
        client.post(ORDER, data)

    assert Order.objects.count() == 1
    assert len(mailoutbox) == 1


def test_the_check_your_mail_page_shows_nothing_to_others(client):
    assert client.get("/abo/bestellt/").status_code == 404


def test_too_many_orders_get_a_german_429(client, plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            client.post(ORDER, order_form(plan))

    response = client.post(ORDER, order_form(plan))

    assert response.status_code == 429
    assert "Zu viele Anfragen" in response.text
    assert Order.objects.count() == 5


# Point 2 of issue 25: nobody takes over a future subscriber's delivery


def test_an_unconfirmed_order_creates_no_customer_and_is_not_in_the_csv(
    client, plan, service, mailoutbox, django_capture_on_commit_callbacks
):
    place(client, plan, mailoutbox, django_capture_on_commit_callbacks)

    assert Subscriber.objects.count() == 0
    assert Subscription.objects.count() == 0
    assert print_addresses(service) == []
    # Staff see it, as it was typed, marked as not confirmed.
    listed = service.get("/admin/subscriptions/order/", {"bestaetigt": "nein"})
    assert [order.email for order in listed.context["cl"].result_list] == ["erika@example.org"]


def test_opening_the_link_shows_the_order_and_confirms_nothing(
    client, plan, mailoutbox, django_capture_on_commit_callbacks
):
    link = place(client, plan, mailoutbox, django_capture_on_commit_callbacks)

    response = client.get(link)  # a mail scanner, or the person before clicking

    html = response.text
    assert response.status_code == 200
    assert '<h1 class="page-title">Bestellung bestätigen</h1>' in html
    assert "Print-Magazin, jährlich" in html
    assert "Rathausplatz 1<br>12345 Musterstadt" in html
    assert (
        '<button type="submit" class="button button--primary">Zahlungspflichtig bestellen' in html
    )
    assert "Sie haben nichts bestellt? Dann schließen Sie diese Seite einfach." in html
    assert not Order.objects.get().confirmed
    assert Subscriber.objects.count() == 0


def test_a_confirmed_order_for_a_new_person_creates_the_customer_and_contract(
    client, plan, service, mailoutbox, django_capture_on_commit_callbacks
):
    link = place(client, plan, mailoutbox, django_capture_on_commit_callbacks)

    response = confirm(client, link, django_capture_on_commit_callbacks)

    today = timezone.localdate()
    order = Order.objects.select_related("subscription__subscriber").get()
    contract = order.subscription
    erika = contract.subscriber
    assert response.status_code == 302
    assert order.confirmed
    assert (erika.email, erika.name, erika.organisation) == (
        "erika@example.org",
        "Erika Mustermann",
        "Stadt Musterstadt",
    )
    assert (erika.street, erika.postcode, erika.city) == ("Rathausplatz 1", "12345", "Musterstadt")
    assert contract.plan == plan
    assert contract.ordered_online
    # Concluded when confirmed, with the full Widerrufsbelehrung; a print plan's withdrawal
    # period waits for the first issue.
    assert contract.concluded_on == contract.starts_on == today
    assert contract.withdrawal_informed_on == today
    assert contract.withdrawal_until is None
    # A contract for staff to accept; until then nothing goes to the mailing house.
    assert contract.status == Subscription.Status.PENDING
    assert contract.accepted_at is None
    assert print_addresses(service) == []
    page = client.get(response["Location"]).text
    assert '<h1 class="page-title">Bestellung bestätigt</h1>' in page
    assert "beginnt erst am Tag nach dem Erhalt der ersten Ausgabe" in page
    assert erika.customer_number not in page
    contract_mail = mailoutbox[-1]
    assert contract_mail.to == ["erika@example.org"]
    assert contract_mail.subject == "Ihre Bestellung: Print-Magazin, jährlich"
    assert "Guten Tag Erika Mustermann," in contract_mail.body
    assert f"Kundennummer: {erika.customer_number}" in contract_mail.body
    assert f"Vertragsschluss: {german(today)}" in contract_mail.body
    assert "beginnt erst am Tag nach dem Erhalt der ersten Ausgabe" in contract_mail.body
    assert "/abo/widerrufen/" in contract_mail.body


def test_an_anonymous_order_for_a_demo_subscribers_address_changes_nothing_in_their_record(
    client, service, mailoutbox, django_capture_on_commit_callbacks
):
    call_command("seed_subscriptions_demo", stdout=io.StringIO())
    max_ = Subscriber.objects.get(email="max.beispiel@example.org")
    on_file = Subscriber.objects.filter(pk=max_.pk).values().get()
    contracts = list(max_.subscriptions.values())
    delivered = print_addresses(service)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            ORDER,
            order_form(
                Plan.objects.get(slug="kombi-jahr"),
                name="Max Beispiel",
                organisation="",
                email="Max.Beispiel@example.org",
                street="Fremde Straße 9",
                postcode="99999",
                city="Anderswo",
            ),
        )

    assert response.status_code == 302
    assert Subscriber.objects.filter(pk=max_.pk).values().get() == on_file
    assert list(max_.subscriptions.values()) == contracts
    assert AddressChange.objects.count() == 0
    assert print_addresses(service) == delivered
    assert [row[3] for row in delivered if row[1] == "Max Beispiel"] == ["Kreishausstraße 7"]
    # Only the request to confirm went out, and it tells nothing of the record on file.
    [request] = mailoutbox
    assert request.to == ["max.beispiel@example.org"]
    assert "Kreishausstraße" not in request.body
    assert max_.customer_number not in request.body
    assert "Kreishausstraße" not in client.get(response["Location"]).text


def test_a_confirmed_order_for_an_existing_customer_keeps_the_address_and_asks_staff(
    client, plan, service, mailoutbox, django_capture_on_commit_callbacks
):
    erika = make_subscriber(
        name="Erika Mustermann", email="erika@example.org", street="Alte Straße 1"
    )
    make_subscription(erika, plan)
    link = place(
        client, plan, mailoutbox, django_capture_on_commit_callbacks, street="Neue Straße 2"
    )

    response = confirm(client, link, django_capture_on_commit_callbacks)

    erika.refresh_from_db()
    assert erika.street == "Alte Straße 1"
    assert Subscriber.objects.count() == 1
    new_contract = Order.objects.get().subscription
    assert new_contract.subscriber == erika
    change = AddressChange.objects.get()
    assert (change.subscriber, change.street, change.status) == (erika, "Neue Straße 2", "open")
    assert [row[3] for row in print_addresses(service)] == ["Alte Straße 1"]
    assert "Unser Aboservice prüft die Änderung" in client.get(response["Location"]).text
    contract_mail = mailoutbox[-1]
    assert contract_mail.to == ["erika@example.org"]
    assert "Lieferanschrift: Erika Mustermann, Alte Straße 1, 12345 Musterstadt" in (
        contract_mail.body
    )
    assert "In Ihrer Bestellung steht eine andere Anschrift" in contract_mail.body
    # Staff see it in the Aboverwaltung, beside the address on file.
    listed = service.get(ADDRESS_CHANGES, {"status__exact": "open"}).text
    assert erika.customer_number in listed
    assert "Neue Straße 2" in listed


def test_the_same_address_typed_differently_asks_staff_nothing(
    client, plan, mailoutbox, django_capture_on_commit_callbacks
):
    make_subscriber(
        name="Erika Mustermann",
        organisation="Stadt Musterstadt",
        email="erika@example.org",
        street="Rathausplatz 1",
    )
    link = place(
        client,
        plan,
        mailoutbox,
        django_capture_on_commit_callbacks,
        street="rathausplatz  1",
        email="ERIKA@example.org",
    )

    confirm(client, link, django_capture_on_commit_callbacks)

    assert Order.objects.get().subscription is not None
    assert AddressChange.objects.count() == 0
    assert "andere Anschrift" not in mailoutbox[-1].body


def test_a_strangers_order_confirmed_after_the_real_one_does_not_move_the_delivery(
    client, plan, mailoutbox, django_capture_on_commit_callbacks
):
    """The issue's attack: a stranger orders first, the person later with their own address."""
    strangers = place(
        client, plan, mailoutbox, django_capture_on_commit_callbacks, street="Fremde Straße 9"
    )
    own = place(client, plan, mailoutbox, django_capture_on_commit_callbacks)

    confirm(client, own, django_capture_on_commit_callbacks)
    confirm(client, strangers, django_capture_on_commit_callbacks)  # clicked by mistake

    erika = Subscriber.objects.get()
    assert erika.street == "Rathausplatz 1"
    assert AddressChange.objects.get().street == "Fremde Straße 9"


def test_confirming_twice_makes_one_contract(
    client, plan, mailoutbox, django_capture_on_commit_callbacks
):
    link = place(client, plan, mailoutbox, django_capture_on_commit_callbacks)

    confirm(client, link, django_capture_on_commit_callbacks)
    again = confirm(client, link, django_capture_on_commit_callbacks)

    assert again.status_code == 200
    assert "Bestellung bestätigt" in again.text
    assert Subscription.objects.count() == 1
    assert [m.subject for m in mailoutbox].count("Ihre Bestellung: Print-Magazin, jährlich") == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_link_confirms_nothing(
    client, plan, mailoutbox, django_capture_on_commit_callbacks, method
):
    place(client, plan, mailoutbox, django_capture_on_commit_callbacks)
    order = Order.objects.get()
    forged = f"{CONFIRM}{signing.dumps(order.pk, salt='etwas anderes')}/"

    response = getattr(client, method)(forged)

    assert response.status_code == 410
    assert "Bitte bestellen Sie noch einmal" in response.text
    assert not Order.objects.get().confirmed


def test_an_expired_link_confirms_nothing_and_the_order_stays_on_record(
    client, plan, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    eight_days_ago = int(time.time()) - 8 * 24 * 3600
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(eight_days_ago)
    )
    link = place(client, plan, mailoutbox, django_capture_on_commit_callbacks)
    monkeypatch.undo()

    shown = client.get(link)
    response = confirm(client, link, django_capture_on_commit_callbacks)

    assert shown.status_code == response.status_code == 410
    assert "Dieser Bestätigungslink ist abgelaufen oder unbekannt." in response.text
    assert Subscriber.objects.count() == 0
    assert Order.objects.get().email == "erika@example.org"


def test_an_order_for_a_plan_no_longer_offered_is_not_confirmed(
    client, plan, mailoutbox, django_capture_on_commit_callbacks
):
    link = place(client, plan, mailoutbox, django_capture_on_commit_callbacks)
    Plan.objects.filter(pk=plan.pk).update(orderable=False)

    response = confirm(client, link, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "können Sie leider nicht mehr bestellen" in response.text
    assert Subscription.objects.count() == 0


def test_the_confirmation_page_costs_a_fixed_number_of_queries(
    client, plan, mailoutbox, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    link = place(client, plan, mailoutbox, django_capture_on_commit_callbacks)

    # One for the order with its plan, contract and address change; the rest is the site frame
    # and, before the order, the Impressum for the Widerrufsbelehrung: a fragment of the page
    # cache, read again only once the Impressum changed.
    with django_assert_max_num_queries(7):
        client.get(link)
    with django_assert_max_num_queries(2):
        client.get(link)
    confirm(client, link, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(6):
        client.get(link)


# Staff decide on addresses from orders


@pytest.fixture
def change(client, plan, mailoutbox, django_capture_on_commit_callbacks):
    make_subscriber(name="Erika Mustermann", email="erika@example.org", street="Alte Straße 1")
    link = place(
        client, plan, mailoutbox, django_capture_on_commit_callbacks, street="Neue Straße 2"
    )
    confirm(client, link, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    return AddressChange.objects.select_related("subscriber").get()


def test_staff_take_over_an_address_from_an_order_and_the_customer_is_told(
    service, change, mailoutbox, django_capture_on_commit_callbacks, subscription_staff
):
    with django_capture_on_commit_callbacks(execute=True):
        response = service.post(
            ADDRESS_CHANGES,
            {"action": "accept_changes", "_selected_action": [change.pk]},
            follow=True,
        )

    erika = change.subscriber
    erika.refresh_from_db()
    change.refresh_from_db()
    assert "1 Anschrift übernommen" in response.text
    assert erika.street == "Neue Straße 2"
    assert change.status == AddressChange.Status.ACCEPTED
    assert change.decided_by == subscription_staff
    assert change.previous == "Erika Mustermann, Alte Straße 1, 12345 Musterstadt"
    [told] = mailoutbox
    assert told.to == ["erika@example.org"]
    assert told.subject == "Ihre neue Anschrift ist gespeichert"
    assert "Neue Straße 2" in told.body


def test_staff_reject_an_address_from_an_order_and_the_one_on_file_stays(
    service, change, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        service.post(
            ADDRESS_CHANGES, {"action": "reject_changes", "_selected_action": [change.pk]}
        )
        # A second decision on the same request changes nothing.
        service.post(
            ADDRESS_CHANGES, {"action": "accept_changes", "_selected_action": [change.pk]}
        )

    change.subscriber.refresh_from_db()
    change.refresh_from_db()
    assert change.subscriber.street == "Alte Straße 1"
    assert change.status == AddressChange.Status.REJECTED
    [told] = mailoutbox
    assert told.subject == "Ihre Anschrift bleibt, wie sie war"
    assert "Alte Straße 1" in told.body


def test_the_change_request_page_offers_both_decisions_and_no_editing(service, change):
    html = service.get(f"{ADDRESS_CHANGES}{change.pk}/change/").text

    assert 'value="accept_changes"' in html
    assert 'value="reject_changes"' in html
    assert 'name="_save"' not in html
    assert "Alte Straße 1" in html
    assert "Neue Straße 2" in html


@pytest.mark.parametrize("persona", ["editor", "chief", "ad_sales"])
def test_only_the_aboverwaltung_sees_orders_and_decides_on_addresses(request, persona, change):
    browser = logged_in(request.getfixturevalue(persona))

    assert browser.get("/admin/subscriptions/order/").status_code == 403
    assert browser.get(ADDRESS_CHANGES).status_code == 403
    browser.post(ADDRESS_CHANGES, {"action": "accept_changes", "_selected_action": [change.pk]})
    change.refresh_from_db()
    assert change.status == AddressChange.Status.OPEN
