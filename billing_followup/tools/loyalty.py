"""Loyalty credit in plain Python: whether a customer's recent invoices earn
it, and how much. Amounts in whole units of the currency's rounding."""

from datetime import date as Date


def paid_on_time(due: Date, paid: Date | None) -> bool:
    """An invoice paid (last payment matched) no later than its due date."""
    return paid is not None and paid <= due


def streak_reached(on_time, streak):
    """`on_time`: the settled invoices since the last credit, newest first;
    the credit is earned when the last `streak` of them were paid on time."""
    return streak > 0 and len(on_time) >= streak and all(on_time[:streak])


def credit_units(base, percent=0.0, fixed=0, cap=0):
    """The credit on an invoice of `base` units: a fixed amount, else a
    percentage of the base; never above `cap` (when set) nor the base."""
    amount = fixed or round(base * percent / 100)
    if cap:
        amount = min(amount, cap)
    return max(0, min(amount, base))
