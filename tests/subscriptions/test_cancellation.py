"""Kündigen as § 312k BGB requires: from every page, without login, confirmed at once."""

import datetime
import io
import re
import time

import pytest
from django.core import mail as django_mail
from django.core import signing
from django.core.management import call_command
from django.utils import dateformat, timezone

from subscriptions import declarations, terms
from subscriptions.contracts import ContractChoice
from subscriptions.forms import CancellationForm
from subscriptions.models import Declaration, Effect, OutgoingMail, Subscriber, Subscription
from tests.factories import make_article, make_plan, make_subscriber, make_subscription
from tests.subscriptions.helpers import (
    cancellation,
    filled_in,
    german,
    link_in,
    pdf_text,
    received_with_seconds,
    withdrawal,
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


def test_cancelling_by_customer_number_ends_the_contract_and_tells_the_end_to_the_address_on_file(
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

    # The address typed gets what was declared and when, not what it did.
    confirmation = next(m for m in mailoutbox if m.to == ["erika@privat.example"])
    assert "Eingangsbestätigung Ihrer Kündigung" in confirmation.subject
    assert received_with_seconds(declaration) in confirmation.body
    assert "Ordentliche Kündigung" in confirmation.body
    assert german(expected_end) not in confirmation.body
    assert "Print-Magazin" not in confirmation.body
    html_part, mimetype = confirmation.alternatives[0]
    assert mimetype == "text/html"
    assert received_with_seconds(declaration) in html_part
    assert german(expected_end) not in html_part

    # The end date goes to the address on file, with a way to say it was not them.
    notice = next(m for m in mailoutbox if m.to == [subscriber.email])
    assert f"zu Ihrem Abonnement {subscriber.customer_number} eingegangen" in notice.subject
    assert f"Print-Magazin, jährlich: Ihr Vertrag endet am {german(expected_end)}." in notice.body
    assert german(expected_end) in notice.alternatives[0][0]
    assert "Das waren Sie nicht?" in notice.body
    assert "/abo/nicht-ich/" in notice.body
    assert len(mailoutbox) == 2


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
    # Whoever typed the form has this page: it says nothing of the contract.
    assert "Print-Magazin, jährlich" not in html
    assert german(terms.add_months(timezone.localdate(), 1)) not in html
    assert "an die E-Mail-Adresse, die zu Ihrem Abonnement bei uns hinterlegt ist" in html
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
    assert german(print_contract.subscriber.subscriptions.get().ends_on) not in first_page


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
    client, print_contract, mailoutbox, django_capture_on_commit_callbacks
):
    number = print_contract.subscriber.customer_number
    send(client, django_capture_on_commit_callbacks, identifier=number)
    first_end = Subscription.objects.get().ends_on

    mailoutbox.clear()
    send(
        client,
        django_capture_on_commit_callbacks,
        identifier=number,
        requested_end=(first_end + datetime.timedelta(days=90)).isoformat(),
    )

    # A later declaration never makes the contract run longer.
    assert Subscription.objects.get().ends_on == first_end
    [notice] = [m for m in mailoutbox if m.to == [print_contract.subscriber.email]]
    assert f"Der Vertrag war bereits gekündigt und endet am {german(first_end)}." in notice.body


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
    neutral = "dann kommt sie spätestens zwei Arbeitstage nach dem Eingang"
    assert neutral in confirmation.body
    assert neutral in client.get(response["Location"]).text


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


# Only a subscriber's own declaration acts on their contract (issue 25, point 1)

# Twenty common first and last names: under the old rule one shared word
# ("Max") was enough to cancel Max Beispiel's Kombi-Abo.
STUFFED = (
    "Thomas Michael Andreas Peter Stefan Max Anna Maria Ursula Monika "
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann"
)


@pytest.fixture
def max_beispiel():
    """The demo subscriber K-100002 with his Kombi-Abo, as `make run` loads him."""
    call_command("seed_subscriptions_demo", stdout=io.StringIO())
    return Subscriber.objects.get(customer_number="K-100002")


def test_stuffed_name_does_not_cancel_someone_elses_contract(
    client, max_beispiel, mailoutbox, django_capture_on_commit_callbacks
):
    kombi = max_beispiel.subscriptions.get()

    response = send(
        client,
        django_capture_on_commit_callbacks,
        name=STUFFED,
        identifier="max.beispiel@example.org",
        email="eve@evil.test",
    )

    # The contract runs on; the declaration waits for staff.
    kombi.refresh_from_db()
    assert kombi.status == Subscription.Status.ACTIVE
    assert kombi.ends_on is None
    declaration = Declaration.objects.get()
    assert declaration.unmatched
    assert not Effect.objects.exists()

    # The attacker learns nothing about the contract, by page or by mail.
    [to_attacker] = [m for m in mailoutbox if m.to == ["eve@evil.test"]]
    receipt = client.get(response["Location"]).text
    for text in [to_attacker.subject, to_attacker.body, to_attacker.alternatives[0][0], receipt]:
        assert "Kombi" not in text
        assert "K-100002" not in text
        assert "endet am" not in text
        assert "Guten Tag Max" not in text

    # Max is told at the address on file, with a way to say it was not him.
    [notice] = [m for m in mailoutbox if m.to == ["max.beispiel@example.org"]]
    assert "Guten Tag Max Beispiel," in notice.body
    assert "An Ihren Verträgen hat sie deshalb nichts geändert" in notice.body
    assert "Das waren Sie nicht?" in notice.body
    assert link_in(notice, "/abo/nicht-ich/")
    assert len(mailoutbox) == 2


def _without_what_was_typed(text, declaration):
    """A page or mail with what differs between two declarations anyway taken out."""
    received = timezone.localtime(declaration.received_at)
    for value in [
        declaration.identifier,
        declaration.receipt_token,
        f"{declaration.pk:06d}",
        *(dateformat.format(received, f) for f in ["l, j. F Y", "j.n.Y H:i:s", "H:i:s"]),
    ]:
        text = text.replace(value, "…")
    return text


def test_the_form_answers_alike_whether_or_not_the_address_is_a_subscribers(
    client, max_beispiel, mailoutbox, django_capture_on_commit_callbacks
):
    answers = []
    for identifier in ["max.beispiel@example.org", "niemand@example.org"]:
        mailoutbox.clear()
        response = send(
            client,
            django_capture_on_commit_callbacks,
            name=STUFFED,
            identifier=identifier,
            email="eve@evil.test",
        )
        declaration = Declaration.objects.get(identifier=identifier)
        [to_attacker] = [m for m in mailoutbox if m.to == ["eve@evil.test"]]
        answers.append(
            [
                response.status_code,
                _without_what_was_typed(response["Location"], declaration),
                *(
                    _without_what_was_typed(text, declaration)
                    for text in [
                        client.get(response["Location"]).text,
                        to_attacker.subject,
                        to_attacker.body,
                        to_attacker.alternatives[0][0],
                    ]
                ),
            ]
        )

    known, unknown = answers
    assert known == unknown


@pytest.mark.parametrize(
    ("identifier", "name"),
    [
        ("{number}", "Erika Mustermann"),
        ("{number_spaced}", "  ERIKA   mustermann "),
        ("{number_fullwidth}", "Ｅｒｉｋａ\u3000Ｍｕｓｔｅｒｍａｎｎ"),
        (" Erika.Mustermann@EXAMPLE.org ", "erika mustermann"),
    ],
)
def test_the_number_or_address_on_file_with_the_whole_name_on_file_cancels_however_typed(
    client, print_contract, django_capture_on_commit_callbacks, identifier, name
):
    number = print_contract.subscriber.customer_number
    digits = number.removeprefix("K-")
    identifier = identifier.format(
        number=number,
        number_spaced=f"k {digits}",
        number_fullwidth="Ｋ－" + "".join(chr(ord(d) + 0xFEE0) for d in digits),
    )

    send(client, django_capture_on_commit_callbacks, identifier=identifier, name=name)

    print_contract.refresh_from_db()
    assert print_contract.status == Subscription.Status.CANCELLED
    assert Declaration.objects.get().subscriber == print_contract.subscriber


@pytest.mark.parametrize(
    "name",
    ["Erika", "Mustermann", "Erika Mustermann Schmidt", "Mustermann, Erika", "Erika Musterman"],
)
def test_a_name_that_is_not_the_whole_name_on_file_leaves_the_contract_to_staff(
    client, print_contract, mailoutbox, django_capture_on_commit_callbacks, name
):
    subscriber = print_contract.subscriber

    send(client, django_capture_on_commit_callbacks, identifier=subscriber.email, name=name)

    print_contract.refresh_from_db()
    assert print_contract.ends_on is None
    assert Declaration.objects.get().unmatched
    [notice] = [m for m in mailoutbox if m.to == [subscriber.email]]
    assert "nichts geändert" in notice.body


def test_a_logged_in_subscribers_cancellation_needs_no_name_match(
    client, print_contract, mailoutbox, django_capture_on_commit_callbacks
):
    erika = print_contract.subscriber
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/abo/", {"email": erika.email})
    client.post(link_in(mailoutbox[0], "/abo/anmelden/"))
    # The page made for her login: its token names her (subscriptions.forgery).
    page = client.get(CANCEL)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(CANCEL, filled_in(page, name="E. Mustermann"))

    print_contract.refresh_from_db()
    assert print_contract.status == Subscription.Status.CANCELLED


# Das war ich nicht


def test_the_subscriber_named_says_das_war_ich_nicht_and_the_aboverwaltung_hears_at_once(
    client, max_beispiel, mailoutbox, django_capture_on_commit_callbacks
):
    send(
        client,
        django_capture_on_commit_callbacks,
        name=STUFFED,
        identifier="max.beispiel@example.org",
        email="eve@evil.test",
    )
    [notice] = [m for m in mailoutbox if m.to == ["max.beispiel@example.org"]]
    url = link_in(notice, "/abo/nicht-ich/")
    declaration = Declaration.objects.get()
    mailoutbox.clear()

    # A mail server's link check (GET) records nothing.
    asked = client.get(url)
    declaration.refresh_from_db()
    assert asked.status_code == 200
    assert "Das war ich nicht</button>" in asked.text
    assert 'name="csrfmiddlewaretoken"' in asked.text
    assert declaration.disputed_at is None

    with django_capture_on_commit_callbacks(execute=True):
        answered = client.post(url)
        client.post(url)  # a second click

    declaration.refresh_from_db()
    assert answered.status_code == 200
    assert "Danke." in answered.text
    assert declaration.disputed_at is not None
    assert declaration.disputed_by == max_beispiel
    [to_staff] = mailoutbox
    assert to_staff.to == ["abo@verwaltung-digital.example"]
    assert "„Das war ich nicht“" in to_staff.subject
    assert "K-100002" in to_staff.subject
    assert f"/admin/subscriptions/declaration/{declaration.pk}/change/" in to_staff.body


def test_the_das_war_ich_nicht_link_cannot_be_forged_and_expires(
    client, max_beispiel, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    send(
        client,
        django_capture_on_commit_callbacks,
        name=STUFFED,
        identifier="max.beispiel@example.org",
    )
    declaration = Declaration.objects.get()
    url = link_in(next(m for m in mailoutbox if m.to == [max_beispiel.email]), "/abo/nicht-ich/")
    forged = "/abo/nicht-ich/" + signing.dumps([declaration.pk, max_beispiel.pk]) + "/"
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now - 91 * 24 * 3600)
    old = declarations.dispute_path(declaration, max_beispiel)
    monkeypatch.undo()

    for bad in [url[:-5] + "xxxx/", forged, old]:
        response = client.post(bad)
        assert response.status_code == 404
        assert "Dieser Link ist abgelaufen oder unvollständig" in response.text
    declaration.refresh_from_db()
    assert declaration.disputed_at is None


# What mails to addresses not on file carry (issue 25, point 4)

INJECTED = "Eve\r\nBcc: x@evil.test\r\n\r\nKlicken Sie http://evil.test/login"
ONE_LINE = "Bitte geben Sie Ihren Namen in einer Zeile an, ohne Zeilenumbrüche oder Steuerzeichen."


@pytest.mark.parametrize(
    ("url", "form"), [(CANCEL, cancellation), ("/abo/widerrufen/", withdrawal)]
)
@pytest.mark.parametrize(
    "name", [INJECTED, "Eve\nEve", "Eve\tEve", "Eve\u2028Eve", "\u202eevE", "Eve\x1b[31m"]
)
def test_a_name_with_line_breaks_is_refused_at_the_field_and_nothing_is_mailed(
    client, mailoutbox, url, form, name
):
    response = client.post(url, form(name=name, identifier="K-123456", email="opfer@example.org"))

    assert response.status_code == 200
    assert f'<p class="field-error" id="id_name_error">{ONE_LINE}</p>' in response.text
    assert 'value="K-123456"' in response.text  # what was typed stays
    assert not Declaration.objects.exists()
    assert not OutgoingMail.objects.exists()


@pytest.mark.parametrize("name", ["Eve http://evil.test/login", "Eve www.evil.test"])
def test_a_name_with_a_web_address_is_refused_at_the_field(client, name):
    response = client.post(CANCEL, cancellation(name=name, identifier="K-123456"))

    assert response.status_code == 200
    assert "Bitte geben Sie hier nur Ihren Namen an, keine Internetadresse." in response.text
    assert not Declaration.objects.exists()


@pytest.mark.parametrize("identifier", ["Klicken Sie hier", "K-12345", "http://evil.test/"])
def test_the_identifier_must_be_a_customer_number_or_an_e_mail_address(client, identifier):
    response = client.post(CANCEL, cancellation(identifier=identifier))

    assert response.status_code == 200
    assert (
        'id="id_identifier_error">Bitte geben Sie Ihre Kundennummer (zum Beispiel K-123456) '
        "oder die E-Mail-Adresse Ihres Abonnements an.</p>" in response.text
    )
    assert not Declaration.objects.exists()


def test_mails_to_addresses_not_on_file_carry_the_typed_fields_only_quoted_and_capped(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    reason = (
        "Die Behörde wurde aufgelöst.\r\nKlicken Sie http://evil.test/login\r\n"
        + "Jetzt anmelden! " * 40
    )

    send(
        client,
        django_capture_on_commit_callbacks,
        kind="extraordinary",
        reason=reason,
        name="Eve Angreiferin",
        identifier="K-999999",
        email="opfer@example.org",
    )

    [message] = mailoutbox
    text, html = message.body, message.alternatives[0][0]
    typed = dict(
        re.findall(
            r"^(Grund|Name|Kundennummer oder E-Mail-Adresse|Bestätigung an): „(.*)“$",
            text,
            re.MULTILINE,
        )
    )
    assert typed["Name"] == "Eve Angreiferin"
    assert typed["Kundennummer oder E-Mail-Adresse"] == "K-999999"
    assert typed["Bestätigung an"] == "opfer@example.org"
    # The reason in one line, its web address taken out, cut short.
    assert typed["Grund"].startswith(
        "Die Behörde wurde aufgelöst. Klicken Sie [Link entfernt] Jetzt anmelden!"
    )
    assert len(typed["Grund"]) == declarations.QUOTE_LIMITS["reason"]
    assert typed["Grund"].endswith("…")
    # Outside the quotes, nothing that was typed: not even a salutation by name.
    rest = text
    for value in typed.values():
        rest = rest.replace(f"„{value}“", "")
    for word in ["Eve", "Angreiferin", "aufgelöst", "anmelden", "evil.test"]:
        assert word not in rest
    assert "Guten Tag,\n" in text
    assert "evil.test" not in html
    assert '<span style="background:#eef1f4">„Eve Angreiferin“</span>' in html
    receipt = "http://testserver" + link_in(message, "/abo/erklaerung/")
    assert re.findall(r'href="([^"]+)"', html) == [receipt]


# Nothing is lost


class RefusingBackend:
    """A mail server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


def test_with_the_mail_server_down_the_cancellation_stands_and_the_worker_sends_later(
    client, print_contract, settings, mailoutbox, django_capture_on_commit_callbacks, task_queue
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"

    response = send(
        client,
        django_capture_on_commit_callbacks,
        identifier=print_contract.subscriber.customer_number,
    )
    task_queue.run()

    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    print_contract.refresh_from_db()
    assert print_contract.status == Subscription.Status.CANCELLED
    declaration = Declaration.objects.select_related("confirmation").get()
    assert declaration.confirmation.state == OutgoingMail.State.QUEUED
    assert declaration.confirmation.attempts == 1
    assert "Connection refused" in declaration.confirmation.last_error
    assert mailoutbox == []

    # The server is back; when the retry's time has come, the worker sends it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    task_queue.time_passes()
    task_queue.run()

    declaration.confirmation.refresh_from_db()
    assert declaration.confirmation.state == OutgoingMail.State.SENT
    assert any(m.to == ["erika@example.org"] for m in django_mail.outbox)


# Limits and strangers


def test_a_declaration_beyond_the_rate_limit_is_recorded_and_only_its_mails_wait(
    client, print_contract, mailoutbox, django_capture_on_commit_callbacks
):
    subscriber = print_contract.subscriber
    for _ in range(20):
        client.post(CANCEL, cancellation(identifier="K-000000"))

    response = send(client, django_capture_on_commit_callbacks, identifier=subscriber.email)

    declaration = Declaration.objects.get(identifier=subscriber.email)
    assert response.status_code == 302
    assert response["Location"] == declaration.get_absolute_url()
    # A flood is no certain identification: the declaration waits for staff.
    assert declaration.unmatched
    print_contract.refresh_from_db()
    assert print_contract.ends_on is None
    held = OutgoingMail.objects.filter(state=OutgoingMail.State.HELD)
    assert sorted(held.values_list("to", flat=True)) == sorted(
        ["erika@example.org", subscriber.email]
    )
    assert mailoutbox == []
    receipt = client.get(response["Location"]).text
    assert "Ihre Kündigung ist eingegangen" in receipt
    assert "die Bestätigung an erika@example.org erst, wenn wir nachgesehen haben" in receipt

    # Staff have looked: the held mails go out at once.
    out = io.StringIO()
    call_command("release_held_mail", "--dry-run", stdout=out)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("release_held_mail", stdout=out)

    assert out.getvalue().splitlines() == [
        "2 E-Mails zurückgehalten.",
        "2 E-Mails freigegeben; der Worker versendet sie.",
    ]
    assert [m.to for m in mailoutbox].count([subscriber.email]) == 1
    assert set(held.values_list("state", flat=True)) == set()  # no longer held
    released = OutgoingMail.objects.filter(to__in=["erika@example.org", subscriber.email])
    assert released.filter(state=OutgoingMail.State.SENT).count() == 2


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
