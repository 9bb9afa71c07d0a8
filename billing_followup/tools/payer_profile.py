"""How a customer pays, from its own history: plain Python, no ORM.

The engine reads, in one query per batch, each customer's paid invoices of
the last 24 months as (due date, payment date) pairs and asks `profile` for
its payer profile. A customer with fewer than `MIN_HISTORY` paid invoices is
`new`, whatever its delays: one late invoice does not make a late payer.
"""

from dataclasses import dataclass
from datetime import date as Date
from statistics import median

MIN_HISTORY = 3
# punctual: at least this share paid on time and on average this few days late
PUNCTUAL_SHARE = 0.8
PUNCTUAL_DAYS = 5
# late but reliable: late, but on average within this many days
RELIABLE_DAYS = 30
# at risk, whatever the delays, from this many broken promises to pay
BROKEN_PROMISES_AT_RISK = 2
# a usual payment day: this share of payments within DAY_SPREAD days of it
DAY_SHARE = 0.6
DAY_SPREAD = 3

NEW, PUNCTUAL, LATE_RELIABLE, AT_RISK = "new", "punctual", "late_reliable", "at_risk"


@dataclass(frozen=True)
class Profile:
    payer_class: str
    paid_count: int = 0
    avg_days_late: float = 0.0
    median_days_late: float = 0.0
    on_time_share: float = 0.0
    usual_day: int = 0
    broken_promises: int = 0
    disputes: int = 0


def _day_distance(a, b):
    """Days between two days of the month, around the month's end (31 -> 1
    is 1 day)."""
    gap = abs(a - b) % 31
    return min(gap, 31 - gap)


def usual_payment_day(paid_dates):
    """The day of the month most payments fall within DAY_SPREAD days of,
    if at least DAY_SHARE of them do and there are MIN_HISTORY; else 0."""
    days = [d.day for d in paid_dates]
    if len(days) < MIN_HISTORY:
        return 0
    best_day, best, best_closeness = 0, 0, 0
    for candidate in range(1, 32):
        gaps = [_day_distance(day, candidate) for day in days]
        gaps = [gap for gap in gaps if gap <= DAY_SPREAD]
        near, closeness = len(gaps), sum(gaps)
        if near > best or (near == best and closeness < best_closeness):
            best_day, best, best_closeness = candidate, near, closeness
    return best_day if best >= DAY_SHARE * len(days) else 0


def profile(
    history: list[tuple[Date, Date]], broken_promises: int = 0, disputes: int = 0
) -> Profile:
    """The payer profile of a history of (due date, payment date) pairs and
    of the promises to pay broken and invoices disputed in the same months."""
    count = len(history)
    extra = {"broken_promises": broken_promises, "disputes": disputes}
    if count < MIN_HISTORY:
        return Profile(NEW, count, **extra)
    late = [max((paid - due).days, 0) for due, paid in history]
    avg = sum(late) / count
    share = sum(1 for days in late if days == 0) / count
    values = {
        "paid_count": count,
        "avg_days_late": round(avg, 1),
        "median_days_late": float(median(late)),
        "on_time_share": round(share, 4),
        "usual_day": usual_payment_day([paid for _due, paid in history]),
        **extra,
    }
    if broken_promises >= BROKEN_PROMISES_AT_RISK:
        return Profile(AT_RISK, **values)
    if share >= PUNCTUAL_SHARE and avg <= PUNCTUAL_DAYS:
        return Profile(PUNCTUAL, **values)
    if avg <= RELIABLE_DAYS:
        return Profile(LATE_RELIABLE, **values)
    return Profile(AT_RISK, **values)
