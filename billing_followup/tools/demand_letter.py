"""What a formal demand letter may claim besides what is owed: plain Python,
no ORM. Only the fees the customer's late fee policy allows (its invoice's
contract's, else the customer's, else its sequence's), and nothing at all
without a policy: the letter never claims a fee nobody announced.

- late fees: per overdue invoice, what its policy computes up to the
  letter's date and no fee invoice charged yet (a fee invoice already
  charged is itself listed among the amounts owed): nothing more after a
  charge, except the interest of an `interest` policy since that charge;
- the agency's collection fee, a percentage of what is owed.
"""

from . import late_fee
from .followup_fees import charge_from


def accrued_fee(item, terms, history, on):
    """The `late_fee.Fee` that overdue `item` (a `followup_decision.Item`)
    owes on `on` under `terms` beyond what `history` (a
    `followup_decision.History`) says was charged, or None; the rules of
    the fee run: the caps bound the total charged, and after a broken
    payment plan interest runs from the break only."""
    if item.is_fee or item.disputed or item.residual <= 0 or item.due >= on:
        return None
    last = history.charged.get(item.line_id)
    if last and terms.kind != late_fee.INTEREST:
        return None
    return charge_from(item, item.residual, terms, history, last, on)


def late_fees(items, history, fallback_policy, terms, on):
    """{currency id: late fees} the letter may claim for `items`; `terms`:
    (policy id, currency id) -> `late_fee.Terms`; an item's own policy
    comes before `fallback_policy`."""
    fees = {}
    for item in items:
        found = terms.get((item.fee_policy or fallback_policy, item.currency))
        fee = found and accrued_fee(item, found, history, on)
        if fee:
            fees[item.currency] = fees.get(item.currency, 0.0) + fee.amount
    return fees


def allows_fees(items, fallback_policy):
    """Whether a late fee policy applies to any of `items`."""
    return bool(fallback_policy or any(item.fee_policy for item in items))


def agency_fee(owed, percent, rounding):
    """The agency's fee on `owed` (nothing on a credit), half-up rounded."""
    return late_fee.round_to(max(owed, 0.0) * percent / 100, rounding)
