"""What a customer owes on a date: plain Python, no ORM.

Items in flight, disputed, planned or held (paused, promised) are not
chased; in each currency credits pay the oldest debts first, counted in
whole units of the currency's rounding; a currency's total below its
minimum is not followed up.
"""

from datetime import timedelta

from .followup_records import SKIP_BELOW_MINIMUM, SKIP_NOTHING_DUE


def reply_waits_until(history, settings):
    """The last day the automated reminders wait for someone to answer the
    client's reply (None: no reply waiting)."""
    if not (history.replied_on and settings.reply_pause):
        return None
    return history.replied_on + timedelta(days=settings.reply_pause)


def held(item, settings, on):
    """The item is paused, or promised and its promise not yet due plus
    grace, on `on`."""
    if item.paused_until and on <= item.paused_until:
        return True
    grace = timedelta(days=settings.promise_grace)
    return bool(item.promised_on and on <= item.promised_on + grace)


def followable(items, settings, on):
    """Items the follow-up may talk about on `on` (not in flight, not
    disputed, not in a running payment plan, not held)."""
    return tuple(
        item
        for item in items
        if not item.in_flight
        and not item.disputed
        and not item.planned
        and not held(item, settings, on)
    )


def owed(items):
    """{item: units still owed} once each currency's credits paid its oldest
    debts first; items fully covered are left out."""
    left = {}
    for currency in {item.currency for item in items}:
        same = [item for item in items if item.currency == currency]
        credit = -sum(item.units for item in same if item.units < 0)
        for item in sorted(same, key=lambda i: (i.due, i.line_id)):
            if item.units <= 0:
                continue
            used = min(credit, item.units)
            credit -= used
            if item.units > used:
                left[item] = item.units - used
    return left


def above_minimum(left, settings):
    """The items of `left` whose currency's total reaches its minimum."""
    totals = {}
    for item, units in left.items():
        totals[item.currency] = totals.get(item.currency, 0) + units * item.rounding
    return [
        item
        for item in left
        if totals[item.currency] >= settings.min_amounts.get(item.currency, 0.0)
    ]


def split_owed(items, settings, on):
    """(overdue, pending) items owed above the minimum, or a skip reason."""
    left = owed(items)
    if not left:
        return None, SKIP_NOTHING_DUE
    overdue = {i: u for i, u in left.items() if (on - i.due).days > 0}
    pending = {i: u for i, u in left.items() if i not in overdue}
    kept = above_minimum(overdue, settings), above_minimum(pending, settings)
    if not any(kept):
        return None, SKIP_BELOW_MINIMUM
    return kept, None


def nothing_overdue(items, settings, on):
    """No item owed above the minimum is overdue on `on`, counting disputed
    items and payments in flight: those are not chased, but still owed."""
    kept, _reason = split_owed(items, settings, on)
    return kept is None or not kept[0]
