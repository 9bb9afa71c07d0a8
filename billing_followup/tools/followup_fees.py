"""Which late fees are due for a customer on a date: plain Python, no ORM.

The amount of each charge is `late_fee.compute`; this module says which
overdue items a fee step charges, in which period and currency, following
the same ladder and history as the reminders.
"""

from dataclasses import dataclass, replace
from datetime import date as Date
from typing import Any

from . import followup_kinds as kinds
from . import late_fee
from .followup_owed import followable, owed, reply_waits_until


@dataclass(frozen=True)
class FeeDue:
    """A fee to charge: one per customer, fee step, cycle, period (month
    of a monthly policy) and currency; `charges`: (line id, policy id,
    late_fee.Fee) per invoice charged."""

    step_id: int
    cycle: Date
    period: int
    currency: int
    charges: tuple[tuple[int, int, Any], ...]

    @property
    def key(self):
        return kinds.fee_key(self.step_id, self.cycle, self.period, self.currency)

    @property
    def amount(self):
        return sum(fee.amount for _line, _policy, fee in self.charges)


def months_between(start, end):
    """Whole calendar months from `start` to `end`."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (end.day < start.day)


def fee_step(steps, days):
    """(fee step, the step before it) reached after `days` days late."""
    ordered = sorted(steps, key=lambda s: s.offset)
    found = None
    for index, step in enumerate(ordered):
        if step.fee and 0 < step.offset <= days:
            found = step, ordered[index - 1] if index else None
    return found


def _noticed(terms, history, before, cycle, on):
    """The notice rule: the message of the step before the fee step went
    out at least `notice_days` days ago (without notice days, no rule)."""
    if not terms.notice_days:
        return True
    announced = before and history.dates.get((before.step_id, cycle))
    return bool(announced) and (on - announced).days >= terms.notice_days


def _charge(item, units, terms, history, start, period, on):
    """The fee of one overdue item in `period`, or None."""
    last = history.charged.get(item.line_id)
    if last and (
        terms.recurrence == late_fee.ONCE or months_between(start, last) >= period
    ):
        return None
    return charge_from(item, units * item.rounding, terms, history, last, on)


def charge_from(item, base, terms, history, last, on):
    """What `terms` charge on `base` owed by `item` up to `on` since its
    `last` charge (None: never charged), or None. The rules the fee run and
    the demand letter share: the caps bound the total already charged, and
    after a payment plan over it broke, interest runs from the break only
    (nothing at all when the policy charges nothing after a broken plan)."""
    since = last or item.due
    if item.plan_broken_on:
        if not terms.after_broken_plan:
            return None
        since = max(since, item.plan_broken_on)
    charge = late_fee.Charge(
        base=base,
        total=item.total or base,
        due=item.due,
        since=since,
        on=on,
        first=last is None,
        rounding=item.rounding,
        charged=history.fee_totals.get(item.line_id, 0.0),
    )
    return late_fee.compute(terms, charge)


def fee_due(items, history, settings, on):
    """[FeeDue] to charge on `on`: the ladder's oldest overdue item reached a
    step with a fee and that step's message went out in this cycle; each
    overdue item (not disputed, in flight or itself a fee) is charged by
    its contract's policy, else the customer's; a monthly policy charges
    again each month from the fee step on, a `once` policy never again.
    Held items (paused, promised) are not charged, nor a paused customer, one
    whose reply waits for an answer or one in manual mode (its steps wait
    for a review)."""
    if settings.excluded or settings.other_module or settings.manual:
        return []
    if settings.paused_until and on <= settings.paused_until:
        return []
    replied_until = reply_waits_until(history, settings)
    if replied_until and on <= replied_until:
        return []
    items = [i for i in followable(items, settings, on) if not i.is_fee]
    overdue = {i: u for i, u in owed(items).items() if (on - i.due).days > 0}
    if not overdue:
        return []
    anchor = min(overdue, key=lambda i: (i.due, i.line_id))
    found = fee_step(settings.steps, (on - anchor.due).days)
    start = found and history.dates.get((found[0].step_id, anchor.due))
    if not start:
        return []
    step, before = found
    period = months_between(start, on)
    by_currency = {}
    for item, units in sorted(overdue.items(), key=lambda p: p[0].line_id):
        policy = item.fee_policy or settings.fee_policy
        terms = settings.fee_terms.get((policy, item.currency))
        if not terms or not _noticed(terms, history, before, anchor.due, on):
            continue
        fee = _charge(item, units, terms, history, start, period, on)
        if fee:
            by_currency.setdefault(item.currency, []).append(
                (item.line_id, policy, fee)
            )
    dues = [
        FeeDue(step.step_id, anchor.due, period, currency, tuple(charges))
        for currency, charges in sorted(by_currency.items())
    ]
    return [due for due in dues if due.key not in history.fee_keys]


def record_fee(history, due, on):
    """The history after `due` was charged on `on` (for look-ahead)."""
    charged, totals = dict(history.charged), dict(history.fee_totals)
    for line_id, _policy, fee in due.charges:
        charged[line_id] = on
        totals[line_id] = totals.get(line_id, 0.0) + fee.amount
    return replace(
        history,
        fee_keys=history.fee_keys | {due.key},
        charged=charged,
        fee_totals=totals,
    )
