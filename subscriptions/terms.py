"""When a subscription ends: the one place for the rules of German contract law.

Dates are days in Berlin; a contract "ends on" a day means it runs through
that day. Periods are counted as §§ 187, 188 BGB count them.
"""

import calendar
import datetime
import functools

import holidays
from django.conf import settings

# Contracts concluded from this day on follow § 309 Nr. 9 BGB in the version of
# the Gesetz für faire Verbraucherverträge: after the minimum term they run on
# for an indefinite time and can be cancelled at any time with at most one
# month's notice.
FAIR_CONTRACTS_SINCE = datetime.date(2022, 3, 1)
WITHDRAWAL_DAYS = 14
# § 356 Abs. 3 Satz 2 BGB: without proper information on the right of
# withdrawal, it expires twelve months and 14 days after the period would have begun.
WITHDRAWAL_LONGSTOP_MONTHS = 12


def _month_end(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _shift(year, month, months):
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def add_months(day, months):
    """The day ``months`` later (or earlier) with the same number, or that month's last day.

    § 188 Abs. 2 and 3 BGB: received on 15.12., a month's notice runs to 15.1.;
    received on 31.1., to 28.2. (29.2. in a leap year).
    """
    year, month = _shift(day.year, day.month, months)
    return min(
        datetime.date(year, month, 1) + datetime.timedelta(days=day.day - 1),
        _month_end(year, month),
    )


def term_end(start, months):
    """The last day of a term of ``months`` that begins on ``start``.

    § 188 Abs. 2 with § 187 Abs. 2 BGB: the day before the one with the start's
    number (1.1.2025 + 12 months: 31.12.2025); where the last month has no
    such day, its last day (29.2.2024 + 12 months: 28.2.2025).
    """
    year, month = _shift(start.year, start.month, months)
    last = _month_end(year, month)
    if start.day > last.day:
        return last
    return datetime.date(year, month, start.day) - datetime.timedelta(days=1)


def notice_deadline(term_last_day, notice_months):
    """The last day a cancellation may arrive to end the contract on ``term_last_day``.

    Counted back as forward: "one month to the 31.12." is the 30.11., "three
    months to the end of June" the 31.3. (a month's end answers to a month's end).
    """
    if term_last_day == _month_end(term_last_day.year, term_last_day.month):
        return _month_end(*_shift(term_last_day.year, term_last_day.month, -notice_months))
    return add_months(term_last_day, -notice_months)


@functools.cache
def _public_holidays(state, year):
    return frozenset(holidays.country_holidays("DE", subdiv=state, years=year))


def next_working_day(day, state=None):
    """``day``, or the working day after it if it is a Saturday, Sunday or public holiday.

    § 193 BGB: where a declaration is due by a day that is a Saturday, a
    Sunday or a public holiday at the place of declaration, the next working
    day takes its place. The place is the publisher's (PORTAL_PUBLISHER_STATE):
    withdrawals are declared to them.
    """
    state = state or settings.PORTAL_PUBLISHER_STATE
    while day.weekday() >= 5 or day in _public_holidays(state, day.year):
        day += datetime.timedelta(days=1)
    return day


def withdrawal_deadline(
    concluded_on, *, informed_on, by_post=False, first_issue_on=None, state=None
):
    """The last day on which a withdrawal is in time, or None while that cannot be known.

    - When the period begins (§ 356 Abs. 2 BGB): for digital plans with the
      conclusion of the contract (Nr. 2), for print and combined plans
      (``by_post``: a contract for the regular delivery of goods, Nr. 1 d)
      with the day the subscriber received the first issue
      (``first_issue_on``). Until that day is known, so is the deadline not.
    - 14 days (§ 355 Abs. 2): the day of the event is not counted (§ 187
      Abs. 1), the period ends with its 14th day after it (§ 188 Abs. 1).
    - Not before the subscriber was informed of the right as Art. 246a § 1
      Abs. 2 EGBGB requires (``informed_on``, § 356 Abs. 3 Satz 1): informed
      later, the 14 days count from that day; never (None), or later still,
      the right expires twelve months and 14 days after the beginning
      (Satz 2; the months as § 188 Abs. 2 and 3 count them).
    - § 193: a last day on a Saturday, Sunday or public holiday of the
      publisher's federal state gives way to the next working day. It moves
      the end only, never the beginning: a first issue received on a
      Saturday starts the count on the Sunday.
    """
    if by_post and first_issue_on is None:
        return None
    begins = max(first_issue_on, concluded_on) if by_post else concluded_on
    longstop = next_working_day(
        add_months(begins, WITHDRAWAL_LONGSTOP_MONTHS) + datetime.timedelta(days=WITHDRAWAL_DAYS),
        state,
    )
    if informed_on is None:
        return longstop
    counted_from = max(begins, informed_on)
    last_day = next_working_day(counted_from + datetime.timedelta(days=WITHDRAWAL_DAYS), state)
    return min(last_day, longstop)


def fixed_end(contract):
    """The day a contract that does not renew ends by itself (its term's last day), else None.

    Such a contract needs no cancellation to end: it is over after that day,
    and a cancellation, in time or late, cannot move that day later.
    """
    if contract.renews or contract.minimum_term_ends is None:
        return None
    return contract.minimum_term_ends


def cancellation_end(contract, received, extraordinary=False, requested=None):
    """The day the contract ends after a cancellation received on ``received``.

    ``contract`` needs ``concluded_on``, ``minimum_term_ends`` (None: no
    minimum term), ``ends_on`` (set once it is to end), and the plan's
    ``notice_months``, ``renews`` and ``renewal_months``. A ``requested``
    day later than the earliest possible one is honoured; an earlier one
    cannot be (the declaration still counts, for the earliest day).

    - Extraordinary (§ 314 BGB, for a serious reason): at once.
    - Within the minimum term and in time: at its end.
    - A fixed term that does not renew: at its end, however late the
      cancellation (fixed_end()).
    - Otherwise, concluded since 1.3.2022: a month's notice (or the plan's
      shorter one) from receipt, not before the minimum term ends.
    - Otherwise, older contracts: the end of the renewal period for which
      the notice is still in time.

    A contract that is to end already (an earlier cancellation, a fixed
    term) ends on the earlier of the two days: a later declaration never
    makes it run longer, but an extraordinary one after an ordinary one
    ends it sooner, and so does a second ordinary one to an earlier day.
    """
    end = received if extraordinary else _earliest_ordinary_end(contract, received)
    if requested:
        end = max(end, requested)
    current = contract.ends_on or fixed_end(contract)
    return min(end, current) if current else end


def _earliest_ordinary_end(contract, received):
    notice = contract.notice_months
    term_last_day = contract.minimum_term_ends
    if term_last_day is not None and not contract.renews:
        # A fixed term ends by itself: a late cancellation gives its real end,
        # not the day the cancellation arrived.
        return term_last_day
    if term_last_day is not None and received <= notice_deadline(term_last_day, notice):
        return term_last_day
    if contract.concluded_on >= FAIR_CONTRACTS_SINCE:
        earliest = add_months(received, min(notice, 1))
        return max(earliest, term_last_day) if term_last_day else earliest
    # Older contracts renew by whole renewal periods.
    period_end = term_last_day or term_end(contract.concluded_on, contract.renewal_months)
    start = period_end + datetime.timedelta(days=1)
    while received > notice_deadline(period_end, notice):
        period_end = term_end(start, contract.renewal_months)
        start = period_end + datetime.timedelta(days=1)
    return period_end
