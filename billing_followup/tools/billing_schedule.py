"""Billing periods of a contract: contiguous periods from an anchor date, each
billed on a billing day that can follow the client's own payment cycle.

Plain dates in, plain tuples out (no ORM), so the schedule over a year can be
checked exhaustively.
"""

import calendar
from dataclasses import dataclass
from datetime import timedelta

from dateutil.relativedelta import relativedelta

WEEKLY = "weekly"
BIWEEKLY = "biweekly"
MONTHLY = "monthly"
QUARTERLY = "quarterly"
PERIODIC = (WEEKLY, BIWEEKLY, MONTHLY, QUARTERLY)

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
    last = calendar.monthrange(date.year, date.month)[1]
    return date.replace(day=min(day, last))


def periods(anchor, frequency, until, end=None, billing_day=0, weekday=None):
    """Periods starting at `anchor` whose billing date is on or before
    `until` and that start on or before the contract's `end` (if any).

    Period k starts at anchor + k steps (computed from the anchor, so month
    ends do not drift) and ends the day before period k + 1: no gap, no
    overlap. The last period is cut at `end`.
    """
    if frequency not in PERIODIC:
        raise ValueError(f"not a periodic schedule: {frequency!r}")
    result = []
    index = 0
    while True:
        start = anchor + _STEP[frequency] * index
        if end and start > end:
            break
        bill_on = billing_date(start, frequency, billing_day, weekday)
        if bill_on > until:
            break
        stop = anchor + _STEP[frequency] * (index + 1) - timedelta(days=1)
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
