"""When a contract ends when several declarations meet it, and when a fixed term ends by itself.

Issue 19, point 9: § 314 BGB lets a later extraordinary cancellation end a
contract sooner than an ordinary one already received; a second ordinary
one to an earlier possible day takes effect; nothing makes a contract run
longer. A plan that does not renew ends with its term, without any
declaration: it leaves the mailing house's list, and a late cancellation
shows that real end, not the day it arrived.
"""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from subscriptions import terms
from subscriptions.contracts import delivered_q, running_q
from subscriptions.models import Declaration, Effect, Subscription
from tests.conftest import logged_in
from tests.factories import make_plan, make_subscriber, make_subscription
from tests.subscriptions.helpers import cancellation, german

pytestmark = pytest.mark.django_db

CANCEL = "/abo/kuendigen/"
DAY = datetime.timedelta(days=1)


@pytest.fixture
def erika():
    return make_subscriber(name="Erika Mustermann", email="erika.mustermann@example.org")


@pytest.fixture
def print_contract(erika):
    """Past its minimum term: an ordinary cancellation ends it a month after receipt."""
    return make_subscription(erika, make_plan(name="Print-Magazin, jährlich"))


@pytest.fixture
def service(subscription_staff):
    return logged_in(subscription_staff)


def declare(client, on_commit, **fields):
    with on_commit(execute=True):
        response = client.post(CANCEL, cancellation(**fields))
    assert response.status_code == 302
    return Declaration.objects.order_by("-pk").first()


def extraordinary(client, on_commit, subscriber, **fields):
    """An extraordinary cancellation, with its reason, by the customer number on file."""
    fields.setdefault("reason", "Die Behörde wurde aufgelöst.")
    return declare(
        client, on_commit, identifier=subscriber.customer_number, kind="extraordinary", **fields
    )


def notices_to(mailoutbox, subscriber):
    return [m for m in mailoutbox if m.to == [subscriber.email]]


def print_list(service):
    response = service.get(reverse("admin:subscriptions_print_addresses"))
    text = b"".join(response.streaming_content).decode("utf-8")[1:]
    return list(csv.reader(io.StringIO(text), delimiter=";"))[1:]


def fixed_term_plan(**fields):
    return make_plan(name="Print-Jahresabo, endet von selbst", renews=False, **fields)


# Several declarations for one contract: the earliest end wins


