"""Payment plans in plain Python: proposing instalments and settling them.

Amounts are whole units of the currency's rounding (int), so instalments
always add up exactly to the balance they split.
"""

from dataclasses import dataclass
from datetime import timedelta

from dateutil.relativedelta import relativedelta

OPEN = "open"
PAID = "paid"
LATE = "late"

RUNNING = "running"
DONE = "done"
BROKEN = "broken"

WEEKS = "weeks"
MONTHS = "months"


def propose(total, count, first, period=MONTHS, down_payment=0, down_date=None):
    """[(date, units)]: an optional down payment on `down_date`, then
    `total - down_payment` in `count` equal parts (the first ones carry the
    remainder) every week or month from `first`."""
    if count < 1:
        raise ValueError("count")
    if not 0 <= down_payment < total:
        raise ValueError("down_payment")
    rest = total - down_payment
    part, remainder = divmod(rest, count)
    step = relativedelta(weeks=1) if period == WEEKS else relativedelta(months=1)
    lines = [(down_date or first, down_payment)] if down_payment else []
    for index in range(count):
        lines.append((first + step * index, part + (index < remainder)))
    return lines


@dataclass(frozen=True)
class Settled:
    """Each instalment's state (in date order) and the plan's state."""

    line_states: tuple[str, ...]
    state: str


def settle(instalments, paid, on, tolerance_days):
    """Allocate `paid` units to `instalments` [(date, units)] in date order
    (an overpayment covers the next ones); an uncovered instalment past its
    date is late, and one late beyond `tolerance_days` breaks the plan."""
    states, left, broken = [], paid, False
    for due, units in instalments:
        if left >= units:
            states.append(PAID)
            left -= units
            continue
        left = 0
        late = on > due
        states.append(LATE if late else OPEN)
        broken |= on > due + timedelta(days=tolerance_days)
    if all(state == PAID for state in states):
        return Settled(tuple(states), DONE)
    return Settled(tuple(states), BROKEN if broken else RUNNING)


def next_unpaid(instalments, states):
    """(index, date) of the first instalment not paid, or None."""
    for index, state in enumerate(states):
        if state != PAID:
            return index, instalments[index][0]
    return None


def reminder_due(due, on, heads_up_days):
    """ "heads_up" from `heads_up_days` before an instalment to its date,
    "missed" after it, or None (a plain function of the dates)."""
    if due - timedelta(days=heads_up_days) <= on <= due:
        return "heads_up"
    if on > due:
        return "missed"
    return None
