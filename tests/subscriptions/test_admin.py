"""The back office of the Aboverwaltung: subscribers, contracts, declarations, mail, newsletter."""

import csv
import datetime
import io
import re
import secrets

import pytest
from django.db import DatabaseError, transaction
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from subscriptions.models import (
    Declaration,
    Effect,
    NewsletterConsent,
    NewsletterIssue,
    OutgoingMail,
    Plan,
    Subscription,
)
from tests.conftest import logged_in
from tests.factories import make_plan, make_subscriber, make_subscription
from tests.subscriptions.helpers import link_in, signed

pytestmark = pytest.mark.django_db

SUBSCRIBERS = "/admin/subscriptions/subscriber/"
SUBSCRIPTIONS = "/admin/subscriptions/subscription/"
DECLARATIONS = "/admin/subscriptions/declaration/"
OUTBOX = "/admin/subscriptions/outgoingmail/"
ISSUES = "/admin/subscriptions/newsletterissue/"


@pytest.fixture
def service(subscription_staff):
    return logged_in(subscription_staff)


def german(day):
    """A date as the mails write it: 11. Mai 2027."""
    with translation.override("de"):
        return dateformat.format(day, "j. F Y")


def declare(client, identifier, name="Erika Mustermann", address="127.0.0.1", **fields):
    """Kündigen through the public form, as a reader does it."""
    data = {
        "kind": "ordinary",
        "reason": "",
        "name": name,
        "identifier": identifier,
        "contract": "alle",
        "requested_end": "",
        "email": "erika@privat.example",
        "submission": secrets.token_urlsafe(24),
    }
    data.update(fields)
    # The commit's callbacks: the receipt is sent, the declaration settled.
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/abo/kuendigen/", signed("cancel", data), REMOTE_ADDR=address)
    assert response.status_code == 302
    return Declaration.objects.get(submission=data["submission"])


# Who sees subscriber data


def back_office_urls():
    return [
        SUBSCRIBERS,
        SUBSCRIPTIONS,
        DECLARATIONS,
        reverse("admin:subscriptions_print_addresses"),
    ]


@pytest.mark.parametrize("url", back_office_urls())
@pytest.mark.parametrize("persona", ["editor", "chief", "ad_sales"])
def test_it_keeps_subscriber_data_from_the_newsroom_and_ad_sales(request, persona, url):
    browser = logged_in(request.getfixturevalue(persona))

    assert browser.get(url).status_code == 403


@pytest.mark.parametrize("url", back_office_urls())
def test_it_lets_the_aboverwaltung_work_with_subscriber_data(service, url):
    assert service.get(url).status_code == 200


# Contracts


def test_it_filters_contracts_by_plan_and_status(service):
    print_plan = make_plan(name="Print-Magazin", kind=Plan.Kind.PRINT)
    digital_plan = make_plan(name="E-Paper", kind=Plan.Kind.DIGITAL)
    printed = make_subscription(make_subscriber(name="Paula Papier"), print_plan)
    cancelled = make_subscription(
        make_subscriber(name="Dieter Digital"),
        digital_plan,
        status=Subscription.Status.CANCELLED,
        ends_on=timezone.localdate() + datetime.timedelta(days=20),
    )

    by_plan = service.get(SUBSCRIPTIONS, {"plan__id__exact": print_plan.pk})
    by_status = service.get(SUBSCRIPTIONS, {"status__exact": "cancelled"})

    assert list(by_plan.context["cl"].result_list) == [printed]
    assert "Paula Papier" in by_plan.content.decode()
    assert "Dieter Digital" not in by_plan.content.decode()
    assert list(by_status.context["cl"].result_list) == [cancelled]
    assert "Dieter Digital" in by_status.content.decode()
    assert "Paula Papier" not in by_status.content.decode()


