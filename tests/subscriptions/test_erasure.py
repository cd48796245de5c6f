"""Erasure on request (issue 20, point 4): one admin action, a confirmation page, a log, a mail."""

import datetime
import secrets

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.utils import timezone

from subscriptions import retention
from subscriptions.models import (
    Declaration,
    LinkToken,
    NewsletterConsent,
    Order,
    OutgoingMail,
    Subscriber,
    Subscription,
)
from tests.conftest import logged_in, make_staff
from tests.factories import make_subscriber, make_subscription, queue_login_mail
from tests.subscriptions.helpers import submission_key

pytestmark = pytest.mark.django_db

LIST = "/admin/subscriptions/subscriber/"
ACTION = "erase_personal_data"
TODAY = timezone.localdate()


@pytest.fixture
def privacy_officer(django_user_model):
    """Datenschutz: answers requests of data subjects; the one role that may erase."""
    return make_staff(django_user_model, "datenschutz", "Datenschutz")


@pytest.fixture
def officer(privacy_officer):
    return logged_in(privacy_officer)


@pytest.fixture
def erika():
    """A customer whose contract ended last month, with a cancellation on file."""
    subscriber = make_subscriber(
        name="Erika Mustermann", email="erika@example.org", city="Leipzig"
    )
    contract = make_subscription(
        subscriber,
        status=Subscription.Status.CANCELLED,
        ends_on=TODAY - datetime.timedelta(days=30),
    )
    Order.objects.create(
        plan=contract.plan,
        email=subscriber.email,
        name=subscriber.name,
        street=subscriber.street,
        postcode=subscriber.postcode,
        city=subscriber.city,
        confirmed_at=timezone.now(),
        subscription=contract,
        submission=submission_key(),
    )
    Declaration.objects.create(
        kind=Declaration.Kind.ORDINARY,
        name="Erika Mustermann",
        identifier=subscriber.customer_number,
        contract="alle",
        email="erika@example.org",
        subscriber=subscriber,
        submission=submission_key(),
    )
    LinkToken.issue(subscriber, LinkToken.Purpose.LOGIN)
    NewsletterConsent.objects.create(
        email="erika@example.org",
        wording="Ja",
        confirmed_at=timezone.now(),
        digest=secrets.token_hex(32),
    )
    queue_login_mail(subscriber)
    return subscriber


def choose(subscriber, **more):
    return {"action": ACTION, "_selected_action": [subscriber.pk], **more}


def test_point_4_the_page_says_what_goes_and_what_the_law_keeps_until_when(officer, erika):
    page = officer.post(LIST, choose(erika))

    assert page.status_code == 200
    text = page.text
    assert "Personenbezogene Daten löschen (Art. 17 DSGVO)" in text
    assert "Wird jetzt gelöscht" in text and "die E-Mail-Adresse" in text
    assert "Muss aufbewahrt werden" in text
    # Name and billing address: 8 years from the end of the year the contract ended.
    ended = TODAY - datetime.timedelta(days=30)
    assert f"31.12.{ended.year + 8}" in text and "§ 147 Abs. 1 Nr. 4, Abs. 3 AO" in text
    # The cancellation, a received Handelsbrief: 6 years from the end of its year.
    assert f"31.12.{TODAY.year + 6}" in text and "§ 257 Abs. 1 Nr. 2, Abs. 4 HGB" in text
    # Nothing happened yet.
    erika.refresh_from_db()
    assert erika.email == "erika@example.org"


