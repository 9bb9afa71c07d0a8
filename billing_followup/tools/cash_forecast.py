"""When an open amount is expected to come in: plain Python, no ORM.

The cash forecast (`billing.cash.forecast`) applies the same rule in SQL:
an amount is expected on its date (an item's or instalment's due date, a
promise's date), moved by the customer's average days late when its payer
profile says it pays late (a promise is the client's own date: not moved),
never before today, and counted at the share its payer class earns. A
new customer is taken at its word, like a punctual one.
"""

import math
from datetime import date as Date
from datetime import timedelta

from .payer_profile import AT_RISK, LATE_RELIABLE, NEW, PUNCTUAL

WEEKS = 13
# payer class: share of the amount expected
WEIGHTS = {NEW: 1.0, PUNCTUAL: 1.0, LATE_RELIABLE: 1.0, AT_RISK: 0.5}
# payer classes whose dates move by their average days late
SHIFTED = (LATE_RELIABLE, AT_RISK)


def horizon(today: Date) -> tuple[Date, Date]:
    """First day (this week's Monday) and the day after the 13 weeks."""
    start = today - timedelta(days=today.weekday())
    return start, start + timedelta(weeks=WEEKS)


def expected(
    on: Date,
    amount: float,
    payer_class: str | None,
    avg_days_late: float,
    today: Date,
    shift: bool = True,
) -> tuple[Date, float]:
    """(expected date, expected amount) of `amount` due `on`."""
    payer_class = payer_class or NEW
    moved = shift and payer_class in SHIFTED
    # half a day up, as SQL's FLOOR(x + 0.5) in the forecast's view
    days = math.floor((avg_days_late or 0) + 0.5) if moved else 0
    return max(today, on + timedelta(days=days)), amount * WEIGHTS[payer_class]
