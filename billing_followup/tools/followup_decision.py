"""What is due for one customer on one date: plain Python, no ORM.

The engine gathers a customer's open items, its history of follow-up events
and its settings, and asks `decide` what to do on a date. The same function
drives the preview, the 30-day look-ahead (`look_ahead`) and the real run, so
what the preview shows is what the run does. Later inputs (pauses, promises,
disputes, payment-plan instalments, fee steps) arrive as fields of these
records, not as new code paths.

Rules, in order:
- an excluded customer gets nothing, nor one another follow-up module
  reminds (Odoo Enterprise's, OCA's credit control) unless the company chose
  this addon, nor a paused customer until its pause ends (then only the
  current step goes out, as after any gap);
- items in flight (payment registered or online payment pending), disputed
  items, items of a running payment plan and items held (the invoice is
  paused, or an open promise to pay covers it, until its date plus grace)
  are left out; in each currency, credits (credit notes, unapplied
  payments) pay the oldest debts first, counted in whole units of the
  currency's rounding (never raw floats): only what they leave unpaid is
  owed;
- what is owed in a currency below the minimum amount (per currency) is not
  followed up: neither as overdue nor in a heads-up;
- a customer's ladder follows its oldest overdue item (the anchor of the
  dunning cycle): it reaches the last step whose offset is <= its days late;
  the step goes out unless the anchor already had it or a later one, so after
  a gap only the current step goes out (catch-up); it is about every overdue
  item and lists every open item, so newer items ride along the same ladder;
- a severe step (credit hold, hand-over) is never a surprise: a catch-up
  takes the first severe step the customer did not have yet (the hold the
  final notice announced, not the hand-over), and only once the customer
  really received a message of this cycle from the step before the severe
  ones (the final notice) or later, `notice_days` before (the deadline that
  notice states); until then the ladder stops at that notice step, which a
  catch-up sends instead;
- with nothing overdue to act on, a pre-due step (offset <= 0) warns about
  the items not due yet that reached it, and lists only those (each item
  once, so a second item due the same day still gets its own); for a
  customer with a usual payment day, when the sequence says so, it goes out
  a few days before the payment day preceding the due date instead;
- the minimum interval since the last contact of any kind, then the weekday
  rules, may postpone it;
- a customer at a follow-up stage with nothing overdue any more (disputed
  items and payments in flight still count) has its stage cleared, whatever
  the interval and weekday: it is not a message;
- a customer handed over to the last resort gets no automatic step; a
  manager's manual stage is neither raised nor lowered by a step; a step
  whose stage needs a manager's approval waits for it (`Action.approval`).
"""

from dataclasses import dataclass, field, replace
from datetime import date as Date
from datetime import timedelta
from typing import Any

from . import followup_kinds as kinds
from . import late_fee

NEVER = -(10**6)

# Why a customer gets nothing on a date (the engine counts "skipped_<reason>").
SKIP_EXCLUDED = "excluded"
SKIP_OTHER_MODULE = "other_module"
SKIP_NOTHING_DUE = "nothing_due"
SKIP_BELOW_MINIMUM = "below_minimum"
SKIP_NO_STEPS = "no_steps"
SKIP_PAUSED = "paused"
SKIP_HANDED_OVER = "handed_over"
SKIP_DONE = "done"
SKIP_INTERVAL = "interval"
SKIP_WEEKDAY = "weekday"
SKIP_WINDOW = "window"
# Set by the engine when acting: another worker holds the customer, or
# recorded the same event first.
SKIP_LOCKED = "locked"
SKIP_CONFLICT = "conflict"


@dataclass(frozen=True)
class Item:
    """An open receivable line; `residual` in the document currency (< 0 =
    credit), exact to `rounding`, the currency's smallest unit; `paused_until`:
    its invoice is paused until that day included; `promised_on`: the date of
    the open promise to pay that covers it (held until that date plus the
    settings' grace)."""

    line_id: int
    due: Date
    residual: float
    in_flight: bool = False
    disputed: bool = False
    paused_until: Date | None = None
    promised_on: Date | None = None
    # its invoice is in a running payment plan: the plan's own messages
    # speak about it, never the ladder
    planned: bool = False
    currency: int = 0
    rounding: float = 0.01
    # fees: the late fee policy of the invoice's contract (0: none), the
    # invoice's total, and whether the invoice is itself a fee (never charged)
    fee_policy: int = 0
    total: float = 0.0
    is_fee: bool = False

    @property
    def units(self) -> int:
        """The residual in whole units of the currency's rounding."""
        return round(self.residual / self.rounding)


