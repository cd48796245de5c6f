"""Personal data kept only as long as needed (issue 20, point 2): each rule, with a clock."""

import datetime
import io
import secrets

import pytest
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.utils import timezone

from subscriptions import retention
from subscriptions.models import (
    ANONYMISED_DECLARATION,
    Declaration,
    Effect,
    LinkToken,
    NewsletterConsent,
    Order,
    OutgoingMail,
    Subscriber,
    Subscription,
)
from tests.factories import make_subscriber, make_subscription, queue_login_mail

pytestmark = pytest.mark.django_db
NOW = timezone.now()
DAY = datetime.timedelta(days=1)


def sign_up(email, requested_days_ago, confirmed=False, unsubscribed_days_ago=None):
    return NewsletterConsent.objects.create(
        email=email,
        wording="Ja",
        requested_at=NOW - requested_days_ago * DAY,
        requested_from="203.0.113.7",
        confirmed_at=NOW - requested_days_ago * DAY if confirmed else None,
        confirmed_from="198.51.100.23" if confirmed else None,
        unsubscribed_at=None
        if unsubscribed_days_ago is None
        else NOW - unsubscribed_days_ago * DAY,
        digest=secrets.token_hex(32),
    )


def test_point_2_an_unconfirmed_sign_up_and_its_address_go_after_30_days():
    old = sign_up("alt@example.org", requested_days_ago=31)
    recent = sign_up("neu@example.org", requested_days_ago=29)
    confirmed = sign_up("bestaetigt@example.org", requested_days_ago=400, confirmed=True)

    retention.purge(now=NOW)

    assert set(NewsletterConsent.objects.values_list("pk", flat=True)) == {
        recent.pk,
        confirmed.pk,
    }
    assert not NewsletterConsent.objects.filter(pk=old.pk).exists()


def test_point_2_a_consents_ip_addresses_go_three_years_after_it_ended():
    ended_long_ago = sign_up(
        "a@example.org", 2000, confirmed=True, unsubscribed_days_ago=3 * 365 + 1
    )
    ended_lately = sign_up(
        "b@example.org", 2000, confirmed=True, unsubscribed_days_ago=3 * 365 - 1
    )
    running = sign_up("c@example.org", 2000, confirmed=True)

    retention.purge(now=NOW)

    ended_long_ago.refresh_from_db()
    assert (ended_long_ago.requested_from, ended_long_ago.confirmed_from) == (None, None)
    # The proof otherwise stays: what was consented to, and when.
    assert ended_long_ago.wording == "Ja" and ended_long_ago.confirmed_at is not None
    for kept in (ended_lately, running):
        kept.refresh_from_db()
        assert kept.requested_from == "203.0.113.7"


def test_point_2_a_mails_text_goes_90_days_after_sending_and_its_envelope_stays():
    old = queue_login_mail(make_subscriber(email="alt@example.org"))
    recent = queue_login_mail(make_subscriber(email="neu@example.org"))
    waiting = queue_login_mail(make_subscriber(email="wartet@example.org"))
    OutgoingMail.objects.filter(pk=old.pk).update(state="sent", sent_at=NOW - 91 * DAY)
    OutgoingMail.objects.filter(pk=recent.pk).update(state="sent", sent_at=NOW - 89 * DAY)
    OutgoingMail.objects.filter(pk=waiting.pk).update(
        state="queued", next_attempt_at=NOW - 200 * DAY
    )

    retention.purge(now=NOW)

    old.refresh_from_db()
    assert old.body_text == retention.BODY_PURGED and old.body_html == ""
    assert (old.to, old.purpose) == ("alt@example.org", "login")
    assert old.subject.startswith("Ihr Anmeldelink")
    for kept in (recent, waiting):
        kept.refresh_from_db()
        assert "Guten Tag" in kept.body_text


def test_point_2_the_command_counts_first_and_the_worker_runs_it_daily():
    sign_up("alt@example.org", requested_days_ago=31)
    out = io.StringIO()

    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert NewsletterConsent.objects.count() == 1
    call_command("purge_personal_data", stdout=out)

    assert out.getvalue().splitlines()[0] == (
        "1 unbestätigte Newsletter-Anmeldungen gelöscht (würden)"
    )
    assert "1 unbestätigte Newsletter-Anmeldungen gelöscht" in out.getvalue().splitlines()
    assert not NewsletterConsent.objects.exists()
    from portal.lib.tasks import SCHEDULE

    assert SCHEDULE["subscriptions.retention.purge_personal_data"][1] == DAY


# Subscribers and declarations: periods counted from the end of the calendar year.


