"""Aboverwaltung: log in by a single-use link, see the contracts, change address and e-mail."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from subscriptions.models import Declaration, LinkToken, OutgoingMail, Subscriber
from tests.factories import make_plan, make_subscriber, make_subscription
from tests.subscriptions.helpers import cancellation, filled_in, german, link_in
from tests.subscriptions.test_mail import answer_without_closing, wsgi_server_steps

pytestmark = pytest.mark.django_db

MANAGE = "/abo/"


@pytest.fixture
def erika():
    return make_subscriber(name="Erika Mustermann", email="erika@example.org", postcode="12345")


@pytest.fixture
def max_():
    return make_subscriber(name="Max Beispiel", email="max@example.org")


def request_link(client, email, on_commit):
    with on_commit(execute=True):
        return client.post(MANAGE, {"email": email})


def log_in(client, subscriber, on_commit, mailoutbox):
    request_link(client, subscriber.email, on_commit)
    path = link_in(mailoutbox[-1], "/abo/anmelden/")
    return client.post(path)


# The login link


def answer_then_work(email, on_commit):
    """The login-link form as a server runs it: its answer, the SQL until it, the SQL after it."""
    with wsgi_server_steps():
        with CaptureQueriesContext(connection) as until_answer, on_commit(execute=True):
            response = answer_without_closing(MANAGE, {"email": email})
        answered = [query["sql"] for query in until_answer.captured_queries]
        with CaptureQueriesContext(connection) as after_answer:
            response.close()  # the server has written the answer
        afterwards = [query["sql"] for query in after_answer.captured_queries]
    return response, answered, afterwards


def test_which_addresses_are_subscribers_shows_neither_in_the_answer_nor_in_its_time(
    erika, django_capture_on_commit_callbacks
):
    known, for_known, after_known = answer_then_work(
        "Erika@Example.org", django_capture_on_commit_callbacks
    )
    unknown, for_unknown, after_unknown = answer_then_work(
        "niemand@example.org", django_capture_on_commit_callbacks
    )

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/abo/?gesendet=1"
    # Until the answer only the limits are counted, alike; the address is
    # looked up after it.
    assert len(for_known) == len(for_unknown) == 1
    assert all("portal_rate_counts" in sql for sql in for_known + for_unknown)
    assert not any("subscriptions_" in sql for sql in for_known + for_unknown)
    # Afterwards each address gets its mail: the link, or a note without one.
    # The link itself is made only when the mail is sent (nothing usable is
    # stored), so even then both write the same kind of rows.
    assert not any("subscriptions_linktoken" in sql for sql in after_known + after_unknown)
    login = OutgoingMail.objects.get(purpose="login")
    assert login.to == "erika@example.org" and login.links["url"]["kind"] == "account"
    unknown = OutgoingMail.objects.get(purpose="login-unknown")
    assert unknown.to == "niemand@example.org" and not unknown.links


def test_an_unknown_address_gets_a_note_that_it_has_no_customer_account(
    client, erika, mailoutbox, django_capture_on_commit_callbacks
):
    known = request_link(client, "Erika@Example.org", django_capture_on_commit_callbacks)
    unknown = request_link(client, "niemand@example.org", django_capture_on_commit_callbacks)

    assert known["Location"] == unknown["Location"] == "/abo/?gesendet=1"
    page = client.get(known["Location"]).text
    assert "mit einem Anmeldelink, wenn die Adresse zu einem Kundenkonto gehört" in page
    assert [m.to for m in mailoutbox] == [["erika@example.org"], ["niemand@example.org"]]
    assert "gilt 30 Minuten und nur einmal" in mailoutbox[0].body
    note = mailoutbox[1].body
    assert "Zu dieser Adresse gibt es bei uns kein Kundenkonto" in note
    assert "/abo/anmelden/" not in note


def test_opening_the_link_asks_first_and_the_button_logs_in(
    client, erika, mailoutbox, django_capture_on_commit_callbacks
):
    make_subscription(erika, make_plan(name="Print-Magazin, jährlich"))
    request_link(client, erika.email, django_capture_on_commit_callbacks)
    path = link_in(mailoutbox[0], "/abo/anmelden/")

    # Mail scanners open links: a GET must not use it up.
    assert "Jetzt anmelden" in client.get(path).text
    assert "Jetzt anmelden" in client.get(path).text
    response = client.post(path)

    assert response.status_code == 302
    page = client.get(MANAGE).text
    assert "Angemeldet als Erika Mustermann" in page
    assert "Print-Magazin, jährlich" in page


def test_a_link_works_once(client, erika, mailoutbox, django_capture_on_commit_callbacks):
    log_in(client, erika, django_capture_on_commit_callbacks, mailoutbox)
    path = link_in(mailoutbox[0], "/abo/anmelden/")

    again = Client().post(path)

    assert again.status_code == 410
    assert "Link nicht mehr gültig" in again.text


def test_a_link_expires_after_30_minutes(
    client, erika, mailoutbox, django_capture_on_commit_callbacks
):
    request_link(client, erika.email, django_capture_on_commit_callbacks)
    path = link_in(mailoutbox[0], "/abo/anmelden/")
    LinkToken.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=31))

    assert client.get(path).status_code == 410
    assert client.post(path).status_code == 410
    assert "Angemeldet" not in client.get(MANAGE).text


def test_a_guessed_link_or_one_for_another_purpose_does_not_log_in(
    client, erika, django_capture_on_commit_callbacks
):
    email_secret = LinkToken.issue(erika, LinkToken.Purpose.EMAIL, new_email="neu@example.org")

    assert client.post("/abo/anmelden/ausgedacht-und-geraten/").status_code == 410
    assert client.post(f"/abo/anmelden/{email_secret}/").status_code == 410
    assert "Angemeldet" not in client.get(MANAGE).text


def test_each_link_logs_in_only_its_own_subscriber(
    client, erika, max_, mailoutbox, django_capture_on_commit_callbacks
):
    log_in(client, max_, django_capture_on_commit_callbacks, mailoutbox)

    page = client.get(MANAGE).text

    assert "Max Beispiel" in page
    assert "Erika Mustermann" not in page


def test_too_many_link_requests_get_a_german_429(client, erika):
    for _ in range(5):
        client.post(MANAGE, {"email": erika.email})

    response = client.post(MANAGE, {"email": erika.email})

    assert response.status_code == 429
    assert "Zu viele Anfragen" in response.text


# The dashboard


def test_the_dashboard_shows_end_dates_and_what_a_cancellation_today_would_give(
    client, erika, mailoutbox, django_capture_on_commit_callbacks
):
    cancelled = make_subscription(
        erika,
        make_plan(name="Print"),
        status="cancelled",
        ends_on=timezone.localdate() + datetime.timedelta(days=20),
    )
    running = make_subscription(erika, make_plan(name="Digital", minimum_term_months=0))
    ended = make_subscription(
        erika,
        make_plan(name="Kombi"),
        status="cancelled",
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    log_in(client, erika, django_capture_on_commit_callbacks, mailoutbox)

    page = client.get(MANAGE).text

    assert f"<strong>{german(cancelled.ends_on)}</strong>" in page
    assert "Bei Kündigung heute endet es am" in page
    assert f'href="/abo/kuendigen/?abo={running.pk}"' in page
    # Cancelled but still running: it can still end sooner (§ 314 BGB); an ended one cannot.
    assert f'href="/abo/kuendigen/?abo={cancelled.pk}"' in page
    assert f'href="/abo/kuendigen/?abo={ended.pk}"' not in page


def test_the_dashboard_needs_the_same_queries_with_many_contracts(
    client, erika, mailoutbox, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    plan = make_plan()
    for _ in range(12):
        make_subscription(erika, plan)
    log_in(client, erika, django_capture_on_commit_callbacks, mailoutbox)

    with django_assert_max_num_queries(8):
        assert client.get(MANAGE).status_code == 200


def test_a_logged_in_subscriber_cancels_one_contract_with_everything_filled_in(
    client, erika, mailoutbox, django_capture_on_commit_callbacks
):
    contract = make_subscription(erika, make_plan())
    other = make_subscription(erika, make_plan())
    log_in(client, erika, django_capture_on_commit_callbacks, mailoutbox)

    data = filled_in(client.get(f"/abo/kuendigen/?abo={contract.pk}"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/abo/kuendigen/?abo={contract.pk}", data)

    contract.refresh_from_db()
    other.refresh_from_db()
    assert data["identifier"] == erika.customer_number
    assert contract.ends_on is not None
    assert other.ends_on is None
    recorded = Declaration.objects.get().contract
    assert recorded == f"{contract.plan.name} (seit {contract.starts_on:%d.%m.%Y})"


def test_nobody_reaches_another_subscribers_contract_by_changing_ids(
    client, erika, max_, mailoutbox, django_capture_on_commit_callbacks
):
    hers = make_subscription(erika, make_plan(), ordered_online=True)
    log_in(client, max_, django_capture_on_commit_callbacks, mailoutbox)

    assert client.get(f"/abo/kuendigen/?abo={hers.pk}").status_code == 404
    assert client.get(f"/abo/widerrufen/?abo={hers.pk}").status_code == 404
    # A forged choice in the form is refused at the field, not carried out.
    response = client.post(
        "/abo/kuendigen/",
        cancellation(
            name="Max Beispiel", identifier=max_.customer_number, contract=f"abo:{hers.pk}"
        ),
    )
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen" in response.text
    hers.refresh_from_db()
    assert hers.ends_on is None


# Address and e-mail


def test_the_delivery_address_changes_and_bad_input_is_refused_at_the_field(
    client, erika, mailoutbox, django_capture_on_commit_callbacks
):
    log_in(client, erika, django_capture_on_commit_callbacks, mailoutbox)
    address = {
        "name": "Erika Mustermann",
        "organisation": "Stadt Musterstadt",
        "street": "Neue Straße 5",
        "postcode": "1234X",
        "city": "Musterstadt",
    }

    refused = client.post("/abo/anschrift/", address)
    saved = client.post("/abo/anschrift/", {**address, "postcode": "01067"})

    assert refused.status_code == 200
    assert "Bitte eine PLZ aus 4 oder 5 Ziffern angeben." in refused.text
    assert 'value="Neue Straße 5"' in refused.text
    assert saved.status_code == 302
    erika.refresh_from_db()
    assert (erika.street, erika.postcode) == ("Neue Straße 5", "01067")
    assert "Ihre Anschrift ist geändert." in client.get(MANAGE).text


def test_without_login_nothing_changes(client, erika):
    response = client.post(
        "/abo/anschrift/", {"name": "X", "street": "Y 1", "postcode": "99999", "city": "Z"}
    )

    assert response.status_code == 302
    erika.refresh_from_db()
    assert erika.postcode == "12345"


def test_a_new_email_address_counts_only_once_it_confirms_by_link(
    client, erika, mailoutbox, django_capture_on_commit_callbacks
):
    log_in(client, erika, django_capture_on_commit_callbacks, mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/abo/email/", {"email": "Erika.Neu@example.org"})

    confirmation = mailoutbox[-1]
    assert confirmation.to == ["erika.neu@example.org"]
    erika.refresh_from_db()
    assert erika.email == "erika@example.org"

    path = link_in(confirmation, "/abo/email/")
    assert "erika.neu@example.org" in client.get(path).text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path)

    erika.refresh_from_db()
    assert erika.email == "erika.neu@example.org"
    assert mailoutbox[-1].to == ["erika@example.org"]  # the old address hears of it
    assert client.post(path).status_code == 410


def test_which_addresses_are_subscribers_does_not_show_in_the_email_change_either(
    client, erika, max_, mailoutbox, django_capture_on_commit_callbacks
):
    log_in(client, erika, django_capture_on_commit_callbacks, mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post("/abo/email/", {"email": max_.email}, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        free = client.post("/abo/email/", {"email": "erika.neu@example.org"}, follow=True)

    def without_address(response):  # nor the CSRF token, which changes with every page
        text = response.text.replace(max_.email, "X").replace("erika.neu@example.org", "X")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    assert taken.redirect_chain == free.redirect_chain == [("/abo/", 302)]
    assert without_address(taken) == without_address(free)
    assert "gehört schon" not in taken.text
    assert [m.to for m in mailoutbox[-2:]] == [[max_.email], ["erika.neu@example.org"]]

    # Only whoever reads the other account's mailbox learns it, on using the link.
    confirmed = client.post(link_in(mailoutbox[-2], "/abo/email/"))

    assert confirmed.status_code == 409
    assert "gehört schon zu einem anderen Kundenkonto" in confirmed.text
    assert Subscriber.objects.get(pk=erika.pk).email == "erika@example.org"
    assert Subscriber.objects.get(pk=max_.pk).email == "max@example.org"


def test_logging_out_ends_the_session(
    client, erika, mailoutbox, django_capture_on_commit_callbacks
):
    log_in(client, erika, django_capture_on_commit_callbacks, mailoutbox)

    client.post("/abo/abmelden/")

    page = client.get(MANAGE).text
    assert "Angemeldet als" not in page
    assert "Anmeldelink anfordern" in page
