"""Billing periods of a contract: contiguous periods from an anchor date, each
billed on a billing day that can follow the client's own payment cycle.

Plain dates in, plain tuples out (no ORM), so the schedule over a year can be
checked exhaustively.
"""

from dataclasses import dataclass
from datetime import timedelta

from dateutil.relativedelta import relativedelta

WEEKLY = "weekly"
BIWEEKLY = "biweekly"
MONTHLY = "monthly"
QUARTERLY = "quarterly"
PERIODIC = (WEEKLY, BIWEEKLY, MONTHLY, QUARTERLY)
# Billing methods whose invoices the schedule creates (the others are billed
# by hand: hours, milestones).
SCHEDULED_METHODS = ("retainer", "subscription", "fixed")

_STEP = {
    WEEKLY: relativedelta(weeks=1),
    BIWEEKLY: relativedelta(weeks=2),
    MONTHLY: relativedelta(months=1),
    QUARTERLY: relativedelta(months=3),
}


@dataclass(frozen=True)
class Period:
    start: object
    end: object
    billing_date: object


def billing_date(period_start, frequency, billing_day=0, weekday=None):
    """First day on or after `period_start` that matches the billing day:
    a weekday (0 = Monday) for weekly schedules, a day of the month (clamped
    to the month's length) for monthly ones; the period start without one."""
    if frequency in (WEEKLY, BIWEEKLY):
        if weekday is None:
            return period_start
        return period_start + timedelta(days=(weekday - period_start.weekday()) % 7)
    if not billing_day:
        return period_start
    candidate = _day_in_month(period_start, billing_day)
    if candidate < period_start:
        candidate = _day_in_month(period_start + relativedelta(months=1), billing_day)
    return candidate


def _day_in_month(date, day):
    """`day` of `date`'s month, clamped to the month's length."""
    return date + relativedelta(day=day)


def _start_day(anchor, start_day):
    """Day of the month monthly periods start on: the contract's own start
    day when `anchor` is a month end that clamped it (a contract started on
    the 31st resumes on 28 February, then 31 March), else the anchor's."""
    month_end = anchor + relativedelta(day=31)
    if start_day and start_day > anchor.day and anchor == month_end:
        return start_day
    return anchor.day


def _period_start(anchor, frequency, index, day):
    if frequency in (MONTHLY, QUARTERLY):
        return anchor + _STEP[frequency] * index + relativedelta(day=day)
    return anchor + _STEP[frequency] * index


def periods(
    anchor, frequency, until, end=None, billing_day=0, weekday=None, start_day=0
):
    """Periods starting at `anchor` whose billing date is on or before
    `until` and that start on or before the contract's `end` (if any).

    Period k starts at anchor + k steps (computed from the anchor, so month
    ends do not drift; `start_day` is the contract's first day, which a
    month-end anchor may have clamped) and ends the day before period k + 1:
    no gap, no overlap. The last period is cut at `end`.
    """
    if frequency not in PERIODIC:
        raise ValueError(f"not a periodic schedule: {frequency!r}")
    day = _start_day(anchor, start_day)
    result = []
    index = 0
    while True:
        start = _period_start(anchor, frequency, index, day)
        if end and start > end:
            break
        bill_on = billing_date(start, frequency, billing_day, weekday)
        if bill_on > until:
            break
        stop = _period_start(anchor, frequency, index + 1, day) - timedelta(days=1)
        if end and stop > end:
            stop = end
        result.append(Period(start, stop, bill_on))
        index += 1
    return result


def next_billing_date(anchor, frequency, end=None, billing_day=0, weekday=None):
    """Billing date of the first period starting at `anchor`, or None when the
    contract has ended."""
    if frequency not in PERIODIC or (end and anchor > end):
        return None
    return billing_date(anchor, frequency, billing_day, weekday)