@pytest.mark.parametrize("by", ["customer_number", "name"])
def test_it_finds_a_contract_by_customer_number_or_name(service, by):
    wanted = make_subscription(make_subscriber(name="Hannelore Sucher"))
    make_subscription(make_subscriber(name="Otto Anders"))

    response = service.get(SUBSCRIPTIONS, {"q": getattr(wanted.subscriber, by)})

    html = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [wanted]
    assert f"Hannelore Sucher ({wanted.subscriber.customer_number})" in html
    assert "Otto Anders" not in html


@pytest.mark.parametrize("contracts", [3, 30])
def test_the_contract_list_costs_the_same_queries_for_3_or_30_contracts(
    service, django_assert_max_num_queries, contracts
):
    for _number in range(contracts):
        make_subscription()

    with django_assert_max_num_queries(10):  # 1 of them: the second factor's device
        response = service.get(SUBSCRIPTIONS)

    assert len(response.context["cl"].result_list) == contracts


def save_by_hand(service, contract, **fields):
    """The contract's admin form as staff send it, with ``fields`` changed."""
    form = {
        "subscriber": contract.subscriber.pk,
        "plan": contract.plan.pk,
        "status": contract.status,
        "concluded_on": contract.concluded_on.isoformat(),
        "starts_on": contract.starts_on.isoformat(),
        "minimum_term_ends": contract.minimum_term_ends.isoformat(),
        "notice_months": 1,
        "renews": "on",
        "renewal_months": 12,
        "price": "89.00",
        "ends_on": "",
        "effects-TOTAL_FORMS": 0,
        "effects-INITIAL_FORMS": 0,
        **fields,
    }
    return service.post(
        reverse("admin:subscriptions_subscription_change", args=[contract.pk]), form
    )


def test_accepting_orders_turns_pending_contracts_into_running_ones(service):
    ordered = make_subscription(status=Subscription.Status.PENDING)
    cancelled = make_subscription(
        status=Subscription.Status.CANCELLED,
        ends_on=timezone.localdate() + datetime.timedelta(days=10),
    )

    response = service.post(
        SUBSCRIPTIONS,
        {"action": "accept_orders", "_selected_action": [ordered.pk, cancelled.pk]},
        follow=True,
    )

    ordered.refresh_from_db()
    cancelled.refresh_from_db()
    assert ordered.status == Subscription.Status.ACTIVE
    assert ordered.accepted_at is not None
    assert cancelled.status == Subscription.Status.CANCELLED
    assert "1 Bestellung angenommen; der Kunde erhält eine Vertragsbestätigung." in (
        response.content.decode()
    )
    # The contract's history says who let it into the mailing house's list.
    history = service.get(
        reverse("admin:subscriptions_subscription_history", args=[ordered.pk])
    ).content.decode()
    assert "Bestellung angenommen" in history
    assert "aboservice" in history


def test_an_order_cancelled_before_anyone_accepted_it_is_delivered_only_once_accepted(service):
    """Cancelled within the minimum term, it runs until its end: once staff accepted it."""
    ends_on = timezone.localdate() + datetime.timedelta(days=300)
    contract = make_subscription(
        make_subscriber(name="Gerda Storno"),
        starts_on=timezone.localdate(),
        status=Subscription.Status.CANCELLED,
        ends_on=ends_on,
    )
    Subscription.objects.filter(pk=contract.pk).update(accepted_at=None)
    waiting = service.get(SUBSCRIPTIONS, {"laeuft": "offen"}).context["cl"].result_list
    csv_before = service.get(reverse("admin:subscriptions_print_addresses"))
    csv_before = b"".join(csv_before.streaming_content).decode()

    service.post(SUBSCRIPTIONS, {"action": "accept_orders", "_selected_action": [contract.pk]})

    contract.refresh_from_db()
    assert list(waiting) == [contract]
    assert "Gerda Storno" not in csv_before
    assert contract.status == Subscription.Status.CANCELLED
    assert contract.ends_on == ends_on
    csv_after = service.get(reverse("admin:subscriptions_print_addresses"))
    assert "Gerda Storno" in b"".join(csv_after.streaming_content).decode()