@dataclass(frozen=True)
class Step:
    """`approval`: the step moves the customer to a stage that needs a
    manager's approval and the customer is not in it yet; `severe`: its
    stage puts the customer on credit hold or hands it over; `sends`: it
    sends an email or a letter."""

    step_id: int
    offset: int
    approval: bool = False
    fee: bool = False
    severe: bool = False
    sends: bool = True


@dataclass(frozen=True)
class Settings:
    steps: tuple[Step, ...] = ()
    min_interval: int = 0
    excluded: bool = False
    other_module: bool = False
    blocked_weekdays: frozenset[int] = frozenset()
    # currency id -> smallest amount followed up, in that currency
    min_amounts: dict[int, float] = field(default_factory=dict)
    # the customer is at a follow-up stage (cleared when nothing is overdue)
    staged: bool = False
    # the customer is paused until that day included
    paused_until: Date | None = None
    # days after a promise's date before its invoices are reminded again
    promise_grace: int = 0
    # manual mode: every step waits for a user's review, none is sent alone
    manual: bool = False
    # a manager fixed the stage: steps neither raise nor lower it
    manual_stage: bool = False
    # handed over to the last resort: no automatic step any more
    handed_over: bool = False
    # the customer's usual payment day (1-31, 0: none) and how many days
    # before it the heads-up goes out instead of at the steps' offsets
    payday: int = 0
    payday_lead: int = 0
    # late fees: the policy of the customer (else of its sequence), 0 none;
    # (policy id, currency id) -> late_fee.Terms in that currency
    fee_policy: int = 0
    fee_terms: dict[tuple[int, int], Any] = field(default_factory=dict)
    # days a severe step waits after the notice announcing it (the deadline
    # the final notice states)
    notice_days: int = 1


@dataclass(frozen=True)
class Policy:
    """The follow-up rules in force for a customer on a date: the sequence
    (a record of the caller's, opaque here), where it comes from
    ("contract", "customer", "rule", "company" or "none") and the decision settings.
    Fee and incentive policies join it as fields."""

    sequence: Any
    source: str
    settings: Settings


@dataclass(frozen=True)
class History:
    """`had`: line id -> furthest offset it was reminded at; `keys`: the
    (step id, cycle date) already acted on; `last_contact`: last date the
    customer was contacted in any way (automatic or by hand); `dates`:
    (step id, cycle date) -> first day it was acted on; `fee_keys`: keys of
    the fees charged; `charged`: line id -> last day a fee was charged;
    `messages`: (cycle date, step offset, date) of each step's email or
    letter the customer really received."""

    had: dict[int, int] = field(default_factory=dict)
    keys: frozenset[tuple[int, Date]] = frozenset()
    last_contact: Date | None = None
    dates: dict[tuple[int, Date], Date] = field(default_factory=dict)
    fee_keys: frozenset[str] = frozenset()
    charged: dict[int, Date] = field(default_factory=dict)
    messages: frozenset[tuple[Date, int, Date]] = frozenset()


@dataclass(frozen=True)
class Action:
    """A step to take (`step_id` None: none), whether the customer's
    stage is cleared (nothing overdue any more), whether the step waits
    for a user's review (the customer's manual mode), whether it may set its
    stage (not on a manual stage) and whether it waits for approval."""

    step_id: int | None
    offset: int
    cycle: Date | None
    about: tuple[int, ...]
    listed: tuple[int, ...]
    clear_stage: bool = False
    review: bool = False
    set_stage: bool = True
    approval: bool = False

    @property
    def heads_up(self) -> bool:
        return self.step_id is not None and self.offset <= 0


@dataclass(frozen=True)
class Skip:
    reason: str
    next_date: Date | None = None


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