def test_point_9_an_extraordinary_cancellation_after_an_ordinary_one_ends_the_contract_sooner(
    client, erika, print_contract, mailoutbox, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    number = erika.customer_number
    declare(client, django_capture_on_commit_callbacks, identifier=number)
    print_contract.refresh_from_db()
    assert print_contract.ends_on == terms.add_months(today, 1)

    mailoutbox.clear()
    sooner = extraordinary(client, django_capture_on_commit_callbacks, erika)

    print_contract.refresh_from_db()
    assert print_contract.ends_on == today
    assert print_contract.status == Subscription.Status.CANCELLED
    effect = sooner.effects.get()
    assert (effect.outcome, effect.ends_on) == (Effect.Outcome.ENDS, today)
    [notice] = notices_to(mailoutbox, erika)
    assert f"Ihr Vertrag endet am {german(today)}." in notice.body
    assert "bereits gekündigt" not in notice.body
    # From tomorrow on the mailing house no longer delivers it.
    assert Subscription.objects.filter(delivered_q(today)).exists()
    assert not Subscription.objects.filter(delivered_q(today + DAY)).exists()


def test_point_9_an_extraordinary_cancellation_to_a_day_asked_for_ends_it_on_that_day(
    client, erika, print_contract, django_capture_on_commit_callbacks
):
    asked = timezone.localdate() + datetime.timedelta(days=10)
    declare(client, django_capture_on_commit_callbacks, identifier=erika.customer_number)

    extraordinary(
        client,
        django_capture_on_commit_callbacks,
        erika,
        reason="Umzug ins Ausland.",
        requested_end=asked.isoformat(),
    )

    print_contract.refresh_from_db()
    assert print_contract.ends_on == asked


def test_point_9_a_second_ordinary_cancellation_to_an_earlier_possible_day_takes_effect(
    client, erika, print_contract, mailoutbox, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    far = today + datetime.timedelta(days=200)
    declare(
        client,
        django_capture_on_commit_callbacks,
        identifier=erika.customer_number,
        requested_end=far.isoformat(),
    )
    print_contract.refresh_from_db()
    assert print_contract.ends_on == far

    mailoutbox.clear()
    declare(client, django_capture_on_commit_callbacks, identifier=erika.customer_number)

    print_contract.refresh_from_db()
    assert print_contract.ends_on == terms.add_months(today, 1)
    [notice] = notices_to(mailoutbox, erika)
    assert f"Ihr Vertrag endet am {german(print_contract.ends_on)}." in notice.body


def test_point_9_a_later_declaration_never_makes_the_contract_run_longer(
    client, erika, print_contract, mailoutbox, django_capture_on_commit_callbacks
):
    extraordinary(client, django_capture_on_commit_callbacks, erika)
    mailoutbox.clear()

    later = declare(client, django_capture_on_commit_callbacks, identifier=erika.customer_number)

    print_contract.refresh_from_db()
    assert print_contract.ends_on == timezone.localdate()
    assert later.effects.get().outcome == Effect.Outcome.ALREADY
    [notice] = notices_to(mailoutbox, erika)
    assert f"bereits gekündigt und endet am {german(timezone.localdate())}" in notice.body


def test_point_9_an_extraordinary_cancellation_matched_by_hand_later_still_ends_it_sooner(
    client, service, erika, print_contract, django_capture_on_commit_callbacks
):
    # The name does not fit the one on file: it waits for staff.
    waiting = extraordinary(
        client, django_capture_on_commit_callbacks, erika, name="E. Mustermann"
    )
    assert waiting.unmatched
    declare(client, django_capture_on_commit_callbacks, identifier=erika.customer_number)
    print_contract.refresh_from_db()
    assert print_contract.ends_on == terms.add_months(timezone.localdate(), 1)

    with django_capture_on_commit_callbacks(execute=True):
        service.post(
            reverse("admin:subscriptions_declaration_match", args=[waiting.pk]),
            {"customer_number": erika.customer_number, "subscriptions": [print_contract.pk]},
        )

    print_contract.refresh_from_db()
    assert print_contract.ends_on == waiting.received_on


# A fixed term ends by itself


def test_point_9_a_fixed_term_contract_knows_its_end_from_the_start(erika):
    start = timezone.localdate() - datetime.timedelta(days=30)

    contract = make_subscription(erika, fixed_term_plan(), starts_on=start)

    contract.refresh_from_db()
    assert contract.ends_on == terms.term_end(start, 12)
    assert contract.status == Subscription.Status.ACTIVE
    assert Subscription.objects.filter(running_q(contract.ends_on)).exists()
    assert not Subscription.objects.filter(running_q(contract.ends_on + DAY)).exists()


def test_point_9_a_fixed_term_contract_leaves_the_print_list_after_its_last_day(service, erika):
    today = timezone.localdate()
    # Twelve months that ended yesterday, and twelve that end today.
    over = make_subscription(erika, fixed_term_plan(), starts_on=terms.add_months(today, -12))
    last_day = make_subscription(
        make_subscriber(name="Max Beispiel"),
        make_plan(name="Print, endet heute", renews=False),
        starts_on=terms.add_months(today + DAY, -12),
    )
    assert over.ends_on == today - DAY
    assert last_day.ends_on == today

    rows = print_list(service)

    assert [row[7] for row in rows] == [str(last_day.pk)]
    assert rows[0][8] == f"{today:%d.%m.%Y}"  # "Liefern bis"
    # Staff see it as ended, without anybody having changed it.
    ended = service.get("/admin/subscriptions/subscription/?laeuft=nein").text
    assert f"Beendet am {over.ends_on:%d.%m.%Y}" in ended
    assert "Max Beispiel" not in ended


def test_point_9_a_late_cancellation_of_a_fixed_term_shows_its_real_end(
    client, erika, mailoutbox, django_capture_on_commit_callbacks
):
    start = terms.add_months(timezone.localdate(), -12) - datetime.timedelta(days=5)
    contract = make_subscription(erika, fixed_term_plan(), starts_on=start)
    real_end = contract.ends_on
    assert real_end < timezone.localdate()

    declaration = declare(
        client, django_capture_on_commit_callbacks, identifier=erika.customer_number
    )

    contract.refresh_from_db()
    assert contract.ends_on == real_end
    effect = declaration.effects.get()
    assert (effect.outcome, effect.ends_on) == (Effect.Outcome.ENDED, real_end)
    [notice] = notices_to(mailoutbox, erika)
    assert f"Der Vertrag war bereits am {german(real_end)} beendet" in notice.body
    assert german(timezone.localdate()) not in notice.body.split("Eingegangen am")[0]


def test_point_9_a_fixed_term_cancelled_after_its_notice_period_still_ends_with_its_term(
    client, erika, mailoutbox, django_capture_on_commit_callbacks
):
    # Ten days before the end: past a month's notice, yet it ends with the term, not a month on.
    start = terms.add_months(timezone.localdate() + datetime.timedelta(days=10), -12)
    contract = make_subscription(erika, fixed_term_plan(), starts_on=start)

    declare(client, django_capture_on_commit_callbacks, identifier=erika.customer_number)

    contract.refresh_from_db()
    assert contract.ends_on == terms.term_end(start, 12)
    assert contract.status == Subscription.Status.CANCELLED
    [notice] = notices_to(mailoutbox, erika)
    assert f"Ihr Vertrag endet am {german(contract.ends_on)}." in notice.body


def test_point_9_an_extraordinary_cancellation_ends_a_fixed_term_at_once(
    client, erika, django_capture_on_commit_callbacks
):
    contract = make_subscription(
        erika, fixed_term_plan(), starts_on=timezone.localdate() - datetime.timedelta(days=40)
    )

    extraordinary(client, django_capture_on_commit_callbacks, erika)

    contract.refresh_from_db()
    assert contract.ends_on == timezone.localdate()
