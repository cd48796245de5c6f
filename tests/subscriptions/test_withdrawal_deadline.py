"""The withdrawal deadline as §§ 187, 188, 193, 355, 356 BGB compute it (issue 19, point 2).

The table is checked against a calendar: 4.7.2026 and 26.12.2026 are
Saturdays, 25./26.12. Christmas, 3.4./6.4.2026 Good Friday and Easter
Monday, 3.10.2026 a Saturday and German Unity Day, 8.3.2027 (a Monday)
Internationaler Frauentag in Berlin only, 4.6.2026 Corpus Christi in NRW
but not in Berlin.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from subscriptions import terms
from subscriptions.models import Plan, Subscription
from subscriptions.terms import withdrawal_deadline
from tests.factories import make_plan, make_subscriber, make_subscription
from tests.subscriptions.helpers import german, link_in, withdrawal

D = datetime.date

# (case, concluded, by post, first issue received, informed, state, last day)
CASES = [
    # Digital: 14 days from the conclusion, the day itself not counted (§§ 187 Abs. 1, 188 Abs. 1).
    ("digital, a Friday stays", D(2026, 6, 19), False, None, D(2026, 6, 19), "BE", D(2026, 7, 3)),
    ("20.6.: 4.7. a Saturday", D(2026, 6, 20), False, None, D(2026, 6, 20), "BE", D(2026, 7, 6)),
    ("11.12.: Christmas, Saturday, Sunday", D(2026, 12, 11), False, None, D(2026, 12, 11), "BE",
     D(2026, 12, 28)),
    ("New Year's Day, then a weekend", D(2026, 12, 18), False, None, D(2026, 12, 18), "BE",
     D(2027, 1, 4)),
    ("over the turn of the year", D(2026, 12, 31), False, None, D(2026, 12, 31), "BE",
     D(2027, 1, 14)),
    ("Good Friday to Easter Monday", D(2026, 3, 20), False, None, D(2026, 3, 20), "BE",
     D(2026, 4, 7)),
    ("German Unity Day on a Saturday", D(2026, 9, 19), False, None, D(2026, 9, 19), "BE",
     D(2026, 10, 5)),
    ("Frauentag: a holiday in Berlin", D(2027, 2, 22), False, None, D(2027, 2, 22), "BE",
     D(2027, 3, 9)),
    ("Frauentag: a working day in Bavaria", D(2027, 2, 22), False, None, D(2027, 2, 22), "BY",
     D(2027, 3, 8)),
    ("Corpus Christi: a working day in Berlin", D(2026, 5, 21), False, None, D(2026, 5, 21), "BE",
     D(2026, 6, 4)),
    ("Corpus Christi: a holiday in NRW", D(2026, 5, 21), False, None, D(2026, 5, 21), "NW",
     D(2026, 6, 5)),
    # § 193 moves the end only: concluded on a holiday, the count still starts the next day.
    ("concluded on New Year's Day", D(2026, 1, 1), False, None, D(2026, 1, 1), "BE",
     D(2026, 1, 15)),
    # Print and combined: from the receipt of the first issue (§ 356 Abs. 2 Nr. 1 d).
    ("print, first issue four days later", D(2026, 6, 20), True, D(2026, 6, 24), D(2026, 6, 20),
     "BE", D(2026, 7, 8)),
    ("print, first issue on a Saturday", D(2026, 7, 1), True, D(2026, 7, 4), D(2026, 7, 1), "BE",
     D(2026, 7, 20)),
    ("combined, first issue on 11.12.", D(2026, 12, 1), True, D(2026, 12, 11), D(2026, 12, 1),
     "BE", D(2026, 12, 28)),
    ("print, first issue not received yet", D(2026, 6, 20), True, None, D(2026, 6, 20), "BE",
     None),
    ("print, an issue dated before the contract", D(2026, 6, 20), True, D(2026, 6, 18),
     D(2026, 6, 20), "BE", D(2026, 7, 6)),
    # § 356 Abs. 3: informed before the order counts from the beginning, later from then ...
    ("informed before the conclusion", D(2026, 6, 19), False, None, D(2026, 6, 12), "BE",
     D(2026, 7, 3)),
    ("informed nine days late", D(2026, 6, 1), False, None, D(2026, 6, 10), "BE", D(2026, 6, 24)),
    # ... and never informed: twelve months and 14 days, with § 193 too.
    ("never informed, 4.7.2027 a Sunday", D(2026, 6, 20), False, None, None, "BE",
     D(2027, 7, 5)),
    ("never informed, print", D(2026, 6, 20), True, D(2026, 6, 24), None, "BE", D(2027, 7, 8)),
    ("never informed, from 29 February", D(2028, 2, 29), False, None, None, "BE",
     D(2029, 3, 14)),
    ("never informed, print, no first issue yet", D(2026, 6, 20), True, None, None, "BE", None),
    ("informed after the right expired", D(2026, 6, 1), False, None, D(2027, 9, 1), "BE",
     D(2027, 6, 15)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("concluded", "by_post", "first_issue", "informed", "state", "last_day"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_point_2_the_withdrawal_deadline_follows_the_civil_code(
    concluded, by_post, first_issue, informed, state, last_day
):
    deadline = withdrawal_deadline(
        concluded,
        by_post=by_post,
        first_issue_on=first_issue,
        informed_on=informed,
        state=state,
    )

    assert deadline == last_day


def test_point_2_the_federal_state_is_a_setting(settings):
    settings.PORTAL_PUBLISHER_STATE = "BY"
    frauentag = withdrawal_deadline(D(2027, 2, 22), informed_on=D(2027, 2, 22))

    settings.PORTAL_PUBLISHER_STATE = "BE"

    assert frauentag == D(2027, 3, 8)
    assert withdrawal_deadline(D(2027, 2, 22), informed_on=D(2027, 2, 22)) == D(2027, 3, 9)


@pytest.mark.django_db
def test_point_2_a_print_contract_says_the_deadline_is_unknown_until_the_first_issue_is_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    erika = make_subscriber(name="Erika Mustermann", email="erika@example.org")
    ordered = timezone.localdate() - datetime.timedelta(days=40)
    contract = make_subscription(
        erika, make_plan(kind=Plan.Kind.PRINT), starts_on=ordered, ordered_online=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/abo/", {"email": erika.email})
    client.post(link_in(mailoutbox[0], "/abo/anmelden/"))

    waiting = client.get("/abo/").text
    contract.first_issue_received_on = timezone.localdate() - datetime.timedelta(days=3)
    contract.full_clean()
    contract.save()
    known = client.get("/abo/").text

    # Forty days after the order the right is still there: the period has not begun.
    assert contract.withdrawal_until == terms.next_working_day(
        contract.first_issue_received_on + datetime.timedelta(days=14)
    )
    assert "Widerruf möglich bis 14 Tage nach Erhalt der ersten Ausgabe" in waiting
    assert f'href="/abo/widerrufen/?abo={contract.pk}"' in waiting
    assert f"Widerruf möglich bis {german(contract.withdrawal_until)}" in known


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "received", "error"),
    [
        (Plan.Kind.PRINT, 1, "liegt in der Zukunft"),
        (Plan.Kind.PRINT, -30, "nicht vor dem Vertragsschluss"),
        (Plan.Kind.DIGITAL, -1, "Nur bei Print- und Kombi-Abonnements"),
    ],
)
def test_point_2_staff_cannot_record_a_first_issue_that_cannot_be(kind, received, error):
    today = timezone.localdate()
    contract = make_subscription(
        plan=make_plan(kind=kind), starts_on=today - datetime.timedelta(days=10)
    )
    contract.first_issue_received_on = today + datetime.timedelta(days=received)

    with pytest.raises(ValidationError) as raised:
        contract.full_clean()

    [message] = raised.value.message_dict["first_issue_received_on"]
    assert error in message


@pytest.mark.django_db
def test_point_2_staff_find_the_contracts_whose_first_issue_is_not_recorded(subscription_staff):
    from tests.conftest import logged_in

    waiting = make_subscription(plan=make_plan(kind=Plan.Kind.COMBINED), ordered_online=True)
    make_subscription(
        plan=make_plan(kind=Plan.Kind.PRINT),
        ordered_online=True,
        first_issue_received_on=waiting.concluded_on,
    )
    make_subscription(plan=make_plan(kind=Plan.Kind.DIGITAL), ordered_online=True)

    service = logged_in(subscription_staff)
    listed = service.get("/admin/subscriptions/subscription/", {"widerrufsfrist": "erste-ausgabe"})
    page = service.get(f"/admin/subscriptions/subscription/{waiting.pk}/change/").text

    assert list(listed.context["cl"].result_list) == [waiting]
    assert "Erste Ausgabe erhalten am" in page
    assert "offen: die Frist beginnt mit „Erste Ausgabe erhalten am“" in page


@pytest.mark.django_db
def test_point_2_without_proper_information_a_contract_can_be_withdrawn_for_a_year(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    erika = make_subscriber(name="Erika Mustermann", email="erika@example.org")
    ordered = timezone.localdate() - datetime.timedelta(days=200)
    contract = make_subscription(
        erika,
        make_plan(kind=Plan.Kind.DIGITAL),
        starts_on=ordered,
        ordered_online=True,
        withdrawal_informed_on=None,  # ordered with the old, incomplete sentence
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/abo/widerrufen/", withdrawal(identifier=erika.customer_number))

    contract.refresh_from_db()
    assert contract.status == Subscription.Status.WITHDRAWN
    assert "Der Vertrag ist widerrufen." in mailoutbox[-1].body