def test_point_2_a_sent_vertragsbestaetigung_is_kept_whole_for_the_handelsbriefe_six_years():
    """§ 257 Abs. 1 Nr. 3 HGB: copies of sent letters, 6 years from the end of the year."""
    subscriber = make_subscriber(email="vertrag@example.org")
    letter = queue_login_mail(subscriber)
    OutgoingMail.objects.filter(pk=letter.pk).update(
        purpose="contract", state="sent", sent_at=berlin(2019, 11, 2)
    )

    retention.purge(now=berlin(2025, 12, 31, 23))  # six years on, but not after their year's end
    letter.refresh_from_db()
    assert (letter.to, letter.body_text.startswith("Guten Tag")) == ("vertrag@example.org", True)

    retention.purge(now=berlin(2026, 1, 1, 1))
    letter.refresh_from_db()
    assert letter.body_text == retention.BODY_PURGED
    assert letter.to == f"mail-{letter.pk}@anonymisiert.invalid"
    assert letter.subject.startswith("Ihr Anmeldelink")  # the envelope's subject and dates stay


def berlin(year, month, day, hour=12):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def former_subscriber(ended_on, **fields):
    """A customer whose only contract ended on ``ended_on``, with a login link and an order."""
    subscriber = make_subscriber(
        name="Erika Mustermann", organisation="Amt für Beispiele", **fields
    )
    contract = make_subscription(
        subscriber,
        starts_on=ended_on - 400 * DAY,
        status=Subscription.Status.CANCELLED,
        ends_on=ended_on,
    )
    Order.objects.create(
        plan=contract.plan,
        email=subscriber.email,
        name=subscriber.name,
        street=subscriber.street,
        postcode=subscriber.postcode,
        city=subscriber.city,
        confirmed_at=NOW,
        subscription=contract,
        submission=secrets.token_hex(16),
    )
    LinkToken.issue(subscriber, LinkToken.Purpose.LOGIN)
    return subscriber


def test_point_2_a_former_subscribers_address_goes_when_the_limitation_period_is_over():
    # Ended in 2022: claims from it are time-barred at the end of 2025 (§§ 195, 199 BGB).
    subscriber = former_subscriber(datetime.date(2022, 6, 30), email="erika@example.org")
    queue_login_mail(subscriber)

    retention.purge(now=berlin(2025, 12, 31, 23))
    subscriber.refresh_from_db()
    assert subscriber.email == "erika@example.org"

    retention.purge(now=berlin(2026, 1, 1, 1))
    subscriber.refresh_from_db()
    assert subscriber.email == f"geloescht-{subscriber.pk}@anonymisiert.invalid"
    assert not LinkToken.objects.filter(subscriber=subscriber).exists()
    assert not OutgoingMail.objects.filter(to="erika@example.org").exists()
    assert Order.objects.get().email.endswith("@anonymisiert.invalid")
    # Name and billing address stay: the Buchungsbelege' period runs longer.
    assert (subscriber.name, subscriber.city) == ("Erika Mustermann", "Musterstadt")
    assert Order.objects.get().name == "Erika Mustermann"


def test_point_2_name_and_address_go_when_the_period_of_the_buchungsbelege_is_over():
    subscriber = former_subscriber(datetime.date(2017, 12, 31))
    contract = subscriber.subscriptions.get()

    retention.purge(now=berlin(2025, 12, 31, 23))
    subscriber.refresh_from_db()
    assert subscriber.name == "Erika Mustermann"

    retention.purge(now=berlin(2026, 1, 1, 1))
    subscriber.refresh_from_db()
    assert (subscriber.name, subscriber.organisation, subscriber.street, subscriber.city) == (
        "[anonymisiert]",
        "",
        "",
        "",
    )
    assert subscriber.anonymised_at is not None
    order = Order.objects.get()
    assert (order.name, order.street) == ("[anonymisiert]", "")
    # What is no one's any more stays for the figures: the number, the contract and its terms.
    assert subscriber.customer_number.startswith("K-")
    contract.refresh_from_db()
    assert (contract.price, contract.ends_on) == (contract.plan.price, datetime.date(2017, 12, 31))


def test_point_2_a_customer_with_a_running_contract_keeps_everything():
    subscriber = make_subscriber(email="laeuft@example.org")
    make_subscription(subscriber, starts_on=datetime.date(2010, 1, 1))
    make_subscription(
        subscriber,
        starts_on=datetime.date(2010, 1, 1),
        status=Subscription.Status.CANCELLED,
        ends_on=datetime.date(2012, 1, 1),
    )

    retention.purge(now=NOW)

    subscriber.refresh_from_db()
    assert (subscriber.email, subscriber.anonymised_at) == ("laeuft@example.org", None)


