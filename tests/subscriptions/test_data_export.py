"""Meine Daten (issue 20, point 3): a subscriber reads and downloads all data held about them
(Art. 15 and 20 DSGVO), and staff produce the same for a request received by post."""

import datetime
import json
import re
import secrets

import pytest
from django.test import Client
from django.utils import timezone

from subscriptions.models import (
    AddressChange,
    Declaration,
    Effect,
    NewsletterConsent,
    Order,
    OutgoingMail,
    Subscription,
)
from tests.conftest import logged_in, make_staff
from tests.factories import make_plan, make_subscriber, make_subscription
from tests.subscriptions.test_manage import log_in

pytestmark = pytest.mark.django_db

PAGE = "/abo/meine-daten/"
FILE = "/abo/meine-daten.json"
DAY = datetime.timedelta(days=1)
ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def held_about(subscriber, plan_name, contracts=1, mails=1):
    """A subscriber's records of every kind: contracts, an order with another address, a
    cancellation with its effect and confirmation, a newsletter consent, mails."""
    plan = make_plan(name=plan_name)
    made = [make_subscription(subscriber, plan) for _ in range(contracts)]
    order = Order.objects.create(
        plan=plan,
        email=subscriber.email,
        name=subscriber.name,
        street=f"Neue Straße {subscriber.pk}",
        postcode="54321",
        city="Neustadt",
        confirmed_at=timezone.now(),
        subscription=made[0],
        submission=secrets.token_hex(16),
    )
    AddressChange.objects.create(
        subscriber=subscriber,
        order=order,
        name=order.name,
        street=order.street,
        postcode=order.postcode,
        city=order.city,
    )
    for number in range(mails):
        OutgoingMail.objects.create(
            purpose="login",
            to=subscriber.email,
            subject=f"Ihr Anmeldelink {number} für {subscriber.name}",
            body_text=f"Guten Tag {subscriber.name},\n\nhier ist Ihr Link Nr. {number}.",
            state=OutgoingMail.State.SENT,
            sent_at=timezone.now(),
        )
    for contract in made:
        confirmation = OutgoingMail.objects.create(
            purpose="declaration",
            to=f"privat-{subscriber.pk}@example.net",
            subject=f"Kündigung eingegangen ({subscriber.name})",
            body_text="Wir bestätigen Ihre Kündigung.",
        )
        declaration = Declaration.objects.create(
            kind=Declaration.Kind.ORDINARY,
            name=subscriber.name,
            identifier=subscriber.customer_number,
            contract=plan_name,
            email=confirmation.to,
            reason=f"Zu teuer für {subscriber.name}",
            submission=secrets.token_hex(16),
            subscriber=subscriber,
            confirmation=confirmation,
        )
        Effect.objects.create(
            declaration=declaration,
            subscription=contract,
            outcome=Effect.Outcome.ENDS,
            ends_on=timezone.localdate() + 30 * DAY,
        )
    NewsletterConsent.objects.create(
        email=subscriber.email,
        wording=f"Ja, {subscriber.name} möchte den Newsletter.",
        requested_at=timezone.now() - 3 * DAY,
        requested_from="203.0.113.7",
        confirmed_at=timezone.now() - 2 * DAY,
        confirmed_from="198.51.100.23",
        digest=secrets.token_hex(32),
    )
    return made


@pytest.fixture
def erika():
    subscriber = make_subscriber(
        name="Erika Mustermann",
        organisation="Stadt Musterstadt",
        email="erika@example.org",
        street="Rathausplatz 1",
        postcode="12345",
        city="Musterstadt",
    )
    held_about(subscriber, "Behörden Spiegel Print", contracts=2, mails=2)
    return subscriber


@pytest.fixture
def max_():
    """Someone else, whose data must never appear on Erika's page or in her file."""
    subscriber = make_subscriber(
        name="Max Beispiel", email="max@example.org", street="Hauptstraße 9", city="Andernorts"
    )
    held_about(subscriber, "Kombi für Max")
    return subscriber


MAX_TRACES = ["Max Beispiel", "max@example.org", "Hauptstraße 9", "Andernorts", "Kombi für Max"]


def as_erika(erika, django_capture_on_commit_callbacks, mailoutbox):
    browser = Client()
    log_in(browser, erika, django_capture_on_commit_callbacks, mailoutbox)
    return browser


@pytest.fixture
def erikas_browser(erika, max_, django_capture_on_commit_callbacks, mailoutbox):
    return as_erika(erika, django_capture_on_commit_callbacks, mailoutbox)


def test_point_3_the_aboverwaltung_leads_to_meine_daten(erikas_browser):
    dashboard = erikas_browser.get("/abo/").content.decode()

    assert "Meine Daten" in dashboard
    assert f'href="{PAGE}"' in dashboard