def test_a_contract_set_to_running_by_hand_counts_as_accepted(service):
    contract = make_subscription(status=Subscription.Status.PENDING)
    response = save_by_hand(service, contract, status="active")

    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == Subscription.Status.ACTIVE
    assert contract.accepted_at is not None


def test_a_running_contract_cannot_be_stored_without_acceptance():
    contract = make_subscription(status=Subscription.Status.PENDING)

    with pytest.raises(DatabaseError), transaction.atomic():
        Subscription.objects.filter(pk=contract.pk).update(status=Subscription.Status.ACTIVE)


def test_a_contract_set_to_cancelled_by_hand_needs_its_end_date(service):
    contract = make_subscription()
    response = save_by_hand(service, contract, status="cancelled")

    assert response.status_code == 200
    assert "braucht das Datum, an dem er endet" in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == Subscription.Status.ACTIVE


# Print delivery addresses for the mailing house


def test_only_accepted_contracts_reach_the_mailing_house_csv(service):
    """Point 2 of issue 25: orders nobody has accepted are not delivered."""
    print_plan = make_plan(name="Print-Magazin", kind=Plan.Kind.PRINT)
    make_subscription(make_subscriber(name="Anna Angenommen"), print_plan)
    waiting = make_subscription(
        make_subscriber(name="Olga Offen"), print_plan, status=Subscription.Status.PENDING
    )

    def delivered():
        response = service.get(reverse("admin:subscriptions_print_addresses"))
        text = b"".join(response.streaming_content).decode("utf-8")[1:]
        return [row[1] for row in list(csv.reader(io.StringIO(text), delimiter=";"))[1:]]

    before = delivered()
    service.post(SUBSCRIPTIONS, {"action": "accept_orders", "_selected_action": [waiting.pk]})

    assert before == ["Anna Angenommen"]
    assert sorted(delivered()) == ["Anna Angenommen", "Olga Offen"]


def test_the_print_addresses_list_what_the_mailing_house_delivers_today(service):
    today = timezone.localdate()
    print_plan = make_plan(name="Print-Magazin", kind=Plan.Kind.PRINT)
    kombi_plan = make_plan(name="Kombi-Abo", kind=Plan.Kind.COMBINED)
    digital_plan = make_plan(name="E-Paper", kind=Plan.Kind.DIGITAL)
    anna = make_subscription(
        make_subscriber(name="Anna Amt", street="Domplatz 3", postcode="48143", city="Münster"),
        print_plan,
    )
    make_subscription(
        make_subscriber(name="Bernd Kombi"), kombi_plan, status=Subscription.Status.PENDING
    )
    kombi = make_subscription(make_subscriber(name="Clara Kombi"), kombi_plan)
    ending = make_subscription(
        make_subscriber(name="Frieda Endet"),
        print_plan,
        status=Subscription.Status.CANCELLED,
        ends_on=today + datetime.timedelta(days=20),
    )
    make_subscription(make_subscriber(name="Carla Digital"), digital_plan)
    make_subscription(
        make_subscriber(name="Dora Widerruf"),
        print_plan,
        status=Subscription.Status.WITHDRAWN,
        ends_on=today,
    )
    make_subscription(
        make_subscriber(name="Emil Beendet"),
        print_plan,
        status=Subscription.Status.CANCELLED,
        ends_on=today - datetime.timedelta(days=1),
    )

    response = service.get(reverse("admin:subscriptions_print_addresses"))
    body = b"".join(response.streaming_content)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith(b"\xef\xbb\xbf")  # Excel reads the umlauts as UTF-8
    text = body.decode("utf-8")[1:]
    assert text.splitlines()[0] == (
        "Kundennummer;Name;Organisation;Straße;PLZ;Ort;Angebot;Abo-Nr.;Liefern bis"
    )
    rows = {row[1]: row for row in list(csv.reader(io.StringIO(text), delimiter=";"))[1:]}
    assert set(rows) == {"Anna Amt", "Clara Kombi", "Frieda Endet"}  # Bernd's order waits
    assert rows["Anna Amt"] == [
        anna.subscriber.customer_number,
        "Anna Amt",
        "",
        "Domplatz 3",
        "48143",
        "Münster",
        "Print-Magazin",
        str(anna.pk),
        "",
    ]
    assert rows["Clara Kombi"][6:8] == ["Kombi-Abo", str(kombi.pk)]
    assert rows["Frieda Endet"][8] == ending.ends_on.strftime("%d.%m.%Y")


