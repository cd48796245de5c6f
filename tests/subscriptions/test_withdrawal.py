"""Widerruf as § 356a BGB requires: a button while the 14 days run, and why not afterwards."""

import datetime

import pytest
from django.utils import timezone

from subscriptions.models import Declaration, Effect, OutgoingMail, Subscription
from tests.factories import make_plan, make_subscriber, make_subscription
from tests.subscriptions.helpers import (
    german,
    link_in,
    received_with_seconds,
    withdrawal,
)

pytestmark = pytest.mark.django_db

WITHDRAW = "/abo/widerrufen/"


@pytest.fixture
def erika():
    return make_subscriber(name="Erika Mustermann", email="erika@example.org")


def ordered_online(subscriber, days_ago):
    start = timezone.localdate() - datetime.timedelta(days=days_ago)
    return make_subscription(
        subscriber,
        make_plan(),
        starts_on=start,
        ordered_online=True,
        status=Subscription.Status.PENDING,
    )


def test_every_page_offers_vertrag_widerrufen(client):
    html = client.get("/").text

    footer = html[html.index('<footer class="site-footer">') :]
    assert f'href="{WITHDRAW}">Vertrag widerrufen</a>' in footer


def test_the_confirmation_page_has_widerruf_bestaetigen(client):
    html = client.get(WITHDRAW).text

    assert '<h1 class="page-title">Vertrag widerrufen</h1>' in html
    assert ">Widerruf bestätigen</button>" in html


def test_withdrawing_within_14_days_ends_the_contract_with_receipt_and_mail(
    client, erika, mailoutbox, django_capture_on_commit_callbacks
):
    contract = ordered_online(erika, days_ago=10)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(WITHDRAW, withdrawal(identifier=erika.customer_number))

    contract.refresh_from_db()
    declaration = Declaration.objects.get()
    assert contract.status == Subscription.Status.WITHDRAWN
    assert declaration.kind == Declaration.Kind.WITHDRAWAL
    receipt = client.get(response["Location"]).text
    assert "Ihr Widerruf ist eingegangen" in receipt
    assert received_with_seconds(declaration) in receipt
    # Typed and on file are one address here: the receipt, then what it did.
    confirmation, notice = mailoutbox
    assert confirmation.to == notice.to == [erika.email]
    assert "Eingangsbestätigung Ihres Widerrufs" in confirmation.subject
    assert received_with_seconds(declaration) in confirmation.body
    assert link_in(confirmation, "/abo/erklaerung/") == response["Location"]
    assert f"Widerruf zu Ihrem Abonnement {erika.customer_number} eingegangen" in notice.subject
    assert "Der Vertrag ist widerrufen." in notice.body


def test_after_14_days_the_withdrawal_is_recorded_and_the_address_on_file_learns_why_not(
    client, erika, mailoutbox, django_capture_on_commit_callbacks
):
    contract = ordered_online(erika, days_ago=20)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(WITHDRAW, withdrawal(identifier=erika.email))

    contract.refresh_from_db()
    assert contract.status == Subscription.Status.PENDING
    assert Effect.objects.get().outcome == Effect.Outcome.TOO_LATE
    until = german(contract.withdrawal_until)
    # The receipt page is the sender's, whoever that is; the address on file learns why.
    assert until not in client.get(response["Location"]).text
    [notice] = [m for m in mailoutbox if "Abonnement" in m.subject]
    assert notice.to == [erika.email]
    assert f"Ein Widerruf ist nicht mehr möglich, die Frist endete am {until}." in notice.body
    assert "/abo/kuendigen/" in notice.body


def test_the_logged_in_subscriber_sees_the_button_only_while_the_period_runs(
    client, erika, mailoutbox, django_capture_on_commit_callbacks
):
    fresh = ordered_online(erika, days_ago=3)
    old = ordered_online(erika, days_ago=30)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/abo/", {"email": erika.email})
    client.post(link_in(mailoutbox[0], "/abo/anmelden/"))

    dashboard = client.get("/abo/").text
    late = client.get(f"{WITHDRAW}?abo={old.pk}")

    assert f'href="{WITHDRAW}?abo={fresh.pk}"' in dashboard
    assert f"Widerruf möglich bis {german(fresh.withdrawal_until)}" in dashboard
    assert f'href="{WITHDRAW}?abo={old.pk}"' not in dashboard
    assert late.status_code == 200
    assert "Widerruf nicht mehr möglich" in late.text
    assert f"Die Widerrufsfrist von 14 Tagen endete am {german(old.withdrawal_until)}" in late.text
    assert f'href="/abo/kuendigen/?abo={old.pk}"' in late.text
    assert "Widerruf bestätigen" not in late.text


def test_a_contract_not_made_online_has_no_withdrawal_button(
    client, erika, mailoutbox, django_capture_on_commit_callbacks
):
    paper = make_subscription(erika, make_plan(), starts_on=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/abo/", {"email": erika.email})
    client.post(link_in(mailoutbox[0], "/abo/anmelden/"))

    page = client.get(f"{WITHDRAW}?abo={paper.pk}").text

    assert "kein Widerrufsrecht" in page
    assert "Widerruf bestätigen" not in page


# Only a subscriber's own withdrawal acts on their contract (issue 25, point 1)


def test_a_stranger_with_the_address_on_file_cannot_withdraw_someone_elses_contract(
    client, erika, mailoutbox, django_capture_on_commit_callbacks
):
    contract = ordered_online(erika, days_ago=3)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            WITHDRAW,
            withdrawal(
                identifier=erika.email, name="Erika Max Anna Mustermann", email="eve@evil.test"
            ),
        )

    contract.refresh_from_db()
    assert contract.status == Subscription.Status.PENDING
    assert Declaration.objects.get().unmatched
    [to_eve] = [m for m in mailoutbox if m.to == ["eve@evil.test"]]
    for text in [to_eve.body, client.get(response["Location"]).text]:
        assert contract.plan.name not in text
        assert "widerrufen." not in text
    [notice] = [m for m in mailoutbox if m.to == [erika.email]]
    assert "An Ihren Verträgen hat sie deshalb nichts geändert" in notice.body
    assert link_in(notice, "/abo/nicht-ich/")


def test_a_withdrawal_beyond_the_rate_limit_is_recorded_and_its_mails_wait(
    client, erika, mailoutbox, django_capture_on_commit_callbacks
):
    contract = ordered_online(erika, days_ago=3)
    for _ in range(20):
        client.post(WITHDRAW, withdrawal(identifier="K-000000"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(WITHDRAW, withdrawal(identifier=erika.customer_number))

    declaration = Declaration.objects.get(identifier=erika.customer_number)
    assert response["Location"] == declaration.get_absolute_url()
    assert declaration.kind == Declaration.Kind.WITHDRAWAL
    assert declaration.confirmation.state == OutgoingMail.State.HELD
    contract.refresh_from_db()
    assert contract.status == Subscription.Status.PENDING  # staff match it by hand
    assert mailoutbox == []