def test_point_3_the_subscriber_reads_all_their_data_and_nobody_elses(erikas_browser, erika):
    response = erikas_browser.get(PAGE)
    page = response.content.decode()

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    for heading in (
        "Meine Daten",
        "Ihre Kundendaten",
        "Ihre Verträge",
        "Ihre Bestellungen",
        "Adressänderungen aus Bestellungen",
        "Kündigungen und Widerrufe",
        "Newsletter-Einwilligungen",
        "E-Mails an Sie",
    ):
        assert heading in page
    assert erika.customer_number in page
    assert "Stadt Musterstadt" in page and "Rathausplatz 1, 12345 Musterstadt" in page
    assert page.count("Behörden Spiegel Print") >= 2
    assert f"Neue Straße {erika.pk}, 54321 Neustadt" in page
    assert "Zu teuer für Erika Mustermann" in page
    assert "Ja, Erika Mustermann möchte den Newsletter." in page
    assert "Ihr Anmeldelink 1 für Erika Mustermann" in page
    assert "hier ist Ihr Link Nr. 1." in page
    # The confirmation of her cancellation went to the address she typed in the form.
    assert f"privat-{erika.pk}@example.net" in page
    assert f'href="{FILE}"' in page
    for trace in MAX_TRACES:
        assert trace not in page


def test_point_3_the_json_file_holds_contracts_addresses_declarations_consents_and_mails(
    erikas_browser, erika
):
    response = erikas_browser.get(FILE)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="meine-daten-{today:%Y-%m-%d}.json"'
    )
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    for trace in MAX_TRACES:
        assert trace not in text
    data = json.loads(text)
    assert data["format"] == "datenauskunft/1"
    assert data["portal"] == "Verwaltung Digital"
    assert ISO_TIME.match(data["erstellt_am"])
    assert data["kunde"] == {
        "kundennummer": erika.customer_number,
        "email": "erika@example.org",
        "angelegt_am": data["kunde"]["angelegt_am"],
        "anschrift": {
            "name": "Erika Mustermann",
            "organisation": "Stadt Musterstadt",
            "strasse": "Rathausplatz 1",
            "plz": "12345",
            "ort": "Musterstadt",
        },
    }
    assert ISO_TIME.match(data["kunde"]["angelegt_am"])

    contracts = data["vertraege"]
    assert [c["nummer"] for c in contracts] == sorted(
        Subscription.objects.filter(subscriber=erika).values_list("pk", flat=True)
    )
    first = contracts[0]
    assert first["angebot"] == "Behörden Spiegel Print"
    assert first["status"] == "active" and first["status_text"] == "Läuft"
    assert first["preis_eur"] == "89.00"
    assert first["beginn"] == f"{today - 550 * DAY:%Y-%m-%d}"

    (order,) = data["bestellungen"]
    assert order["anschrift"]["strasse"] == f"Neue Straße {erika.pk}"
    assert order["vertrag"] == first["nummer"]
    (change,) = data["adressaenderungen"]
    assert change["anschrift"]["ort"] == "Neustadt" and change["status"] == "open"

    declarations = data["erklaerungen"]
    assert len(declarations) == 2
    assert declarations[0]["art_text"] == "Ordentliche Kündigung"
    assert declarations[0]["grund"] == "Zu teuer für Erika Mustermann"
    assert declarations[0]["wirkungen"][0]["vertragsende"] == f"{today + 30 * DAY:%Y-%m-%d}"

    (consent,) = data["newsletter_einwilligungen"]
    assert consent["eingewilligter_text"] == "Ja, Erika Mustermann möchte den Newsletter."
    assert consent["bestaetigt_von_ip"] == "198.51.100.23"
    assert ISO_TIME.match(consent["bestaetigt_am"])

    subjects = {mail["betreff"] for mail in data["emails"]}
    assert {
        "Ihr Anmeldelink 0 für Erika Mustermann",
        "Ihr Anmeldelink 1 für Erika Mustermann",
        "Kündigung eingegangen (Erika Mustermann)",
    } <= subjects
    sent = next(m for m in data["emails"] if m["betreff"].startswith("Ihr Anmeldelink 0"))
    assert sent["zustand"] == "sent" and sent["zustand_text"] == "Versendet"
    assert sent["text"] == "Guten Tag Erika Mustermann,\n\nhier ist Ihr Link Nr. 0."
    assert ISO_TIME.match(sent["versendet_am"])
    # Her login link's request is there too, without the link itself.
    assert data["links"][-1]["zweck"] == "login" and data["links"][-1]["verwendet_am"]
    assert "digest" not in text


def test_point_3_without_a_login_nothing_is_shown(erika, max_):
    stranger = Client()
    for path in (PAGE, FILE, f"{PAGE}?kunde={erika.pk}", f"{FILE}?pk={erika.pk}"):
        response = stranger.get(path)
        assert response.status_code == 302
        assert response["Location"] == "/abo/"
        assert b"Erika" not in response.content
    # The login page says why.
    assert (
        "Bitte melden Sie sich an, um Ihre Daten zu sehen."
        in stranger.get("/abo/").content.decode()
    )


