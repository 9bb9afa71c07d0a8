"""Customer statements: plain Python, no ORM.

The outstanding statement (what is open on a date, aged) and the activity
statement (what happened over a period, with a running balance) are built
here from plain entries read in one query per batch of customers, so the
PDF, the periodic email and the client's portal page show the same figures.
Every amount is in the entry's own currency: each currency is a block of
its own, never converted.
"""

from dataclasses import asdict, dataclass
from datetime import date as Date

from . import aging

# What an entry is, as the statement labels it.
INVOICE = "invoice"
CREDIT_NOTE = "credit_note"
PAYMENT = "payment"
FEE = "fee"
OTHER = "other"
# Entries that lower what the customer owes: never "late".
CREDIT_KINDS = (CREDIT_NOTE, PAYMENT)


@dataclass(frozen=True)
class Entry:
    """One receivable line (outstanding, `line_id` set) or one journal
    entry's receivable lines summed (activity), in its currency: `amount` is
    what it booked (negative for a credit), `open` what is still open on the
    statement's date."""

    move_id: int
    kind: str
    number: str
    reference: str
    date: Date
    due: Date
    currency_id: int
    amount: float
    open: float = 0.0
    line_id: int = 0


def kind_of(move_type: str, is_payment: bool, is_fee: bool) -> str:
    """The statement's kind of a journal entry."""
    if is_payment:
        return PAYMENT
    if move_type == "out_refund":
        return CREDIT_NOTE
    if move_type in ("out_invoice", "out_receipt"):
        return FEE if is_fee else INVOICE
    return OTHER


def _round(value: float, places: int) -> float:
    # + 0.0: never print "-0.00"
    return round(value, places) + 0.0


def outstanding(
    entries: list[Entry], on: Date, places: dict[int, int] | None = None
) -> list[dict]:
    """Per currency (sorted by id), what is open on `on`: {"currency_id",
    "items" (oldest first, each an entry's fields with "days_late", None for
    a credit, and "bucket"), "buckets" ({bucket: open amount}, summing to
    the total), "overdue" (open amount past its due date, credits
    deducted), "total"}. Credits are aged by their date like the aging
    report does, so the buckets add up to the total. `places`: decimal
    places per currency (default 2)."""
    places = places or {}
    blocks = {}
    for entry in sorted(entries, key=lambda e: (e.due, e.date, e.number, e.move_id)):
        if not entry.open:
            continue
        block = blocks.setdefault(
            entry.currency_id, {"currency_id": entry.currency_id, "items": []}
        )
        late = (on - entry.due).days
        credit = entry.kind in CREDIT_KINDS or entry.open < 0
        block["items"].append(
            {
                **asdict(entry),
                "credit": credit,
                "days_late": None if credit else max(late, 0),
                "bucket": aging.bucket(late),
            }
        )
    for currency_id, block in blocks.items():
        digits = places.get(currency_id, 2)
        totals = aging.aging([(i["due"], i["open"]) for i in block["items"]], on)
        block["buckets"] = {name: _round(v, digits) for name, v in totals.items()}
        late = sum(i["open"] for i in block["items"] if i["credit"] or i["days_late"])
        block["overdue"] = _round(max(late, 0.0), digits)
        block["total"] = _round(sum(i["open"] for i in block["items"]), digits)
    return [blocks[currency_id] for currency_id in sorted(blocks)]


def activity(
    opening: dict[int, float],
    entries: list[Entry],
    places: dict[int, int] | None = None,
) -> list[dict]:
    """Per currency (sorted by id), what happened over a period: {"currency_id",
    "opening" (the balance before the period), "lines" (in date order, each
    an entry's fields with the running "balance"), "invoiced" (invoices and
    fees), "credited" (credit notes, payments and other credits),
    "closing"}. A currency with no opening balance and no entry is left
    out."""
    places = places or {}
    blocks = {}
    for currency_id, amount in opening.items():
        if amount:
            blocks[currency_id] = {"currency_id": currency_id, "opening": amount}
    for entry in entries:
        if entry.amount:
            blocks.setdefault(
                entry.currency_id, {"currency_id": entry.currency_id, "opening": 0.0}
            )
    for currency_id, block in blocks.items():
        digits = places.get(currency_id, 2)
        balance, lines = block["opening"], []
        invoiced = credited = 0.0
        mine = [e for e in entries if e.currency_id == currency_id and e.amount]
        for entry in sorted(mine, key=lambda e: (e.date, e.move_id)):
            balance += entry.amount
            if entry.amount > 0:
                invoiced += entry.amount
            else:
                credited -= entry.amount
            lines.append({**asdict(entry), "balance": _round(balance, digits)})
        block.update(
            opening=_round(block["opening"], digits),
            lines=lines,
            invoiced=_round(invoiced, digits),
            credited=_round(credited, digits),
            closing=_round(balance, digits),
        )
    return [blocks[currency_id] for currency_id in sorted(blocks)]


def statement_due(day: int, opted_out: bool, on: Date) -> bool:
    """A monthly statement on `day` (1-28, 0: none) is due on `on`: from
    that day of the month on (a run missed on the day catches up within the
    month; the month's key keeps it to one)."""
    return bool(day) and not opted_out and on.day >= day
