"""Kündigen as § 312k BGB requires: from every page, without login, confirmed at once."""

import datetime
import re

import pytest
from django.core import mail as django_mail
from django.core.management import call_command
from django.utils import timezone

from subscriptions import terms
from subscriptions.contracts import ContractChoice
from subscriptions.forms import CancellationForm
from subscriptions.models import Declaration, Effect, OutgoingMail, Subscription
from tests.factories import make_article, make_plan, make_subscriber, make_subscription
from tests.subscriptions.helpers import (
    cancellation,
    german,
    pdf_text,
    received_with_seconds,
)

pytestmark = pytest.mark.django_db

CANCEL = "/abo/kuendigen/"


@pytest.fixture
def erika():
    return make_subscriber(name="Erika Mustermann", email="erika.mustermann@example.org")


@pytest.fixture
def print_contract(erika):
    """Print, 12 months minimum, a month's notice, running for 550 days: past the minimum term."""
    return make_subscription(erika, make_plan(name="Print-Magazin, jährlich"))


def send(client, on_commit, **fields):
    with on_commit(execute=True):
        return client.post(CANCEL, cancellation(**fields))


# Reachable from every page, nothing in front of it


def test_every_page_has_the_button_that_leads_straight_to_the_cancellation_form(client):
    article = make_article()

    for url in ["/", article.get_absolute_url(), "/archiv/"]:
        html = client.get(url).content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        assert f'href="{CANCEL}">Verträge hier kündigen</a>' in footer
        assert f'<a href="{CANCEL}">Abonnement kündigen</a>' in footer
        # Not folded away behind "more links".
        assert "<details" not in footer


def test_the_form_needs_no_login_and_shows_jetzt_kuendigen_at_once(client):
    response = client.get(CANCEL)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'type="password"' not in html
    start = html.index('class="service-form"')
    form = html[start : html.index("</form>", start)]
    assert '<button type="submit" class="button button--primary">jetzt kündigen</button>' in form


def test_the_form_asks_only_what_the_law_allows(client):
    form = client.get(CANCEL).context["form"]

    required = {name for name, field in form.fields.items() if field.required}
    # Kind, who, something that identifies them, which contract, where the
    # confirmation goes; the end date and the reason are optional (the
    # reason only for an extraordinary cancellation), the key is hidden.
    assert required == {"kind", "name", "identifier", "contract", "email", "submission"}
    assert not form.fields["requested_end"].required
    assert form.fields["contract"].initial == "alle"


def test_the_cancellation_page_makes_no_retention_offer(client):
    make_plan(name="Digital-Abo, monatlich")

    html = client.get(CANCEL).content.decode()
    main = html[html.index("<main") : html.index("</main>")]

    assert "/abo/bestellen/" not in main
    assert not re.search(r"Rabatt|Gutschein|Sonderangebot|bleiben Sie|Prämie", main, re.I)


# The journey


def test_cancelling_by_customer_number_ends_the_contract_and_confirms_at_once(
    client, print_contract, mailoutbox, django_capture_on_commit_callbacks
):
    subscriber = print_contract.subscriber
    today = timezone.localdate()

    response = send(
        client,
        django_capture_on_commit_callbacks,
        identifier=subscriber.customer_number,
        email="erika@privat.example",
    )

    declaration = Declaration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == declaration.get_absolute_url()
    print_contract.refresh_from_db()
    expected_end = terms.add_months(today, 1)  # past the minimum term: a month's notice
    assert print_contract.status == Subscription.Status.CANCELLED
    assert print_contract.ends_on == expected_end
    assert declaration.subscriber == subscriber
    assert declaration.effects.get().ends_on == expected_end

    confirmation = next(m for m in mailoutbox if m.to == ["erika@privat.example"])
    assert "Eingangsbestätigung Ihrer Kündigung" in confirmation.subject
    assert received_with_seconds(declaration) in confirmation.body
    assert f"Ihr Vertrag endet am {german(expected_end)}." in confirmation.body
    assert "Ordentliche Kündigung" in confirmation.body
    html_part, mimetype = confirmation.alternatives[0]
    assert mimetype == "text/html"
    assert german(expected_end) in html_part

    # The address on file hears of it too, in case it was not them.
    notice = next(m for m in mailoutbox if m.to == [subscriber.email])
    assert "Erklärung eingegangen" in notice.subject


def test_the_receipt_page_shows_the_declaration_with_date_and_time_of_receipt(
    client, print_contract, django_capture_on_commit_callbacks
):
    response = send(
        client, django_capture_on_commit_callbacks, identifier=print_contract.subscriber.email
    )

    page = client.get(response["Location"])
    html = page.content.decode()
    declaration = Declaration.objects.get()
    received = timezone.localtime(declaration.received_at)
    assert page.status_code == 200
    assert "Ihre Kündigung ist eingegangen" in html
    assert f"{german(received.date())}, {received:%H:%M:%S} Uhr" in html
    assert "Print-Magazin, jährlich" in html
    assert german(terms.add_months(timezone.localdate(), 1)) in html
    assert "noindex" in html
    assert page["Cache-Control"].startswith("max-age=0")
    assert f'href="{declaration.get_absolute_url()}pdf/"' in html
    assert "data-print" in html


