"""The end-date rule (subscriptions.terms), case by case as a lawyer would check it."""

import datetime
from types import SimpleNamespace

import pytest

from subscriptions.terms import (
    add_months,
    cancellation_end,
    notice_deadline,
    term_end,
    withdrawal_deadline,
)

D = datetime.date


def contract(concluded, term_ends=None, notice=1, renews=True, renewal=12, ends_on=None):
    return SimpleNamespace(
        concluded_on=concluded,
        minimum_term_ends=term_ends,
        notice_months=notice,
        renews=renews,
        renewal_months=renewal,
        ends_on=ends_on,
    )


YEARLY_2025 = contract(D(2025, 1, 1), term_ends=D(2025, 12, 31))


@pytest.mark.parametrize(
    ("case", "subscription", "received", "options", "ends"),
    [
        ("in time for the minimum term", YEARLY_2025, D(2025, 6, 10), {}, D(2025, 12, 31)),
        (
            "on the last day of the notice period",
            YEARLY_2025,
            D(2025, 11, 30),
            {},
            D(2025, 12, 31),
        ),
        (
            "notice just missed: a month from receipt",
            YEARLY_2025,
            D(2025, 12, 1),
            {},
            D(2026, 1, 1),
        ),
        ("after the minimum term: one month", YEARLY_2025, D(2026, 3, 15), {}, D(2026, 4, 15)),
        ("from the 31st into a short month", YEARLY_2025, D(2026, 1, 31), {}, D(2026, 2, 28)),
        ("into February of a leap year", YEARLY_2025, D(2028, 1, 31), {}, D(2028, 2, 29)),
        (
            "a longer notice in the plan is cut to one month after the term",
            contract(D(2023, 5, 1), term_ends=D(2024, 4, 30), notice=3),
            D(2024, 9, 10),
            {},
            D(2024, 10, 10),
        ),
        (
            "three months to the end of June: the 31.3. is in time",
            contract(D(2023, 7, 1), term_ends=D(2025, 6, 30), notice=3),
            D(2025, 3, 31),
            {},
            D(2025, 6, 30),
        ),
        (
            "a minimum term starting on 29.2. ends on 28.2.",
            contract(D(2024, 2, 29), term_ends=term_end(D(2024, 2, 29), 12)),
            D(2024, 6, 1),
            {},
            D(2025, 2, 28),
        ),
        (
            "no minimum term: one month",
            contract(D(2024, 8, 20)),
            D(2024, 12, 31),
            {},
            D(2025, 1, 31),
        ),
        (
            "older contract: to the end of the renewal year still in time",
            contract(D(2019, 7, 1), term_ends=D(2020, 6, 30), notice=3),
            D(2025, 4, 2),
            {},
            D(2026, 6, 30),
        ),
        (
            "older contract, in time for this renewal year",
            contract(D(2019, 7, 1), term_ends=D(2020, 6, 30), notice=3),
            D(2025, 3, 31),
            {},
            D(2025, 6, 30),
        ),
        (
            "a later day asked for is honoured",
            YEARLY_2025,
            D(2025, 6, 10),
            {"requested": D(2026, 3, 31)},
            D(2026, 3, 31),
        ),
        (
            "an earlier day asked for than possible: the earliest possible",
            YEARLY_2025,
            D(2025, 6, 10),
            {"requested": D(2025, 7, 1)},
            D(2025, 12, 31),
        ),
        (
            "extraordinary: at once",
            YEARLY_2025,
            D(2025, 6, 10),
            {"extraordinary": True},
            D(2025, 6, 10),
        ),
        (
            "extraordinary to a later day asked for",
            YEARLY_2025,
            D(2025, 6, 10),
            {"extraordinary": True, "requested": D(2025, 6, 30)},
            D(2025, 6, 30),
        ),
        (
            "already cancelled: the end stays",
            contract(D(2025, 1, 1), term_ends=D(2025, 12, 31), ends_on=D(2025, 12, 31)),
            D(2025, 12, 20),
            {},
            D(2025, 12, 31),
        ),
        (
            "a fixed term that does not renew ends by itself",
            contract(D(2025, 1, 1), term_ends=D(2025, 12, 31), renews=False),
            D(2025, 12, 15),
            {},
            D(2025, 12, 31),
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_when_a_cancelled_subscription_ends(case, subscription, received, options, ends):
    assert cancellation_end(subscription, received, **options) == ends


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2025, 12, 15), 1, D(2026, 1, 15)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2025, 3, 31), -1, D(2025, 2, 28)),
        (D(2025, 5, 31), 3, D(2025, 8, 31)),
    ],
)
def test_months_are_counted_as_the_civil_code_counts_them(day, months, expected):
    assert add_months(day, months) == expected


def test_terms_deadlines_and_withdrawal():
    assert term_end(D(2025, 1, 1), 12) == D(2025, 12, 31)
    assert term_end(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert notice_deadline(D(2025, 12, 31), 1) == D(2025, 11, 30)
    assert notice_deadline(D(2025, 12, 15), 1) == D(2025, 11, 15)
    assert withdrawal_deadline(D(2026, 6, 19), informed_on=D(2026, 6, 19)) == D(2026, 7, 3)


CANCELLED_TO_YEAR_END = contract(D(2025, 1, 1), term_ends=D(2025, 12, 31), ends_on=D(2025, 12, 31))
FIXED_2025 = contract(D(2025, 1, 1), term_ends=D(2025, 12, 31), renews=False)


@pytest.mark.parametrize(
    ("case", "subscription", "received", "options", "ends"),
    [
        (
            "extraordinary after an ordinary cancellation: at once (§ 314 BGB)",
            CANCELLED_TO_YEAR_END,
            D(2025, 6, 10),
            {"extraordinary": True},
            D(2025, 6, 10),
        ),
        (
            "a second ordinary one to an earlier possible day",
            contract(D(2022, 5, 1), term_ends=D(2023, 4, 30), ends_on=D(2026, 6, 30)),
            D(2025, 6, 10),
            {},
            D(2025, 7, 10),
        ),
        (
            "a second ordinary one to a later day changes nothing",
            CANCELLED_TO_YEAR_END,
            D(2025, 6, 10),
            {"requested": D(2026, 6, 30)},
            D(2025, 12, 31),
        ),
        (
            "a fixed term cancelled late: its real end, not the day of receipt",
            FIXED_2025,
            D(2026, 1, 20),
            {},
            D(2025, 12, 31),
        ),
        (
            "a fixed term cancelled after its notice period: with the term",
            FIXED_2025,
            D(2025, 12, 20),
            {},
            D(2025, 12, 31),
        ),
        (
            "a fixed term does not run beyond its end for a later day asked for",
            FIXED_2025,
            D(2025, 6, 10),
            {"requested": D(2026, 3, 31)},
            D(2025, 12, 31),
        ),
        (
            "a fixed term ended extraordinarily: at once",
            FIXED_2025,
            D(2025, 6, 10),
            {"extraordinary": True},
            D(2025, 6, 10),
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_point_9_the_earliest_end_wins_and_a_fixed_term_ends_by_itself(
    case, subscription, received, options, ends
):
    assert cancellation_end(subscription, received, **options) == ends
