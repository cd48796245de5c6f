"""The ordering side of the law (issue 19, points 4 and 5): what the customer sees and receives.

Point 4: the order page shows each plan's terms, generated from the plan (the
same words in the AGB and the mails), with the links and the AGB consent at
the button, and the click that makes the contract says "Zahlungspflichtig
bestellen" (§§ 312i, 312j BGB, PAngV, § 309 Nr. 12 b BGB).
Point 5: the mail confirming the contract carries its terms as attachments,
the outbox keeps them as sent, and staff's acceptance brings one
Vertragsbestätigung with the start date; the Aboverwaltung shows the state.
"""

import datetime
import html
import io
import re
import types

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from portal.lib.text import plain_text
from portal.models import LegalText
from subscriptions import conditions, terms
from subscriptions.models import OutgoingMail, Plan, Subscription
from tests.conftest import logged_in
from tests.factories import make_plan, make_subscriber, make_subscription
from tests.subscriptions.helpers import german, link_in
from tests.subscriptions.test_admin import save_by_hand
from tests.subscriptions.test_order import CONFIRM, ORDER, confirm, order_form

pytestmark = pytest.mark.django_db

SUBSCRIPTIONS = "/admin/subscriptions/subscription/"


@pytest.fixture
def demo_plans():
    """The demo's offers: print, digital yearly and monthly, combined, a fixed-term trial."""
    call_command("seed_subscriptions_demo", stdout=io.StringIO())
    return {plan.slug: plan for plan in Plan.objects.all()}


def shown(lines):
    """The terms as a page shows them: a label and its sentence, escaped."""
    return [
        f"<dt>{html.escape(line.label)}</dt>\n    <dd>{html.escape(line.text)}</dd>"
        for line in lines
    ]


def as_text(lines):
    return [f"{line.label}: {line.text}" for line in lines]


@pytest.fixture
def service(subscription_staff):
    return logged_in(subscription_staff)


@pytest.fixture
def plan():
    """One offer, for what every offer has: the button area, the AGB consent."""
    return make_plan(name="Print-Magazin, jährlich")


def offer_block(page, plan):
    """The part of the order page about one offer: its name and terms."""
    start = page.index(f"<strong>{html.escape(plan.name)}</strong>")
    return page[start : page.index("</dl>", start)]


def order_and_confirm(client, plan, mailoutbox, on_commit, email="erika@example.org"):
    with on_commit(execute=True):
        response = client.post(ORDER, order_form(plan, email=email))
    assert response.status_code == 302
    link = link_in(mailoutbox[-1], CONFIRM)
    confirm(client, link, on_commit)
    return Subscription.objects.get(subscriber__email=email, plan=plan)


def accept(service, contract, on_commit):
    with on_commit(execute=True):
        return service.post(
            SUBSCRIPTIONS,
            {"action": "accept_orders", "_selected_action": [contract.pk]},
            follow=True,
        )


