"""Widerruf as § 356a BGB requires: a button while the 14 days run, and why not afterwards."""

import datetime

import pytest
from django.utils import timezone

from subscriptions.models import Declaration, Effect, OutgoingMail, Plan, Subscription
from tests.factories import make_plan, make_subscriber, make_subscription
from tests.subscriptions.helpers import (
    filled_in,
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


def ordered_online(subscriber, days_ago, **fields):
    """A digital plan ordered online: its 14 days count from the order."""
    start = timezone.localdate() - datetime.timedelta(days=days_ago)
    fields.setdefault("status", Subscription.Status.PENDING)
    fields.setdefault("plan", make_plan(kind=Plan.Kind.DIGITAL))
    return make_subscription(subscriber, starts_on=start, ordered_online=True, **fields)


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
    assert f"Die Widerrufsfrist endete am {german(old.withdrawal_until)}" in late.text
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


# A cancelled contract can still be withdrawn; receipts say what happened (issue 19, point 3)


def log_in(client, subscriber, mailoutbox, capture):
    with capture(execute=True):
        client.post("/abo/", {"email": subscriber.email})
    client.post(link_in(mailoutbox[-1], "/abo/anmelden/"))
    mailoutbox.clear()


def test_point_3_a_cancelled_contract_can_be_withdrawn_within_the_period(
    client, erika, mailoutbox, django_capture_on_commit_callbacks
):
    contract = ordered_online(erika, days_ago=5, status=Subscription.Status.ACTIVE)
    log_in(client, erika, mailoutbox, django_capture_on_commit_callbacks)
    cancel_page = client.get(f"/abo/kuendigen/?abo={contract.pk}")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/abo/kuendigen/", filled_in(cancel_page, kind="ordinary"))
    contract.refresh_from_db()
    assert contract.status == Subscription.Status.CANCELLED
    assert contract.ends_on > timezone.localdate()
    mailoutbox.clear()

    dashboard = client.get("/abo/").text
    form_page = client.get(f"{WITHDRAW}?abo={contract.pk}")
    page = form_page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(WITHDRAW, filled_in(form_page))

    assert f'href="{WITHDRAW}?abo={contract.pk}"' in dashboard
    assert f"Widerruf möglich bis {german(contract.withdrawal_until)}" in dashboard
    assert ">Widerruf bestätigen</button>" in page
    assert "Widerruf nicht mehr möglich" not in page
    assert "endete am" not in page
    contract.refresh_from_db()
    assert contract.status == Subscription.Status.WITHDRAWN
    # It ends the day the withdrawal arrived, not at the end the cancellation had set.
    assert contract.ends_on == timezone.localdate()
    assert Effect.objects.get(declaration__kind="withdrawal").outcome == Effect.Outcome.WITHDRAWN
    receipt = client.get(response["Location"]).text
    [notice] = [m for m in mailoutbox if "Widerruf zu Ihrem Abonnement" in m.subject]
    assert "Der Vertrag ist widerrufen." in notice.body
    for text in [receipt, notice.body, notice.alternatives[0][0]]:
        assert "gekündigt" not in text
        assert "endete am" not in text


def test_point_3_a_late_withdrawal_of_a_cancelled_contract_names_both_dates(
    client, erika, mailoutbox, django_capture_on_commit_callbacks
):
    end = timezone.localdate() + datetime.timedelta(days=20)
    contract = ordered_online(
        erika, days_ago=30, status=Subscription.Status.CANCELLED, ends_on=end
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(WITHDRAW, withdrawal(identifier=erika.customer_number))

    contract.refresh_from_db()
    assert contract.status == Subscription.Status.CANCELLED
    assert contract.ends_on == end
    [notice] = [m for m in mailoutbox if m.to == [erika.email] and "Abonnement" in m.subject]
    until = german(contract.withdrawal_until)
    assert contract.withdrawal_until < timezone.localdate()
    assert f"die Frist endete am {until}. Der Vertrag endet am {german(end)}." in notice.body
    assert "bereits gekündigt" not in notice.body
    assert "/abo/kuendigen/" not in notice.body  # it is cancelled already


@pytest.mark.parametrize(
    ("online", "status", "says"),
    [
        (
            False,
            Subscription.Status.ACTIVE,
            "kein Widerrufsrecht, weil er nicht online geschlossen",
        ),
        (True, Subscription.Status.WITHDRAWN, "Diesen Vertrag haben Sie bereits widerrufen"),
    ],
)
def test_point_3_a_withdrawal_that_changes_nothing_says_why_without_an_empty_date(
    client, erika, mailoutbox, django_capture_on_commit_callbacks, online, status, says
):
    start = timezone.localdate() - datetime.timedelta(days=3)
    fields = {"ends_on": start} if status == Subscription.Status.WITHDRAWN else {}
    contract = make_subscription(
        erika, make_plan(), starts_on=start, ordered_online=online, status=status, **fields
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            WITHDRAW,
            withdrawal(identifier=erika.customer_number, contract=f"plan:{contract.plan.slug}"),
        )

    contract.refresh_from_db()
    assert contract.status == status
    [notice] = [m for m in mailoutbox if m.to == [erika.email] and "Abonnement" in m.subject]
    assert says in notice.body
    assert "endete am ." not in notice.body
    assert "Frist endete" not in notice.body
    assert "gekündigt" not in notice.body


def test_point_3_a_print_contract_can_be_withdrawn_before_its_first_issue_arrived(
    client, erika, mailoutbox, django_capture_on_commit_callbacks
):
    contract = ordered_online(erika, days_ago=60, plan=make_plan(kind=Plan.Kind.PRINT))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(WITHDRAW, withdrawal(identifier=erika.customer_number))

    contract.refresh_from_db()
    assert contract.withdrawal_until is None
    assert contract.status == Subscription.Status.WITHDRAWN
