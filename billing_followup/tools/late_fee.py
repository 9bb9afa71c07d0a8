"""How much a late fee is: plain Python, no ORM.

A policy's terms (`Terms`) and one overdue invoice (`Charge`) give a fee
(`Fee`) with the numbers a customer needs to check it: the base, the days
late, the rate(s) and the amount, rounded half-up to the currency's
smallest unit. Amounts are in the invoice's currency: the caller converts
the policy's fixed amounts first.

- `fixed`: a fixed amount per overdue invoice (with `uk_bands`: 40, 70 or
  100 by the invoice's size, as the UK late-payment rules say);
- `percent`: a percentage of the amount overdue;
- `interest`: simple interest at `annual_rate` (plus the reference rate in
  force each day when `reference` is given) for the days late, on an
  ACT/365 day count; a rate change splits the period into pieces. A fixed
  compensation (`fixed_amount`, or the UK bands) is added to the first
  charge of an invoice only (EU Directive 2011/7/EU: 40 EUR per invoice).

Nothing is owed within `grace_days` of the due date, nor on an invoice
whose amount overdue is below `min_overdue_amount`. The caps
(`max_fee_amount`, `max_fee_percent` of the invoice) bound everything an
invoice is charged: each charge gets what the earlier ones left
(`Charge.charged`), so a monthly interest stops once the cap is reached.
Interest runs from `Charge.since`: the due date, the previous charge, or
the day a payment plan over the invoice broke (`after_broken_plan`: the
policy charges again then; otherwise never).
"""

from dataclasses import dataclass
from datetime import date as Date
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

FIXED = "fixed"
PERCENT = "percent"
INTEREST = "interest"
ONCE = "once"
MONTHLY = "monthly"
DAY_COUNT = 365

# UK Late Payment of Commercial Debts: fixed compensation by debt size.
UK_BANDS = ((1000.0, 40.0), (10000.0, 70.0), (None, 100.0))


@dataclass(frozen=True)
class Terms:
    """A policy's terms; `reference`: ((valid from, rate in %), ...) of the
    reference rate, empty when the policy does not add it."""

    kind: str
    fixed_amount: float = 0.0
    percent: float = 0.0
    annual_rate: float = 0.0
    reference: tuple[tuple[Date, float], ...] = ()
    uk_bands: bool = False
    grace_days: int = 0
    min_overdue_amount: float = 0.0
    max_fee_amount: float = 0.0
    max_fee_percent: float = 0.0
    recurrence: str = ONCE
    notice_days: int = 0
    after_broken_plan: bool = True


@dataclass(frozen=True)
class Charge:
    """One overdue invoice to charge on `on`: its amount overdue (`base`),
    its total, its due date, the day interest runs from (`since`: the due
    date, the previous charge or a payment plan's break), whether it was
    charged before and the fees already charged on it (`charged`)."""

    base: float
    total: float
    due: Date
    since: Date
    on: Date
    first: bool = True
    rounding: float = 0.01
    charged: float = 0.0


@dataclass(frozen=True)
class Piece:
    """Interest over `days` days at `rate` % a year."""

    days: int
    rate: float
    amount: float


@dataclass(frozen=True)
class Fee:
    amount: float
    base: float
    days: int
    pieces: tuple[Piece, ...] = ()
    fixed: float = 0.0
    capped: bool = False

    @property
    def rates(self):
        return tuple(piece.rate for piece in self.pieces)


def round_to(amount, rounding):
    """`amount` rounded half-up to a multiple of `rounding`."""
    step = Decimal(str(rounding))
    units = (Decimal(str(amount)) / step).quantize(Decimal(1), ROUND_HALF_UP)
    return float(units * step)


def band_amount(total):
    """The UK fixed compensation for an invoice of `total`."""
    for limit, amount in UK_BANDS:
        if limit is None or total < limit:
            return amount
    return UK_BANDS[-1][1]


def rate_on(terms, on):
    """The annual rate in force on `on`: the policy's own plus the
    reference rate valid that day (the latest valid from on or before)."""
    reference = 0.0
    for valid_from, rate in sorted(terms.reference):
        if valid_from <= on:
            reference = rate
    return terms.annual_rate + reference


def interest_pieces(terms, start, end, base):
    """Simple interest on `base` from `start` (included) to `end`
    (excluded), one piece per rate in force."""
    if end <= start:
        return ()
    changes = sorted({d for d, _r in terms.reference if start < d < end})
    bounds = [start, *changes, end]
    pieces = []
    for begin, stop in pairwise(bounds):
        days, rate = (stop - begin).days, rate_on(terms, begin)
        pieces.append(Piece(days, rate, base * rate / 100 * days / DAY_COUNT))
    return tuple(pieces)


def fixed_part(terms, charge):
    if terms.uk_bands:
        return band_amount(charge.total)
    return terms.fixed_amount


def cap(terms, charge, amount):
    """`amount` within what the policy's caps leave once the fees already
    charged on the invoice are counted; and whether a cap applied."""
    limits = []
    if terms.max_fee_amount:
        limits.append(terms.max_fee_amount)
    if terms.max_fee_percent:
        limits.append(charge.total * terms.max_fee_percent / 100)
    if not limits:
        return amount, False
    room = max(min(limits) - charge.charged, 0.0)
    if amount > room:
        return room, True
    return amount, False


def compute(terms, charge):
    """The fee for `charge` under `terms`, or None when nothing is owed
    (within grace, below the minimum, nothing to charge)."""
    days = (charge.on - charge.due).days
    if days <= terms.grace_days or charge.base < terms.min_overdue_amount:
        return None
    pieces, fixed = (), 0.0
    if terms.kind == FIXED:
        fixed = fixed_part(terms, charge)
    elif terms.kind == PERCENT:
        fixed = charge.base * terms.percent / 100
    else:
        start = max(charge.since, charge.due)
        pieces = interest_pieces(terms, start, charge.on, charge.base)
        fixed = fixed_part(terms, charge) if charge.first else 0.0
    amount, capped = cap(terms, charge, fixed + sum(p.amount for p in pieces))
    amount = round_to(amount, charge.rounding)
    if amount <= 0:
        return None
    return Fee(
        amount, charge.base, days, pieces, round_to(fixed, charge.rounding), capped
    )