# Point 4: the order page


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        (
            "print-jahr",
            [
                "89,00 € für 12 Monate (Gesamtpreis einschließlich 7 % Umsatzsteuer)",
                "8,40 € für 12 Monate zusätzlich zum Preis (Lieferung per Post innerhalb "
                "Deutschlands); zusammen 97,40 € für 12 Monate",
                "Rechnung (Überweisung); abgerechnet wird alle 12 Monate.",
                "Ohne Kündigung läuft das Abonnement danach auf unbestimmte Zeit weiter",
            ],
        ),
        (
            "kombi-jahr",
            [
                "109,00 € für 12 Monate (Gesamtpreis einschließlich 7 % Umsatzsteuer)",
                "zusammen 117,40 € für 12 Monate",
            ],
        ),
        (
            "digital-jahr",
            [
                "69,00 € für 12 Monate (Gesamtpreis einschließlich 7 % Umsatzsteuer)",
                "<dt>Versandkosten</dt>\n    <dd>keine (digitale Lieferung)</dd>",
            ],
        ),
        (
            "digital-monat",
            [
                "7,90 € pro Monat (Gesamtpreis einschließlich 7 % Umsatzsteuer)",
                "<dt>Mindestlaufzeit</dt>\n    <dd>keine</dd>",
                "abgerechnet wird monatlich.",
                "jederzeit mit einer Frist von einem Monat.",
            ],
        ),
        (
            "digital-probe",
            [
                "15,00 € für 3 Monate (Gesamtpreis einschließlich 7 % Umsatzsteuer)",
                "danach endet das Abonnement von selbst und verlängert sich nicht.",
                "<dt>Kündigung</dt>\n    <dd>nicht nötig, das Abonnement endet mit der "
                "Laufzeit.</dd>",
            ],
        ),
    ],
)
def test_point_4_the_order_page_shows_each_plans_price_shipping_payment_and_term(
    client, demo_plans, slug, expected
):
    plan = demo_plans[slug]

    page = client.get(ORDER).text

    block = offer_block(page, plan)
    for text in expected:
        assert text in block, text
    # All of it generated from the plan: the same lines conditions.py makes, none missing.
    lines = conditions.lines(conditions.Agreement.of_plan(plan, timezone.localdate()))
    assert [line.label for line in lines][-2:] in (
        ["Mindestlaufzeit", "Kündigung"],
        ["Laufzeit", "Kündigung"],
    )
    for line in shown(lines):
        assert line in block


def test_point_4_the_dates_on_the_order_page_are_those_terms_py_computes(client, demo_plans):
    plan = demo_plans["print-jahr"]
    today = timezone.localdate()
    last_day = terms.term_end(today, 12)
    deadline = terms.notice_deadline(last_day, 1)
    # A contract made today, as Subscription.agreed() makes it, cancelled on those days.
    contract = types.SimpleNamespace(
        concluded_on=today,
        minimum_term_ends=last_day,
        ends_on=None,
        notice_months=1,
        renews=True,
        renewal_months=12,
    )

    block = offer_block(client.get(ORDER).text, plan)

    assert f"12 Monate (bei Beginn am {german(today)} bis zum {german(last_day)})" in block
    assert f"zum Ende der Mindestlaufzeit (Eingang bis zum {german(deadline)})" in block
    # What the page promises is what a cancellation on those days gives.
    assert terms.cancellation_end(contract, deadline) == last_day
    late = deadline + datetime.timedelta(days=1)
    assert terms.cancellation_end(contract, late) == terms.add_months(late, 1) > last_day
    monthly = offer_block(client.get(ORDER).text, demo_plans["digital-monat"])
    assert (
        f"Geht die Kündigung am {german(today)} ein, endet das Abonnement am "
        f"{german(terms.add_months(today, 1))}." in monthly
    )


def test_point_4_a_plan_that_does_not_renew_is_not_called_cancellable_anywhere(
    client, demo_plans, mailoutbox, django_capture_on_commit_callbacks
):
    trial = demo_plans["digital-probe"]
    ends = terms.term_end(timezone.localdate(), 3)

    block = offer_block(client.get(ORDER).text, trial)
    contract = order_and_confirm(client, trial, mailoutbox, django_capture_on_commit_callbacks)
    agb = client.get("/agb/").text
    agb_block = agb[agb.index(f"<h3>{trial.name}</h3>") :]
    agb_block = agb_block[: agb_block.index("</dl>")]

    assert f"bis zum {german(ends)}); danach endet das Abonnement von selbst" in block
    contract_mail = mailoutbox[-1].body
    assert "Laufzeit: vom" in contract_mail
    assert f"bis zum {german(contract.minimum_term_ends)}; danach endet das Abonnement" in (
        contract_mail
    )
    for text in (block, agb_block, contract_mail):
        for wrong in ("monatlich kündbar", "jederzeit", "unbestimmte Zeit"):
            assert wrong not in text
    # The AGB sample no longer says every contract runs on (it points at the offers instead).
    assert "Unsere Angebote und ihre Bedingungen" in agb