def test_point_4_confirming_erases_logs_and_mails_the_person(
    officer, privacy_officer, erika, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(LIST, choose(erika, confirmed="yes"))

    assert response.status_code == 302
    assert "wurden gelöscht" in officer.get(response["Location"]).text
    erika.refresh_from_db()
    assert erika.email == f"geloescht-{erika.pk}@anonymisiert.invalid"
    assert erika.contact_erased_at is not None
    assert not LinkToken.objects.filter(subscriber=erika).exists()
    assert not NewsletterConsent.objects.exists()
    assert Order.objects.get().email.endswith("@anonymisiert.invalid")
    # What the law keeps stays: name, address, the contract, the declaration.
    assert (erika.name, erika.city) == ("Erika Mustermann", "Leipzig")
    assert Declaration.objects.get().name == "Erika Mustermann"
    # The log: who, when, which customer number; nothing about the person.
    entry = LogEntry.objects.get(object_id=str(erika.pk), user=privacy_officer)
    assert entry.object_repr == erika.customer_number
    assert entry.change_message.startswith("Personenbezogene Daten gelöscht (Art. 17 DSGVO).")
    assert "Erika" not in entry.object_repr + entry.change_message
    assert entry.action_time > timezone.now() - datetime.timedelta(minutes=1)
    # The confirmation went to the address it erased, the only mail that did.
    assert [message.to for message in mailoutbox] == [["erika@example.org"]]
    confirmation = mailoutbox[0]
    assert confirmation.subject == "Ihre personenbezogenen Daten wurden gelöscht"
    assert "Guten Tag Erika Mustermann" in confirmation.body
    assert f"31. Dezember {TODAY.year + 6}" in confirmation.body
    # The outbox keeps no copy of the earlier mails to her.
    assert OutgoingMail.objects.filter(to="erika@example.org").count() == 1


def test_point_4_the_sent_vertragsbestaetigung_stays_as_a_handelsbrief(officer, erika):
    letter = queue_login_mail(erika)
    sent = timezone.now() - datetime.timedelta(days=400)
    OutgoingMail.objects.filter(pk=letter.pk).update(
        purpose="contract", state="sent", sent_at=sent
    )

    page = officer.post(LIST, choose(erika)).text
    assert "Kopien der versandten Vertrags- und Eingangsbestätigungen" in page
    assert f"31.12.{timezone.localdate(sent).year + 6}" in page
    officer.post(LIST, choose(erika, confirmed="yes"))

    letter.refresh_from_db()
    assert letter.to == "erika@example.org"
    assert letter.body_text.startswith("Guten Tag")


def test_point_4_the_confirmation_keeps_its_recipient_only_until_it_is_sent(
    officer, erika, django_capture_on_commit_callbacks
):
    # The mail server is down: the confirmation waits, with its address.
    officer.post(LIST, choose(erika, confirmed="yes"))
    waiting = OutgoingMail.objects.get(purpose="erasure")
    assert (waiting.state, waiting.to) == ("queued", "erika@example.org")

    retention.purge()
    waiting.refresh_from_db()
    assert waiting.to == "erika@example.org"

    OutgoingMail.objects.filter(pk=waiting.pk).update(state="sent", sent_at=timezone.now())
    retention.purge()
    waiting.refresh_from_db()
    assert waiting.to.endswith("@anonymisiert.invalid")
    assert "Erika" not in waiting.body_text


def test_point_4_a_running_contract_is_refused_with_its_reason(
    officer, mailoutbox, django_capture_on_commit_callbacks
):
    max_ = make_subscriber(name="Max Beispiel", email="max@example.org")
    make_subscription(max_)

    page = officer.post(LIST, choose(max_))
    assert "Kann nicht gelöscht werden" in page.text
    assert "läuft noch (auf unbestimmte Zeit)" in page.text
    assert "Bitte den Vertrag zuerst beenden" in page.text

    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(LIST, choose(max_, confirmed="yes"))
    assert "nicht gelöscht: Der Vertrag" in officer.get(response["Location"]).text
    max_.refresh_from_db()
    assert max_.email == "max@example.org"
    assert mailoutbox == []
    assert not LogEntry.objects.filter(object_id=str(max_.pk)).exists()


def test_point_4_someone_with_nothing_to_keep_is_anonymised_at_once(officer):
    newsletter_only = make_subscriber(name="Nur Konto", email="konto@example.org")

    officer.post(LIST, choose(newsletter_only, confirmed="yes"))

    newsletter_only.refresh_from_db()
    assert (newsletter_only.name, newsletter_only.street) == ("[anonymisiert]", "")


def test_point_4_the_aboverwaltung_cannot_erase(subscription_staff, erika):
    service = logged_in(subscription_staff)

    listing = service.get(LIST)
    assert listing.status_code == 200
    assert ACTION not in listing.text
    response = service.post(LIST, choose(erika, confirmed="yes"))

    assert response.status_code in (200, 302)
    erika.refresh_from_db()
    assert erika.email == "erika@example.org"
    assert not OutgoingMail.objects.filter(purpose="erasure").exists()


def test_point_4_the_action_needs_the_forms_csrf_token(privacy_officer, erika):
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = logged_in(privacy_officer).cookies  # signed in, second factor too

    forged = browser.post(LIST, choose(erika, confirmed="yes"))

    assert forged.status_code == 403
    assert "Ihre Eingabe wurde nicht gespeichert" in forged.text
    erika.refresh_from_db()
    assert erika.email == "erika@example.org"
    # The same browser with the page's token gets the confirmation page.
    token = browser.get(LIST).cookies["csrftoken"].value
    page = browser.post(LIST, choose(erika, csrfmiddlewaretoken=token))
    assert page.status_code == 200 and "Wird jetzt gelöscht" in page.text
    erika.refresh_from_db()
    assert erika.email == "erika@example.org"


def test_point_4_an_erased_customer_still_shows_and_cannot_be_edited(officer, erika):
    officer.post(LIST, choose(erika, confirmed="yes"))
    erika.refresh_from_db()

    listing = officer.get(LIST)
    assert listing.status_code == 200 and erika.customer_number in listing.text
    page = officer.get(f"{LIST}{erika.pk}/change/")
    assert page.status_code == 200
    assert 'name="email"' not in page.text  # shown, not a form field
    # Asking again says it was done.
    assert "bereits am" in officer.post(LIST, choose(erika)).text


def test_point_4_the_login_form_treats_the_erased_address_as_unknown(
    client, officer, erika, mailoutbox, django_capture_on_commit_callbacks
):
    officer.post(LIST, choose(erika, confirmed="yes"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/abo/", {"email": "erika@example.org"})

    assert response["Location"] == "/abo/?gesendet=1"
    note = OutgoingMail.objects.get(purpose__startswith="login-")
    assert (note.purpose, note.to) == ("login-unknown", "erika@example.org")
    assert not LinkToken.objects.exists()
    assert Subscriber.objects.filter(email="erika@example.org").count() == 0