def reached_step(steps, days):
    """The last step whose offset is <= `days`, pre-due steps only until due."""
    reached = None
    for step in sorted(steps, key=lambda s: s.offset):
        if step.offset <= days:
            reached = step
    if reached and reached.offset <= 0 < days:
        return None
    return reached


def _had(history, item):
    return history.had.get(item.line_id, NEVER)


def noticed_step(step, history, settings, cycle, on, had):
    """`step`, or when it is severe the first severe step the anchor (at
    `had`) did not have yet (the hold the final notice announced, not the
    hand-over), or when the customer did not receive the notice announcing
    it `notice_days` ago in this cycle, that notice step: the last
    non-severe overdue step before it (none: nothing to wait for)."""
    if step is None or not step.severe:
        return step
    step = min(
        (s for s in settings.steps if s.severe and had < s.offset <= step.offset),
        key=lambda s: s.offset,
        default=step,
    )
    notices = [s for s in settings.steps if not s.severe and 0 < s.offset < step.offset]
    if not notices:
        return step
    notice = max(notices, key=lambda s: s.offset)
    sent = [
        sent_on
        for message_cycle, offset, sent_on in history.messages
        if message_cycle == cycle and offset >= notice.offset
    ]
    if sent and on >= max(sent) + timedelta(days=settings.notice_days):
        return step
    return notice


def overdue_action(items, history, settings, on):
    """(step, cycle, about) of the customer's ladder: the step reached by its
    oldest overdue item (the cycle's anchor), about every overdue item."""
    overdue = [i for i in items if (on - i.due).days > 0]
    if not overdue:
        return None
    anchor = min(overdue, key=lambda i: (i.due, i.line_id))
    step = reached_step(settings.steps, (on - anchor.due).days)
    step = noticed_step(step, history, settings, anchor.due, on, _had(history, anchor))
    if step is None or _had(history, anchor) >= step.offset:
        return None
    return step, anchor.due, overdue


def payday_before(due, payday):
    """The last date on or before `due` falling on day `payday` of its month
    (the month's last day in shorter months)."""
    month_end = (due.replace(day=28) + timedelta(days=4)).replace(day=1)
    month_end -= timedelta(days=1)
    found = due.replace(day=min(payday, month_end.day))
    if found <= due:
        return found
    previous_end = due.replace(day=1) - timedelta(days=1)
    return previous_end.replace(day=min(payday, previous_end.day))


def heads_up_step(steps, item, settings, on):
    """The pre-due step `item` reached on `on`: with a known payment day,
    the last pre-due step, from `payday_lead` days before the payment day
    that precedes the due date, instead of at the steps' offsets."""
    days = (on - item.due).days
    if not (settings.payday and settings.payday_lead) or days > 0:
        return reached_step(steps, days)
    pre_due = [step for step in steps if step.offset <= 0]
    moved = payday_before(item.due, settings.payday)
    if not pre_due or on < moved - timedelta(days=settings.payday_lead):
        return None
    return max(pre_due, key=lambda s: s.offset)


def heads_up_action(items, history, settings, on):
    """(step, cycle, about) for items not due yet that reached a pre-due step."""
    pending = {}
    for item in items:
        days = (on - item.due).days
        step = heads_up_step(settings.steps, item, settings, on)
        if days <= 0 and step and _had(history, item) < step.offset:
            pending[item] = step
    if not pending:
        return None
    about = list(pending)
    return (
        max(pending.values(), key=lambda s: s.offset),
        min(i.due for i in about),
        about,
    )


def _split_owed(items, settings, on):
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