def test_point_4_one_text_on_the_order_page_in_the_agb_and_in_the_mails(
    client, demo_plans, mailoutbox, django_capture_on_commit_callbacks
):
    plan = demo_plans["print-jahr"]
    plain = conditions.lines(conditions.Agreement.of_plan(plan))
    dated = conditions.lines(conditions.Agreement.of_plan(plan, timezone.localdate()))

    page = client.get(ORDER).text
    agb = client.get("/agb/").text
    contract = order_and_confirm(client, plan, mailoutbox, django_capture_on_commit_callbacks)
    request_mail, contract_mail = mailoutbox

    for line in shown(dated):
        assert line in page
    for line in shown(plain):
        assert line in agb
    for line in as_text(plain):
        assert line in request_mail.body
    # The contract's own terms (its dates) in the mail, worded by the same function.
    for line in as_text(conditions.lines(conditions.Agreement.of_contract(contract))):
        assert line in contract_mail.body
    # Price, shipping and payment do not depend on the day: word for word the same everywhere.
    for label in ("Preis", "Versandkosten", "Zahlung"):
        [line] = [line for line in plain if line.label == label]
        assert line in dated
        assert f"{line.label}: {line.text}" in contract_mail.body


def test_point_4_at_the_button_the_agb_widerrufsbelehrung_and_datenschutz_are_linked(client, plan):
    page = client.get(ORDER).text

    button_area = page[page.index('<div class="order-button">') :]
    button_area = button_area[: button_area.index("</div>\n  </form>")]
    links = re.findall(
        r'<a href="([^"]+)" target="_blank" rel="noopener">([^<]+)</a>', button_area
    )
    assert links == [
        ("/agb/", "Allgemeine Geschäftsbedingungen (AGB)"),
        ("/abo/widerrufsbelehrung/", "Widerrufsbelehrung"),
        ("/datenschutz/", "Datenschutzerklärung"),
    ]
    assert "Die Links öffnen sich in einem neuen Tab" in button_area
    assert button_area.index('name="terms"') < button_area.index("<button")
    assert '<button type="submit" class="button button--primary">Zahlungspflichtig bestellen' in (
        button_area
    )
    for url, _label in links:
        assert client.get(url).status_code == 200
    policy = client.get(links[1][0]).text
    assert "binnen vierzehn Tagen ohne Angabe von Gründen diesen Vertrag zu widerrufen" in policy
    assert "Muster-Widerrufsformular" in policy


def test_point_4_the_checkbox_accepts_the_agb_and_does_not_have_one_confirm_reading_them(
    client, plan
):
    page = client.get(ORDER).text

    assert (
        '<input type="checkbox" name="terms" required id="id_terms"> '
        "Ich stimme den Allgemeinen Geschäftsbedingungen (AGB) zu.</label>" in page
    )
    assert "gelesen" not in page
    refused = client.post(ORDER, order_form(plan, terms=""))
    assert 'id="id_terms_error">Bitte stimmen Sie den AGB zu, um zu bestellen.' in refused.text