def test_the_print_addresses_cannot_run_a_formula_in_a_spreadsheet(service):
    make_subscription(
        make_subscriber(name='=HYPERLINK("https://boese.example";"Hier")', organisation="@SUMME")
    )

    response = service.get(reverse("admin:subscriptions_print_addresses"))
    text = b"".join(response.streaming_content).decode("utf-8")[1:]

    row = list(csv.reader(io.StringIO(text), delimiter=";"))[1]
    assert row[1] == '\'=HYPERLINK("https://boese.example";"Hier")'
    assert row[2] == "'@SUMME"


# Declarations


def test_the_declarations_show_when_they_arrived_to_the_second_and_when_contracts_end(
    client, service
):
    contract = make_subscription(make_subscriber(name="Erika Mustermann"))
    matched = declare(client, contract.subscriber.customer_number)
    unmatched = declare(client, "K-000000", name="Norbert Niemand")

    response = service.get(DECLARATIONS)

    html = response.content.decode()
    ends_on = Effect.objects.get(declaration=matched).ends_on
    assert ends_on is not None
    for declaration in (matched, unmatched):
        received = timezone.localtime(declaration.received_at)
        assert received.strftime("%d.%m.%Y %H:%M:%S") in html
    assert ends_on.strftime("%d.%m.%Y") in html
    assert html.count('<strong class="unmatched">nicht zugeordnet</strong>') == 1


def test_the_declarations_filter_finds_those_not_yet_matched(client, service):
    contract = make_subscription(make_subscriber(name="Erika Mustermann"))
    declare(client, contract.subscriber.customer_number)
    unmatched = declare(client, "unbekannt@example.org", name="Norbert Niemand")

    response = service.get(DECLARATIONS, {"zugeordnet": "nein"})

    assert list(response.context["cl"].result_list) == [unmatched]
    html = response.content.decode()
    assert "Norbert Niemand" in html
    assert "Erika Mustermann" not in html


@pytest.mark.parametrize("declarations", [2, 12])
def test_the_declaration_list_costs_the_same_queries_for_2_or_12_declarations(
    client, service, django_assert_max_num_queries, declarations
):
    for number in range(declarations):
        contract = make_subscription(make_subscriber(name="Erika Mustermann"))
        declare(client, contract.subscriber.customer_number, address=f"203.0.113.{number}")

    with django_assert_max_num_queries(10):  # 1 of them: the second factor's device
        response = service.get(DECLARATIONS)

    html = response.content.decode()
    assert len(response.context["cl"].result_list) == declarations
    assert 'class="unmatched"' not in html
    assert html.count(Effect.objects.first().ends_on.strftime("%d.%m.%Y")) == declarations


def test_staff_see_the_contracts_of_the_customer_number_they_type(client, service):
    contract = make_subscription(
        make_subscriber(name="Erika Mustermann"), make_plan(name="Print-Magazin")
    )
    declaration = declare(client, "unbekannt@example.org")
    url = reverse("admin:subscriptions_declaration_match", args=[declaration.pk])

    response = service.get(url + f"?customer_number={contract.subscriber.customer_number}")

    html = response.content.decode()
    assert response.status_code == 200
    assert contract.subscriber.email in html
    assert f'name="subscriptions" value="{contract.pk}"' in html
    assert "Print-Magazin" in html
    assert not declaration.effects.exists()