def _step_decision(items, history, settings, on):
    """The step due on `on` (an Action) or a Skip."""
    if settings.excluded:
        return Skip(SKIP_EXCLUDED)
    if settings.other_module:
        return Skip(SKIP_OTHER_MODULE)
    if settings.paused_until and on <= settings.paused_until:
        return Skip(SKIP_PAUSED, settings.paused_until + timedelta(days=1))
    if settings.handed_over:
        return Skip(SKIP_HANDED_OVER)
    if not settings.steps:
        return Skip(SKIP_NO_STEPS)
    items = followable(items, settings, on)
    kept, reason = _split_owed(items, settings, on)
    if kept is None:
        return Skip(reason)
    overdue, pending = kept
    found = overdue_action(overdue, history, settings, on)
    listed = items
    if found is None:
        found = heads_up_action(pending, history, settings, on)
        listed = found and found[2]
    if found is None:
        return Skip(SKIP_NOTHING_DUE)
    step, cycle, about = found
    # a heads-up is once per item (`had`): a later item due the same day
    # still gets its own, whereas an overdue step is once per cycle
    if step.offset > 0 and (step.step_id, cycle) in history.keys:
        return Skip(SKIP_DONE)
    if history.last_contact and settings.min_interval:
        next_date = history.last_contact + timedelta(days=settings.min_interval)
        if on < next_date:
            return Skip(SKIP_INTERVAL, next_date)
    if on.weekday() in settings.blocked_weekdays:
        return Skip(SKIP_WEEKDAY)
    return Action(
        step.step_id,
        step.offset,
        cycle,
        tuple(sorted(i.line_id for i in about)),
        tuple(sorted(i.line_id for i in listed)),
        review=settings.manual,
        set_stage=not settings.manual_stage,
        approval=step.approval and not settings.manual_stage,
    )


def nothing_overdue(items, settings, on):
    """No item owed above the minimum is overdue on `on`, counting disputed
    items and payments in flight: those are not chased, but still owed."""
    kept, _reason = _split_owed(items, settings, on)
    return kept is None or not kept[0]


def decide(items, history, settings, on):
    """The action due for a customer on date `on`, or a Skip saying why not."""
    decision = _step_decision(items, history, settings, on)
    if not settings.staged or settings.excluded:
        return decision
    if not nothing_overdue(items, settings, on):
        return decision
    if isinstance(decision, Action):
        return replace(decision, clear_stage=True)
    return Action(None, 0, None, (), (), clear_stage=True)


def may_thank(settings, on):
    """A thank-you note may go out on `on` (exclusion, other follow-up module
    and weekday rules)."""
    return (
        not settings.excluded
        and not settings.other_module
        and on.weekday() not in settings.blocked_weekdays
    )


def record(history, action, on, sends=True):
    """The history after `action` was taken on `on` (for look-ahead);
    `sends`: its step sends an email or a letter."""
    if action.step_id is None:
        return history
    had = dict(history.had)
    for line_id in action.about:
        had[line_id] = max(had.get(line_id, action.offset), action.offset)
    messages = history.messages
    if sends:
        messages = messages | {(action.cycle, action.offset, on)}
    return replace(
        history,
        had=had,
        keys=history.keys | {(action.step_id, action.cycle)},
        last_contact=on,
        messages=messages,
    )


def look_ahead(items, history, settings, start, days=30):
    """[(date, action)] the run would take each day from `start` on."""
    actions = []
    for offset in range(days):
        on = start + timedelta(days=offset)
        decision = decide(items, history, settings, on)
        if isinstance(decision, Action):
            if decision.clear_stage:
                settings = replace(settings, staged=False)
            if decision.step_id is None:
                continue
            actions.append((on, decision))
            sends = {s.step_id: s.sends for s in settings.steps}
            history = record(history, decision, on, sends[decision.step_id])
    return actions


# LATE FEES


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
    charge = late_fee.Charge(
        base=units * item.rounding,
        total=item.total or units * item.rounding,
        due=item.due,
        since=last or item.due,
        on=on,
        first=last is None,
        rounding=item.rounding,
    )
    return late_fee.compute(terms, charge)


def fee_due(items, history, settings, on):
    """[FeeDue] to charge on `on`: the ladder's oldest overdue item reached a
    step with a fee and that step's message went out in this cycle; each
    overdue item (not disputed, in flight or itself a fee) is charged by
    its contract's policy, else the customer's; a monthly policy charges
    again each month from the fee step on, a `once` policy never again.
    Held items (paused, promised) are not charged, nor a paused customer or
    one in manual mode (its steps wait for a review)."""
    if settings.excluded or settings.other_module or settings.manual:
        return []
    if settings.paused_until and on <= settings.paused_until:
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