def test_point_4_the_click_making_the_contract_says_zahlungspflichtig_bestellen_after_the_terms(
    client, plan, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ORDER, order_form(plan))

    page = client.get(link_in(mailoutbox[-1], CONFIRM)).text

    terms_at = page.index('<dl class="declaration conditions">')
    button_at = page.index(
        '<button type="submit" class="button button--primary">Zahlungspflichtig bestellen</button>'
    )
    assert terms_at < page.index('<div class="order-button">') < button_at
    assert 'href="/agb/"' in page[terms_at:button_at]
    assert "Bestellung bestätigen</button>" not in page
    last_day = terms.term_end(timezone.localdate(), 12)
    assert f"bis zum {german(last_day)})" in page[terms_at:button_at]


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        (
            {"kind": "digital", "shipping": "3.00"},
            "Digitale Angebote werden nicht verschickt: bitte 0 angeben.",
        ),
        (
            {"renews": "", "minimum_term_months": "0"},
            "Ein Angebot, das sich nicht verlängert, braucht eine Laufzeit",
        ),
    ],
)
def test_point_4_the_back_office_refuses_a_plan_the_order_page_could_not_state_truly(
    service, fields, error
):
    form = {
        "name": "Neues Angebot",
        "slug": "neues-angebot",
        "kind": "print",
        "description": "",
        "price": "89.00",
        "vat_rate": "7.00",
        "shipping": "0.00",
        "payment_methods": "Rechnung (Überweisung)",
        "billing_months": 12,
        "minimum_term_months": 12,
        "notice_months": 1,
        "renews": "on",
        "orderable": "on",
        "position": 0,
        **fields,
    }

    response = service.post("/admin/subscriptions/plan/add/", form)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Plan.objects.filter(slug="neues-angebot").exists()


def test_point_4_the_agb_page_shows_a_plans_new_price_at_once(client, demo_plans):
    plan = demo_plans["print-jahr"]
    assert "89,00 € für 12 Monate" in client.get("/agb/").text  # now in the page cache

    plan.price = "92.00"
    plan.save()

    assert "92,00 € für 12 Monate (Gesamtpreis einschließlich 7 % Umsatzsteuer)" in (
        client.get("/agb/").text
    )


# Point 5: what the customer receives


def test_point_5_the_mail_confirming_the_contract_carries_the_agb_and_the_outbox_keeps_them(
    client, demo_plans, mailoutbox, django_capture_on_commit_callbacks
):
    plan = demo_plans["kombi-jahr"]

    contract = order_and_confirm(client, plan, mailoutbox, django_capture_on_commit_callbacks)

    contract_mail = mailoutbox[-1]
    [(filename, content, mimetype), belehrung] = contract_mail.attachments
    assert (filename, mimetype) == ("AGB.txt", "text/plain")
    # With the Widerrufsbelehrung and the model form for its kind of plan.
    assert belehrung[0] == "Widerrufsbelehrung.txt"
    assert "Muster-Widerrufsformular" in belehrung[1]
    assert "die erste Ware in Besitz genommen" in belehrung[1]  # a combined plan
    agb = LegalText.objects.get(kind="agb")
    assert content.startswith(f"{agb.title}\nStand: {german(timezone.localdate())}\n")
    assert plain_text(agb.body) in content
    assert "Mit dem Klick auf „Zahlungspflichtig bestellen“ dort kommt der Vertrag zustande." in (
        content
    )
    assert f"Unsere Angebote und ihre Bedingungen\n\nIhr Vertrag: {plan.name}\n" in content
    for line in as_text(conditions.lines(conditions.Agreement.of_contract(contract))):
        assert line in content
    assert "<" not in content  # text, not HTML
    assert "Unsere Allgemeinen Geschäftsbedingungen finden Sie im Anhang" in contract_mail.body
    # The outbox keeps what went out, byte for byte.
    stored = OutgoingMail.objects.get(purpose="order")
    assert stored.attachments == [
        {"filename": "AGB.txt", "mimetype": "text/plain", "content": content},
        {"filename": "Widerrufsbelehrung.txt", "mimetype": "text/plain", "content": belehrung[1]},
    ]
    # The mail asking to confirm the order has none: no contract yet.
    assert mailoutbox[0].attachments == []