def test_the_receipt_downloads_as_a_pdf_with_the_declaration_on_page_one(
    client, print_contract, django_capture_on_commit_callbacks
):
    response = send(
        client,
        django_capture_on_commit_callbacks,
        identifier=print_contract.subscriber.customer_number,
    )

    pdf = client.get(response["Location"] + "pdf/")

    declaration = Declaration.objects.get()
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith('attachment; filename="kuendigung-')
    first_page = pdf_text(pdf.content)[0]
    assert "Eingangsbestätigung Ihrer Kündigung" in first_page
    assert received_with_seconds(declaration) in first_page
    assert german(print_contract.subscriber.subscriptions.get().ends_on) in first_page


def test_a_receipt_cannot_be_found_without_its_link(client):
    assert client.get("/abo/erklaerung/geraten/").status_code == 404
    assert client.get("/abo/erklaerung/geraten/pdf/").status_code == 404


def test_within_the_minimum_term_the_contract_ends_with_the_term(
    client, erika, django_capture_on_commit_callbacks
):
    start = timezone.localdate() - datetime.timedelta(days=100)
    contract = make_subscription(erika, make_plan(minimum_term_months=24), starts_on=start)

    send(client, django_capture_on_commit_callbacks, identifier=erika.customer_number)

    contract.refresh_from_db()
    assert contract.ends_on == terms.term_end(start, 24)