def test_point_3_another_subscribers_number_in_the_address_shows_only_ones_own(
    erikas_browser, max_
):
    for path in (
        f"{PAGE}?kunde={max_.pk}",
        f"{FILE}?pk={max_.pk}&subscriber={max_.pk}&kundennummer={max_.customer_number}",
    ):
        response = erikas_browser.get(path)
        assert response.status_code == 200
        text = response.content.decode()
        assert "Erika Mustermann" in text
        for trace in MAX_TRACES:
            assert trace not in text
    for guessed in (
        f"/abo/meine-daten/{max_.pk}/",
        f"/abo/meine-daten/{max_.customer_number}.json",
        f"/abo/meine-daten.json/{max_.pk}",
    ):
        assert erikas_browser.get(guessed).status_code == 404


def test_point_3_an_hour_unused_ends_access_to_the_data(erikas_browser):
    session = erikas_browser.session
    session["abo_seen"] -= 3601
    session.save()

    response = erikas_browser.get(FILE)

    assert response.status_code == 302 and response["Location"] == "/abo/"


def test_point_3_the_queries_do_not_grow_with_contracts_declarations_and_mails(
    django_assert_max_num_queries, django_capture_on_commit_callbacks, mailoutbox
):
    small = make_subscriber(email="klein@example.org")
    held_about(small, "Ein Vertrag", contracts=1, mails=1)
    large = make_subscriber(email="gross@example.org")
    held_about(large, "Viele Verträge", contracts=6, mails=12)
    counts = {}
    for subscriber in (small, large):
        browser = as_erika(subscriber, django_capture_on_commit_callbacks, mailoutbox)
        browser.get(PAGE)  # the site frame around the page is cached from then on
        for path in (PAGE, FILE):
            # The session, the subscriber, one query per kind of record, the cached frame's check.
            with django_assert_max_num_queries(11) as queries:
                assert browser.get(path).status_code == 200
            counts[subscriber.email, path] = len(queries)

    assert counts["klein@example.org", PAGE] == counts["gross@example.org", PAGE]
    assert counts["klein@example.org", FILE] == counts["gross@example.org", FILE]


# Staff, for a request received by post


def disclosure_urls(subscriber):
    base = f"/admin/subscriptions/subscriber/{subscriber.pk}/"
    return f"{base}change/", f"{base}datenauskunft/", f"{base}datenauskunft.json"


def test_point_3_staff_produce_the_same_page_and_file_for_a_request_by_post(
    subscription_staff, erika, max_, erikas_browser
):
    clerk = logged_in(subscription_staff)
    change, page, file = disclosure_urls(erika)

    form = clerk.get(change).content.decode()
    assert "Datenauskunft (Art. 15 DSGVO)" in form
    assert f'href="{page}"' in form

    shown = clerk.get(page)
    text = shown.content.decode()
    assert shown.status_code == 200
    assert "Auskunft über Ihre Daten (Art. 15 DSGVO)" in text
    assert "Ja, Erika Mustermann möchte den Newsletter." in text
    assert "hier ist Ihr Link Nr. 1." in text
    for trace in MAX_TRACES:
        assert trace not in text

    download = clerk.get(file)
    today = timezone.localdate()
    assert download["Content-Disposition"] == (
        f'attachment; filename="datenauskunft-{erika.customer_number}-{today:%Y-%m-%d}.json"'
    )
    by_staff = json.loads(download.content)
    by_erika = json.loads(erikas_browser.get(FILE).content)
    by_staff.pop("erstellt_am"), by_erika.pop("erstellt_am")
    assert by_staff == by_erika


def test_point_3_the_staff_export_needs_its_own_permission(
    django_user_model, subscription_staff, chief, erika
):
    from django.contrib.auth.models import Permission

    # Sees subscribers, but the Datenauskunft was not granted.
    viewer = make_staff(django_user_model, "nur-ansehen", "Aboverwaltung")
    viewer.groups.clear()
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_subscriber"),
        Permission.objects.get(codename="view_subscription"),
    )
    change, page, file = disclosure_urls(erika)
    browser = logged_in(viewer)

    assert "Datenauskunft" not in browser.get(change).content.decode()
    assert browser.get(page).status_code == 403
    assert browser.get(file).status_code == 403
    # The Chefredaktion sees who looked, not the subscribers themselves.
    assert logged_in(chief).get(page).status_code == 403
    # The group that answers requests by post has it.
    assert subscription_staff.has_perm("subscriptions.disclose_subscriber")
    assert not chief.has_perm("subscriptions.disclose_subscriber")