def test_point_5_accepting_an_order_mails_one_vertragsbestaetigung_with_the_start_date(
    client, service, demo_plans, mailoutbox, django_capture_on_commit_callbacks
):
    plan = demo_plans["print-jahr"]
    contract = order_and_confirm(client, plan, mailoutbox, django_capture_on_commit_callbacks)
    confirmed = client.get(link_in(mailoutbox[0], CONFIRM)).text
    before = len(mailoutbox)

    first = accept(service, contract, django_capture_on_commit_callbacks)
    again = accept(service, contract, django_capture_on_commit_callbacks)

    [confirmation] = mailoutbox[before:]
    contract.refresh_from_db()
    assert contract.status == Subscription.Status.ACTIVE
    assert confirmation.to == ["erika@example.org"]
    assert confirmation.subject == f"Vertragsbestätigung: {plan.name}"
    assert f"Ihr Abonnement beginnt am {german(contract.starts_on)}." in confirmation.body
    assert f"Kundennummer: {contract.subscriber.customer_number}" in confirmation.body
    assert "Lieferanschrift: Erika Mustermann, Stadt Musterstadt, Rathausplatz 1" in (
        confirmation.body
    )
    for line in as_text(conditions.lines(conditions.Agreement.of_contract(contract))):
        assert line in confirmation.body
    assert [name for name, _content, _type in confirmation.attachments] == [
        "AGB.txt",
        "Widerrufsbelehrung.txt",
    ]
    assert "1 Bestellung angenommen; der Kunde erhält eine Vertragsbestätigung." in (
        first.content.decode()
    )
    assert "0 Bestellungen angenommen" in again.content.decode()
    assert OutgoingMail.objects.filter(purpose="contract").count() == 1
    # The page after the order said it would come.
    assert (
        "Sobald unser Aboservice Ihre Bestellung angenommen hat, erhalten Sie die "
        "Vertragsbestätigung." in confirmed
    )


def test_point_5_a_contract_set_to_running_by_hand_is_confirmed_once_as_well(
    service, mailoutbox, django_capture_on_commit_callbacks
):
    contract = make_subscription(
        make_subscriber(name="Max Beispiel", email="max@example.org"),
        make_plan(name="Digital-Abo"),
        starts_on=timezone.localdate(),
        status=Subscription.Status.PENDING,
    )

    with django_capture_on_commit_callbacks(execute=True):
        save_by_hand(service, contract, status="active")
    contract.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        save_by_hand(service, contract, status="active")

    [confirmation] = mailoutbox
    assert confirmation.subject == "Vertragsbestätigung: Digital-Abo"
    assert f"Ihr Abonnement beginnt am {german(timezone.localdate())}." in confirmation.body


def test_point_5_the_aboverwaltung_shows_whether_the_contract_is_accepted(
    client, service, demo_plans, mailoutbox, django_capture_on_commit_callbacks
):
    contract = order_and_confirm(
        client, demo_plans["digital-jahr"], mailoutbox, django_capture_on_commit_callbacks
    )
    today = german(timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/abo/", {"email": "erika@example.org"})
    client.post(link_in(mailoutbox[-1], "/abo/anmelden/"))

    waiting = client.get("/abo/").text
    accept(service, contract, django_capture_on_commit_callbacks)
    accepted = client.get("/abo/").text

    assert "Bestellt, noch nicht angenommen" in waiting
    assert f"Vertrag geschlossen am {today}. Unser Aboservice prüft Ihre Bestellung" in waiting
    assert "Läuft" in accepted
    assert f"Vertrag geschlossen am {today}, von uns angenommen am {today}." in accepted
    assert "Unser Aboservice prüft" not in accepted


def test_point_5_staff_read_the_attachments_in_the_outbox_as_sent(
    client, service, demo_plans, mailoutbox, django_capture_on_commit_callbacks
):
    order_and_confirm(
        client, demo_plans["print-jahr"], mailoutbox, django_capture_on_commit_callbacks
    )
    stored = OutgoingMail.objects.get(purpose="order")

    page = service.get(reverse("admin:subscriptions_outgoingmail_change", args=[stored.pk]))

    text = page.content.decode()
    assert "<summary>AGB.txt</summary>" in text
    assert html.escape(stored.attachments[0]["content"]) in text