def test_a_later_end_date_is_honoured_and_an_earlier_one_gives_the_earliest(
    client, erika, django_capture_on_commit_callbacks
):
    later = timezone.localdate() + datetime.timedelta(days=200)
    first = make_subscription(erika, make_plan(slug="erstes"))
    second = make_subscription(erika, make_plan(slug="zweites"))

    send(
        client,
        django_capture_on_commit_callbacks,
        identifier=erika.customer_number,
        contract="plan:erstes",
        requested_end=later.isoformat(),
    )
    send(
        client,
        django_capture_on_commit_callbacks,
        identifier=erika.customer_number,
        contract="plan:zweites",
        requested_end=timezone.localdate().isoformat(),
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.ends_on == later
    assert second.ends_on == terms.add_months(timezone.localdate(), 1)


@pytest.mark.parametrize(
    ("contract", "recorded"),
    [("alle", "Alle meine Abonnements"), ("plan:erstes", "Print-Magazin, jährlich")],
)
def test_the_declaration_records_the_contract_in_the_words_the_form_offered(
    client, erika, django_capture_on_commit_callbacks, contract, recorded
):
    make_subscription(erika, make_plan(slug="erstes", name="Print-Magazin, jährlich"))

    send(
        client,
        django_capture_on_commit_callbacks,
        identifier=erika.customer_number,
        contract=contract,
    )

    assert Declaration.objects.get().contract == recorded


def test_the_form_hands_on_which_contracts_are_meant_not_a_key_to_parse(erika):
    contract = make_subscription(erika, make_plan(slug="erstes", name="Print-Magazin, jährlich"))

    def chosen(key, subscriber=None):
        data = cancellation(identifier=erika.customer_number, contract=key)
        form = CancellationForm(data, subscriber=subscriber)
        assert form.is_valid(), form.errors
        return form.cleaned_data["contract"]

    assert chosen("alle") == ContractChoice("Alle meine Abonnements")
    assert chosen("plan:erstes") == ContractChoice("Print-Magazin, jährlich", plan_slug="erstes")
    assert chosen(f"abo:{contract.pk}", subscriber=erika) == ContractChoice(
        f"Print-Magazin, jährlich (seit {contract.starts_on:%d.%m.%Y})",
        subscription_id=contract.pk,
    )


def test_an_extraordinary_cancellation_needs_a_reason_and_ends_at_once(
    client, print_contract, django_capture_on_commit_callbacks
):
    number = print_contract.subscriber.customer_number

    without = client.post(CANCEL, cancellation(kind="extraordinary", identifier=number))
    with_reason = send(
        client,
        django_capture_on_commit_callbacks,
        kind="extraordinary",
        identifier=number,
        reason="Die Behörde wurde aufgelöst.",
    )

    assert without.status_code == 200
    html = without.content.decode()
    assert "Bitte nennen Sie den Grund für die außerordentliche Kündigung." in html
    assert f'value="{number}"' in html  # what was typed stays
    assert with_reason.status_code == 302
    print_contract.refresh_from_db()
    assert print_contract.ends_on == timezone.localdate()
    assert Declaration.objects.get().reason == "Die Behörde wurde aufgelöst."


def test_bad_input_gets_german_messages_at_the_field_and_keeps_what_was_typed(client):
    response = client.post(
        CANCEL,
        cancellation(
            name="",
            identifier="K-123456",
            email="keine-adresse",
            requested_end=(timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        ),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<p class="field-error" id="id_name_error">Dieses Feld ist zwingend erforderlich.</p>'
        in html
    )
    assert 'id="id_email_error">Bitte gültige E-Mail-Adresse eingeben.' in html
    assert "Bitte ein Datum zwischen heute und in drei Jahren angeben" in html
    assert 'aria-describedby="id_name_error"' in html
    assert 'value="K-123456"' in html
    assert Declaration.objects.count() == 0


def test_a_double_submission_is_one_cancellation(
    client, print_contract, mailoutbox, django_capture_on_commit_callbacks
):
    data = cancellation(identifier=print_contract.subscriber.customer_number)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(CANCEL, data)
        second = client.post(CANCEL, data)

    assert first["Location"] == second["Location"]
    assert Declaration.objects.count() == 1
    assert Effect.objects.count() == 1
    assert len([m for m in mailoutbox if m.to == ["erika@example.org"]]) == 1


def test_cancelling_again_keeps_the_end_already_set(
    client, print_contract, django_capture_on_commit_callbacks
):
    number = print_contract.subscriber.customer_number
    send(client, django_capture_on_commit_callbacks, identifier=number)
    first_end = Subscription.objects.get().ends_on

    response = send(
        client,
        django_capture_on_commit_callbacks,
        identifier=number,
        kind="extraordinary",
        reason="Noch einmal, sicher ist sicher.",
    )

    assert Subscription.objects.get().ends_on == first_end
    html = client.get(response["Location"]).content.decode()
    assert f"war bereits gekündigt und endet am <strong>{german(first_end)}</strong>" in html


# Declarations that match nothing are kept too


def test_a_declaration_that_matches_no_contract_is_recorded_and_confirmed(
    client, print_contract, mailoutbox, django_capture_on_commit_callbacks
):
    response = send(
        client,
        django_capture_on_commit_callbacks,
        identifier="K-999999",
        email="unbekannt@example.org",
    )

    declaration = Declaration.objects.get()
    assert response.status_code == 302
    assert declaration.unmatched
    assert not declaration.effects.exists()
    assert Subscription.objects.get().ends_on is None
    [confirmation] = mailoutbox
    assert confirmation.to == ["unbekannt@example.org"]
    assert received_with_seconds(declaration) in confirmation.body
    assert "nicht sofort einem Abonnement zuordnen" in confirmation.body
    assert "wirksam" in confirmation.body
    assert "nicht sofort einem Abonnement zuordnen" in client.get(response["Location"]).text


def test_a_customer_number_with_a_name_that_does_not_fit_waits_for_staff(
    client, print_contract, mailoutbox, django_capture_on_commit_callbacks
):
    send(
        client,
        django_capture_on_commit_callbacks,
        name="Jemand Anderes",
        identifier=print_contract.subscriber.customer_number,
    )

    print_contract.refresh_from_db()
    assert print_contract.ends_on is None
    assert Declaration.objects.get().unmatched


# Nothing is lost


class RefusingBackend:
    """A mail server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


def test_with_the_mail_server_down_the_cancellation_stands_and_the_worker_sends_later(
    client, print_contract, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"

    response = send(
        client,
        django_capture_on_commit_callbacks,
        identifier=print_contract.subscriber.customer_number,
    )

    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    print_contract.refresh_from_db()
    assert print_contract.status == Subscription.Status.CANCELLED
    declaration = Declaration.objects.select_related("confirmation").get()
    assert declaration.confirmation.state == OutgoingMail.State.QUEUED
    assert declaration.confirmation.attempts == 1
    assert "Connection refused" in declaration.confirmation.last_error
    assert mailoutbox == []

    # The server is back; the worker's next round finds the mail due.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    call_command("deliver_mail", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115

    declaration.confirmation.refresh_from_db()
    assert declaration.confirmation.state == OutgoingMail.State.SENT
    assert any(m.to == ["erika@example.org"] for m in django_mail.outbox)


# Limits and strangers


def test_a_flood_of_cancellations_gets_a_german_429(client, print_contract):
    for _ in range(20):
        client.post(CANCEL, cancellation(identifier="K-000000"))

    response = client.post(CANCEL, cancellation(identifier="K-000001"))

    assert response.status_code == 429
    assert "Zu viele Anfragen" in response.text
    assert "abo@verwaltung-digital.example" in response.text  # another way that works


def test_a_stranger_cannot_preselect_someone_elses_contract(client, print_contract):
    assert client.get(f"{CANCEL}?abo={print_contract.pk}").status_code == 404
    assert client.get(f"{CANCEL}?abo=abc").status_code == 404


def test_the_cancellation_page_needs_the_same_queries_with_many_plans(
    client, django_assert_max_num_queries
):
    for number in range(15):
        make_plan(name=f"Angebot Nummer {number}")

    with django_assert_max_num_queries(8):
        assert client.get(CANCEL).status_code == 200