def test_matching_by_hand_ends_the_contract_and_writes_the_end_date_to_the_address_on_file(
    client, service, subscription_staff, mailoutbox, django_capture_on_commit_callbacks
):
    contract = make_subscription(make_subscriber(name="Erika Mustermann"))
    declaration = declare(client, "unbekannt@example.org")
    url = reverse("admin:subscriptions_declaration_match", args=[declaration.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = service.post(
            url,
            {
                "customer_number": contract.subscriber.customer_number,
                "subscriptions": [contract.pk],
            },
        )

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:subscriptions_declaration_change", args=[declaration.pk]
    )
    contract.refresh_from_db()
    declaration.refresh_from_db()
    effect = Effect.objects.get(declaration=declaration)
    assert effect.subscription == contract
    assert contract.status == Subscription.Status.CANCELLED
    assert contract.ends_on == effect.ends_on
    assert contract.ends_on > timezone.localdate()
    assert declaration.subscriber == contract.subscriber
    assert declaration.matched_by == subscription_staff
    assert declaration.matched_at is not None
    # The end date goes to the address on file; the address typed had its receipt.
    [message] = [m for m in mailoutbox if m.to == [contract.subscriber.email]]
    assert "Ihrem Abonnement" in message.subject and "zugeordnet" in message.subject
    assert f"Ihr Vertrag endet am {german(contract.ends_on)}." in message.body
    assert "/abo/nicht-ich/" in message.body
    [receipt] = [m for m in mailoutbox if m.to == ["erika@privat.example"]]
    assert german(contract.ends_on) not in receipt.body


def test_a_declaration_matched_to_one_customer_cannot_be_matched_to_another(
    client, service, django_capture_on_commit_callbacks
):
    erika = make_subscription(make_subscriber(name="Erika Mustermann"))
    other = make_subscription(make_subscriber(name="Max Beispiel"))
    declaration = declare(client, "unbekannt@example.org")
    url = reverse("admin:subscriptions_declaration_match", args=[declaration.pk])
    with django_capture_on_commit_callbacks(execute=True):
        service.post(
            url, {"customer_number": erika.subscriber.customer_number, "subscriptions": [erika.pk]}
        )

    response = service.post(
        url, {"customer_number": other.subscriber.customer_number, "subscriptions": [other.pk]}
    )

    assert response.status_code == 200
    assert "schon einem anderen Kunden zugeordnet" in response.content.decode()
    other.refresh_from_db()
    assert other.ends_on is None


def test_the_newsroom_cannot_match_declarations(client, editor_client):
    declaration = declare(client, "unbekannt@example.org")
    url = reverse("admin:subscriptions_declaration_match", args=[declaration.pk])

    assert editor_client.get(url).status_code == 403
    assert not declaration.effects.exists()


def test_the_admin_offers_no_way_to_delete_a_declaration(client, service):
    declaration = declare(client, "unbekannt@example.org")

    changelist = service.get(DECLARATIONS)
    delete = service.post(
        reverse("admin:subscriptions_declaration_delete", args=[declaration.pk]), {"post": "yes"}
    )

    assert "delete_selected" not in changelist.content.decode()
    assert (
        "/delete/"
        not in service.get(
            reverse("admin:subscriptions_declaration_change", args=[declaration.pk])
        ).content.decode()
    )
    assert delete.status_code == 403
    assert Declaration.objects.filter(pk=declaration.pk).exists()


def test_the_database_refuses_to_change_or_delete_a_declaration(client):
    declaration = declare(client, "unbekannt@example.org", name="Erika Mustermann")

    with pytest.raises(DatabaseError, match="is evidence"), transaction.atomic():
        Declaration.objects.filter(pk=declaration.pk).update(name="x")
    with pytest.raises(DatabaseError, match="is evidence"), transaction.atomic():
        Declaration.objects.filter(pk=declaration.pk).delete()

    declaration.refresh_from_db()
    assert declaration.name == "Erika Mustermann"


# "Das war ich nicht" (issue 25, point 1)


def say_it_was_not_me(client, mailoutbox, subscriber):
    """The subscriber follows the link in the notice to the address on file."""
    [notice] = [m for m in mailoutbox if m.to == [subscriber.email]]
    assert client.post(link_in(notice, "/abo/nicht-ich/")).status_code == 200


def test_staff_see_at_once_which_declarations_and_contracts_a_subscriber_disputed(
    client, service, mailoutbox
):
    contract = make_subscription(make_subscriber(name="Erika Mustermann"))
    make_subscription(make_subscriber(name="Otto Anders"))
    disputed = declare(client, contract.subscriber.customer_number)
    declare(client, "K-000000", name="Norbert Niemand")
    say_it_was_not_me(Client(), mailoutbox, contract.subscriber)

    everything = service.get(DECLARATIONS)
    declarations = service.get(DECLARATIONS, {"bestritten": "ja"})
    page = service.get(reverse("admin:subscriptions_declaration_change", args=[disputed.pk]))
    contracts = service.get(SUBSCRIPTIONS, {"bestritten": "ja"})
    contract_page = service.get(
        reverse("admin:subscriptions_subscription_change", args=[contract.pk])
    )

    assert everything.text.count('<strong class="disputed">bestritten am ') == 1
    assert list(declarations.context["cl"].result_list) == [disputed]
    assert '<p class="errornote">Bestritten: Am ' in page.text
    assert contract.subscriber.customer_number in page.text  # who said so
    assert list(contracts.context["cl"].result_list) == [contract]
    assert '<strong class="disputed">Erklärung vom Abonnenten bestritten</strong>' in (
        contracts.text
    )
    assert '<strong class="disputed">Erklärung vom Abonnenten bestritten</strong>' in (
        contract_page.text
    )
    all_contracts = service.get(SUBSCRIPTIONS).text
    assert all_contracts.count('<strong class="disputed">') == 1


def test_staff_cannot_match_a_declaration_to_the_person_who_said_it_was_not_them(
    client, service, mailoutbox
):
    contract = make_subscription(make_subscriber(name="Max Beispiel"))
    declaration = declare(client, contract.subscriber.email, name="Max Mustermann")
    say_it_was_not_me(client, mailoutbox, contract.subscriber)

    response = service.post(
        reverse("admin:subscriptions_declaration_match", args=[declaration.pk]),
        {"customer_number": contract.subscriber.customer_number, "subscriptions": [contract.pk]},
    )

    assert response.status_code == 200
    assert "nicht von ihr oder ihm stammt („Das war ich nicht“)" in response.text
    contract.refresh_from_db()
    assert contract.ends_on is None


def test_the_database_keeps_a_das_war_ich_nicht_once_recorded(client, mailoutbox):
    contract = make_subscription(make_subscriber(name="Erika Mustermann"))
    declaration = declare(client, contract.subscriber.customer_number)
    say_it_was_not_me(client, mailoutbox, contract.subscriber)

    with pytest.raises(DatabaseError, match="is evidence"), transaction.atomic():
        Declaration.objects.filter(pk=declaration.pk).update(disputed_at=None)
    with pytest.raises(DatabaseError, match="is evidence"), transaction.atomic():
        Declaration.objects.filter(pk=declaration.pk).update(disputed_by=None)

    declaration.refresh_from_db()
    assert declaration.disputed_at is not None
    assert declaration.disputed_by == contract.subscriber


# Outbox


def failed_mail():
    return OutgoingMail.objects.create(
        purpose="declaration",
        to="erika@privat.example",
        subject="Eingangsbestätigung Ihrer Kündigung",
        body_text="Guten Tag,\n",
        state=OutgoingMail.State.FAILED,
        attempts=8,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )


def test_staff_see_which_mails_failed_and_why(service):
    failed_mail()

    html = service.get(OUTBOX).content.decode()

    assert "erika@privat.example" in html
    assert '<td class="field-state">Fehlgeschlagen</td>' in html
    assert "SMTPServerDisconnected" in html


def test_sending_a_failed_mail_again_delivers_it(
    service, mailoutbox, django_capture_on_commit_callbacks
):
    outgoing = failed_mail()

    with django_capture_on_commit_callbacks(execute=True):
        response = service.post(
            OUTBOX, {"action": "send_again", "_selected_action": [outgoing.pk]}, follow=True
        )

    outgoing.refresh_from_db()
    assert outgoing.state == OutgoingMail.State.SENT
    assert outgoing.sent_at is not None
    assert [m.to for m in mailoutbox] == [["erika@privat.example"]]
    assert mailoutbox[0].subject == "Eingangsbestätigung Ihrer Kündigung"
    assert "1 E-Mail wird jetzt versendet" in response.content.decode()


# Newsletter


def consent(email, confirmed=True, unsubscribed=False, **fields):
    now = timezone.now()
    return NewsletterConsent.objects.create(
        email=email,
        wording="Ja, ich möchte den Newsletter erhalten.",
        confirmed_at=now if confirmed else None,
        unsubscribed_at=now if unsubscribed else None,
        digest=secrets.token_hex(32),
        **fields,
    )


def test_a_newsletter_issue_goes_once_to_each_confirmed_address_with_a_way_out(
    service, mailoutbox, django_capture_on_commit_callbacks, task_queue
):
    consent("anna@example.org")
    consent("bernd@example.org")
    consent("bernd@example.org")  # signed up twice: one mail
    consent("carla@example.org", confirmed=False)
    consent("dora@example.org", unsubscribed=True)
    issue = NewsletterIssue.objects.create(subject="Woche 12", body="OZG 2.0 ist beschlossen.")

    with django_capture_on_commit_callbacks(execute=True):
        sent = service.post(
            ISSUES, {"action": "send", "_selected_action": [issue.pk]}, follow=True
        )
    # The admin's answer does not wait for thousands of mails: the worker writes and sends them.
    assert "geht an 2 Empfänger" in sent.content.decode()
    assert mailoutbox == []
    assert task_queue.waiting("write_issue_mails").count() == 1
    task_queue.run()

    assert sorted(m.to[0] for m in mailoutbox) == ["anna@example.org", "bernd@example.org"]
    for message in mailoutbox:
        headers = message.message()
        assert re.fullmatch(
            r"<https?://[^/>]+/newsletter/abmelden/[^/>]+/>", headers["List-Unsubscribe"]
        )
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.subject == "Woche 12"
    issue.refresh_from_db()
    assert issue.sent_at is not None
    assert issue.recipients == 2 and issue.queued_at is not None
    listed = service.get(ISSUES).content.decode()
    assert '<td class="field-progress">2 von 2 versendet</td>' in listed

    with django_capture_on_commit_callbacks(execute=True):
        again = service.post(
            ISSUES, {"action": "send", "_selected_action": [issue.pk]}, follow=True
        )

    assert len(mailoutbox) == 2
    assert OutgoingMail.objects.filter(purpose="newsletter").count() == 2
    assert "war schon versendet" in again.content.decode()


def test_the_proof_of_consent_shows_wording_times_and_addresses(service):
    berlin = timezone.get_current_timezone()
    proof = consent(
        "anna@example.org",
        requested_at=datetime.datetime(2026, 3, 14, 9, 26, 53, tzinfo=berlin),
        requested_from="203.0.113.7",
        confirmed_from="198.51.100.23",
    )
    NewsletterConsent.objects.filter(pk=proof.pk).update(
        confirmed_at=datetime.datetime(2026, 3, 14, 9, 31, 2, tzinfo=berlin)
    )

    response = service.get(reverse("admin:subscriptions_newsletterconsent_proof", args=[proof.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "anna@example.org" in html
    assert "Ja, ich möchte den Newsletter erhalten." in html
    assert "14.3.2026 09:26:53 Uhr, von IP-Adresse 203.0.113.7" in html
    assert "14.3.2026 09:31:02 Uhr, von IP-Adresse 198.51.100.23" in html
    # Its layout comes from a file: the Content Security Policy blocks inline styles.
    assert "<style" not in html and "css/proof" in html


def test_the_newsroom_cannot_see_a_proof_of_consent(editor_client):
    proof = consent("anna@example.org")

    response = editor_client.get(
        reverse("admin:subscriptions_newsletterconsent_proof", args=[proof.pk])
    )

    assert response.status_code == 403
