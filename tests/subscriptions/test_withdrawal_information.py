"""The Widerrufsbelehrung of Art. 246a § 1 Abs. 2 EGBGB: before the order and in its confirmation.

Issue 19, point 1: the statutory model (Anlage 1) with the trader from the
Impressum, the period's start by plan kind, the consequences and the model
withdrawal form (Anlage 2), on the order pages and, on a durable medium, in
the mail that confirms the contract.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone

from portal.models import Publisher
from subscriptions import terms
from subscriptions.models import Plan, Subscription
from tests.factories import make_plan
from tests.subscriptions.helpers import german
from tests.subscriptions.test_order import place

pytestmark = pytest.mark.django_db

ORDER = "/abo/bestellen/"

DIGITAL_START = "Die Widerrufsfrist beträgt vierzehn Tage ab dem Tag des Vertragsabschlusses."
PRINT_START = (
    "Die Widerrufsfrist beträgt vierzehn Tage ab dem Tag, an dem Sie oder ein von Ihnen "
    "benannter Dritter, der nicht der Beförderer ist, die erste Ware in Besitz genommen haben "
    "bzw. hat."
)
RIGHT = (
    "Sie haben das Recht, binnen vierzehn Tagen ohne Angabe von Gründen diesen Vertrag zu "
    "widerrufen."
)
IN_TIME = (
    "Zur Wahrung der Widerrufsfrist reicht es aus, dass Sie die Mitteilung über die Ausübung "
    "des Widerrufsrechts vor Ablauf der Widerrufsfrist absenden."
)
REFUND = "unverzüglich und spätestens binnen vierzehn Tagen ab dem Tag zurückzuzahlen"
SEND_BACK = "Sie haben die Waren unverzüglich und in jedem Fall spätestens binnen vierzehn Tagen"
VALUE_LOSS = "Sie müssen für einen etwaigen Wertverlust der Waren nur aufkommen"
FORM_LINES = [
    "(Wenn Sie den Vertrag widerrufen wollen, dann füllen Sie bitte dieses Formular aus und "
    "senden Sie es zurück.)",
    "Hiermit widerrufe(n) ich/wir (*) den von mir/uns (*) abgeschlossenen Vertrag über den Kauf "
    "der folgenden Waren (*)/die Erbringung der folgenden Dienstleistung (*)",
    "Bestellt am (*)/erhalten am (*)",
    "Name des/der Verbraucher(s)",
    "Anschrift des/der Verbraucher(s)",
    "Unterschrift des/der Verbraucher(s) (nur bei Mitteilung auf Papier)",
    "(*) Unzutreffendes streichen.",
]


@pytest.fixture
def publisher():
    Publisher.objects.update(
        name="Beispielverlag für Verwaltung GmbH",
        street="Lindenallee 5",
        postcode="10117",
        city="Berlin",
        phone="+49 30 555 0100",
    )
    return Publisher.objects.get()


def text_of(html):
    """What a reader sees of a page: tags gone, entities and spacing as printed."""
    text = re.sub(r"<[^>]+>", " ", html).replace("&quot;", '"').replace("&amp;", "&")
    return " ".join(text.replace("&#x27;", "'").split())


def trader(publisher):
    return (
        f"uns ({publisher.name}, {publisher.street}, {publisher.postcode} {publisher.city}, "
        f"Telefon: {publisher.phone}, E-Mail: {settings.SUBSCRIPTION_EMAIL}) mittels einer "
        "eindeutigen Erklärung (z. B. ein mit der Post versandter Brief oder eine E-Mail)"
    )


def form_addressee(publisher):
    # Anlage 2: name, address and e-mail address, no telephone number.
    return (
        f"An {publisher.name}, {publisher.street}, {publisher.postcode} {publisher.city}, "
        f"E-Mail: {settings.SUBSCRIPTION_EMAIL}:"
    )


def assert_full_belehrung(text, publisher, by_post):
    for sentence in [RIGHT, trader(publisher), IN_TIME, REFUND, form_addressee(publisher)]:
        assert sentence in text
    for line in FORM_LINES:
        assert line in text
    assert (
        "Sie können Ihr Widerrufsrecht auch online unter http://testserver/abo/widerrufen/" in text
    )
    assert (PRINT_START in text) == by_post
    assert (SEND_BACK in text) == (VALUE_LOSS in text) == by_post


def test_point_1_the_order_page_gives_the_full_belehrung_for_each_kind_of_plan(client, publisher):
    make_plan(name="Print-Magazin", kind=Plan.Kind.PRINT)
    make_plan(name="E-Paper", kind=Plan.Kind.DIGITAL)

    html = client.get(ORDER).text

    text = text_of(html)
    # Two Belehrungen, each whole, each saying whom it is for; the old sentence is gone.
    print_part, digital_part = text.split("Widerrufsbelehrung Für ")[1:]
    assert print_part.startswith("Print- und Kombi-Abonnements")
    assert digital_part.startswith("Digital-Abonnements")
    assert_full_belehrung(print_part, publisher, by_post=True)
    assert_full_belehrung(digital_part, publisher, by_post=False)
    assert DIGITAL_START in digital_part and DIGITAL_START not in print_part
    assert "Wir tragen die Kosten der Rücksendung der Waren." in print_part
    assert "Die Frist beginnt mit dem Tag" not in text
    # Before the button that sends the order, each one click away behind its title.
    assert html.index("Muster-Widerrufsformular") < html.index("Zahlungspflichtig bestellen")
    assert (
        "<summary>Widerrufsbelehrung und Muster-Widerrufsformular für Digital-Abonnements"
        "</summary>" in html
    )


def test_point_1_the_confirmation_page_gives_the_belehrung_of_the_plan_before_the_button(
    client, publisher, mailoutbox, django_capture_on_commit_callbacks
):
    plan = make_plan(name="Print-Magazin", kind=Plan.Kind.COMBINED)
    link = place(client, plan, mailoutbox, django_capture_on_commit_callbacks)

    html = client.get(link).text

    text = text_of(html)
    assert_full_belehrung(text, publisher, by_post=True)
    assert DIGITAL_START not in text
    assert "ab heute 14 Tage lang" not in text
    assert html.index("Muster-Widerrufsformular") < html.index(
        "Zahlungspflichtig bestellen</button>"
    )


def test_point_1_the_contract_mail_carries_the_belehrung_and_the_form_on_a_durable_medium(
    client, publisher, mailoutbox, django_capture_on_commit_callbacks
):
    plan = make_plan(name="E-Paper", kind=Plan.Kind.DIGITAL)
    link = place(client, plan, mailoutbox, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)

    contract = Subscription.objects.get()
    contract_mail = mailoutbox[-1]
    html = contract_mail.alternatives[0][0]
    today = timezone.localdate()
    assert contract.withdrawal_informed_on == today
    until = terms.next_working_day(today + datetime.timedelta(days=14))
    assert contract.withdrawal_until == until
    for text in [" ".join(contract_mail.body.split()), text_of(html)]:
        assert_full_belehrung(text, publisher, by_post=False)
        assert DIGITAL_START in text
        assert f"Sie können den Vertrag bis zum {german(until)} widerrufen." in text
    # The form's lines as lines, to print and fill in.
    assert f"\n– {form_addressee(publisher)}\n" in contract_mail.body
    assert "\n– Datum\n" in contract_mail.body


def test_point_1_the_belehrung_names_the_trader_as_the_impressum_does_now(client, publisher):
    make_plan(kind=Plan.Kind.DIGITAL)
    client.get(ORDER)

    Publisher.objects.update(name="Neuer Verlag GmbH", phone="+49 30 999")

    text = text_of(client.get(ORDER).text)
    assert "uns (Neuer Verlag GmbH, Lindenallee 5, 10117 Berlin, Telefon: +49 30 999," in text
    assert publisher.name not in text


def test_point_1_the_subscriber_pays_for_sending_back_where_the_publisher_set_it_so(
    client, publisher, settings
):
    settings.PORTAL_WITHDRAWAL_RETURN_COSTS = "subscriber"
    make_plan(kind=Plan.Kind.PRINT)

    text = text_of(client.get(ORDER).text)

    assert "Sie tragen die unmittelbaren Kosten der Rücksendung der Waren." in text
    assert "Wir tragen die Kosten" not in text


def test_point_1_without_an_impressum_the_subscriber_was_not_informed_and_keeps_the_right(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    Publisher.objects.all().delete()
    plan = make_plan(kind=Plan.Kind.DIGITAL)
    link = place(client, plan, mailoutbox, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)

    contract = Subscription.objects.get()
    today = timezone.localdate()
    assert contract.withdrawal_informed_on is None
    # § 356 Abs. 3 BGB: twelve months and 14 days.
    longstop = terms.add_months(today, 12) + datetime.timedelta(days=14)
    assert contract.withdrawal_until == terms.next_working_day(longstop)