def declared(received_at, **fields):
    fields.setdefault("name", "Erika Mustermann")
    return Declaration.objects.create(
        kind=Declaration.Kind.ORDINARY,
        identifier="K-100001",
        contract="Print-Magazin, jährlich",
        email="erika@example.org",
        reason="Umzug nach Leipzig",
        received_at=received_at,
        submission=secrets.token_hex(16),
        **fields,
    )


def test_point_2_a_declaration_is_anonymised_six_years_after_the_year_it_arrived():
    old = declared(berlin(2019, 12, 31, 23))
    newer = declared(berlin(2020, 1, 1, 0))

    retention.purge(now=berlin(2025, 12, 31, 23))
    old.refresh_from_db()
    assert old.name == "Erika Mustermann"

    retention.purge(now=berlin(2026, 1, 1, 1))
    old.refresh_from_db()
    newer.refresh_from_db()
    assert (old.name, old.email, old.identifier, old.contract, old.reason) == (
        "[anonymisiert]",
        "",
        "",
        "",
        "",
    )
    # What it was and when it came stay, and its receipt still opens.
    assert (old.kind, old.received_at) == ("ordinary", berlin(2019, 12, 31, 23))
    assert newer.name == "Erika Mustermann"


def test_point_2_a_declaration_waits_while_claims_about_the_end_it_gave_are_open():
    declaration = declared(berlin(2019, 3, 1))
    contract = make_subscription(starts_on=datetime.date(2018, 1, 1))
    Effect.objects.create(
        declaration=declaration,
        subscription=contract,
        outcome=Effect.Outcome.ENDS,
        ends_on=datetime.date(2023, 6, 30),
    )

    retention.purge(now=berlin(2026, 6, 1))
    declaration.refresh_from_db()
    assert declaration.name == "Erika Mustermann"

    retention.purge(now=berlin(2027, 1, 1, 1))
    declaration.refresh_from_db()
    assert declaration.name == "[anonymisiert]"


def test_point_2_the_database_allows_anonymising_a_declaration_and_nothing_else():
    declaration = declared(berlin(2019, 3, 1))
    one = Declaration.objects.filter(pk=declaration.pk)

    for change in (
        {"name": "[anonymisiert]"},  # only part of it
        {**ANONYMISED_DECLARATION, "kind": "withdrawal"},  # and something else
        {**ANONYMISED_DECLARATION, "received_at": NOW},
        {**ANONYMISED_DECLARATION, "name": "Max Muster"},  # not anonymised
    ):
        with pytest.raises(DatabaseError, match="is evidence"), transaction.atomic():
            one.update(**change)
    with pytest.raises(DatabaseError, match="never deleted"), transaction.atomic():
        one.delete()

    assert one.update(**ANONYMISED_DECLARATION) == 1
    # Anonymised, it is as unchangeable as before.
    with pytest.raises(DatabaseError, match="is evidence"), transaction.atomic():
        one.update(name="Erika Mustermann")
    with pytest.raises(DatabaseError, match="is evidence"), transaction.atomic():
        one.update(reason="nachgetragen")


def test_point_2_the_command_counts_the_new_rules_without_changing_anything():
    former_subscriber(datetime.date(2010, 5, 1), email="alt@example.org")
    declared(berlin(2010, 5, 1))
    out = io.StringIO()

    call_command("purge_personal_data", "--dry-run", stdout=out)

    lines = out.getvalue().splitlines()
    assert (
        "1 E-Mail-Adressen ehemaliger Abonnenten gelöscht (Verjährungsfrist vorbei) (würden)"
        in lines
    )
    assert any(line.startswith("1 ehemalige Abonnenten anonymisiert") for line in lines)
    assert any(line.startswith("1 Kündigungen und Widerrufe anonymisiert") for line in lines)
    assert Subscriber.objects.get().email == "alt@example.org"
    assert Declaration.objects.get().name == "Erika Mustermann"


def test_point_2_the_datenschutzerklaerung_names_the_periods(client):
    page = client.get("/datenschutz/").text

    assert "Wie lange wir Daten speichern" in page
    assert "<td>30 Tage</td>" in page
    assert "8 Jahre ab Ende des Jahres, in dem der Vertrag endete" in page
    assert "6 Jahre ab Ende des Jahres, in dem sie eingingen oder versandt wurden" in page
    assert "Verlangen Sie die Löschung" in page
