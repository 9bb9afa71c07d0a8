"""What is due for one customer on one date: plain Python, no ORM.

The engine gathers a customer's open items, its history of follow-up events
and its settings, and asks `decide` what to do on a date. The same function
drives the preview, the 30-day look-ahead (`look_ahead`) and the real run, so
what the preview shows is what the run does. Later inputs (pauses, promises,
disputes, payment-plan instalments, fee steps) arrive as fields of these
records, not as new code paths. The records live in `followup_records`,
what is owed in `followup_owed`, the ladder's steps in `followup_ladder`
and the fees due in `followup_fees`; this module combines them and is the
one the engine and the tests import.

Rules, in order:
- an excluded customer gets nothing, nor one another follow-up module
  reminds (Odoo Enterprise's, OCA's credit control) unless the company chose
  this addon, nor a paused customer until its pause ends (then only the
  current step goes out, as after any gap), nor a customer whose reply to
  a follow-up email no one acted on yet, for the sequence's reply pause;
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

from dataclasses import replace
from datetime import timedelta

from .followup_fees import FeeDue, fee_due, record_fee
from .followup_ladder import heads_up_action, overdue_action, payday_before
from .followup_owed import (
    followable,
    nothing_overdue,
    owed,
    reply_waits_until,
    split_owed,
)
from .followup_records import (
    SKIP_BELOW_MINIMUM,
    SKIP_CONFLICT,
    SKIP_DONE,
    SKIP_EXCLUDED,
    SKIP_HANDED_OVER,
    SKIP_INTERVAL,
    SKIP_LOCKED,
    SKIP_NO_STEPS,
    SKIP_NOTHING_DUE,
    SKIP_OTHER_MODULE,
    SKIP_PAUSED,
    SKIP_REPLIED,
    SKIP_WEEKDAY,
    SKIP_WINDOW,
    Action,
    History,
    Item,
    Policy,
    Settings,
    Skip,
    Step,
)

# The engine, the preview and the tests import the decision's records and
# helpers from here; they live in modules by concern.
__all__ = [
    "SKIP_BELOW_MINIMUM",
    "SKIP_CONFLICT",
    "SKIP_DONE",
    "SKIP_EXCLUDED",
    "SKIP_HANDED_OVER",
    "SKIP_INTERVAL",
    "SKIP_LOCKED",
    "SKIP_NOTHING_DUE",
    "SKIP_NO_STEPS",
    "SKIP_OTHER_MODULE",
    "SKIP_PAUSED",
    "SKIP_REPLIED",
    "SKIP_WEEKDAY",
    "SKIP_WINDOW",
    "Action",
    "FeeDue",
    "History",
    "Item",
    "Policy",
    "Settings",
    "Skip",
    "Step",
    "decide",
    "fee_due",
    "forecast",
    "look_ahead",
    "may_thank",
    "owed",
    "payday_before",
    "record",
    "unchanged_until",
]


def _step_decision(items, history, settings, on):
    """The step due on `on` (an Action) or a Skip."""
    if settings.excluded:
        return Skip(SKIP_EXCLUDED)
    if settings.other_module:
        return Skip(SKIP_OTHER_MODULE)
    if settings.paused_until and on <= settings.paused_until:
        return Skip(SKIP_PAUSED, settings.paused_until + timedelta(days=1))
    replied_until = reply_waits_until(history, settings)
    if replied_until and on <= replied_until:
        return Skip(SKIP_REPLIED, replied_until + timedelta(days=1))
    if settings.handed_over:
        return Skip(SKIP_HANDED_OVER)
    if not settings.steps:
        return Skip(SKIP_NO_STEPS)
    items = followable(items, settings, on)
    kept, reason = split_owed(items, settings, on)
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
    key = (action.step_id, action.cycle)
    return replace(
        history,
        had=had,
        keys=history.keys | {key},
        last_contact=on,
        messages=messages,
        dates={key: on, **history.dates},
    )


def look_ahead(items, history, settings, start, days=30, limit=None):
    """[(date, action)] the run would take each day from `start` on (the
    first `limit` ones).

    Only the days the decision may change on are decided (`changes`): the
    day after an action or a weekday skip, and the dates where one of the
    rules' comparisons with the date turns; any other day decides as the
    day before, which took no action."""
    actions = []
    end = start + timedelta(days=days)
    on = start
    ahead = None  # the change days, until an action changes the history
    while on < end and len(actions) != limit:
        decision = decide(items, history, settings, on)
        if isinstance(decision, Action):
            if decision.clear_stage:
                settings = replace(settings, staged=False)
            if decision.step_id is not None:
                actions.append((on, decision))
                sends = {s.step_id: s.sends for s in settings.steps}
                history = record(history, decision, on, sends[decision.step_id])
            ahead = None
            on += timedelta(days=1)
        elif decision.reason == SKIP_WEEKDAY:
            on += timedelta(days=1)
        else:
            if ahead is None:
                ahead = sorted(changes(items, history, settings))
            on = next((d for d in ahead if d > on), end)
    return actions


def changes(items, history, settings):
    """The dates on which `decide` may decide otherwise than the day before
    (but for the weekday rules): where an item falls due or reaches a step,
    a pause, hold or the minimum interval ends, a heads-up moves to the
    payment day, a reply's wait or a notice's deadline passes."""
    dates = set()
    grace = timedelta(days=settings.promise_grace)
    for item in items:
        dates.add(item.due + timedelta(days=1))
        dates.update(item.due + timedelta(days=step.offset) for step in settings.steps)
        if settings.payday and settings.payday_lead:
            moved = payday_before(item.due, settings.payday)
            dates.add(moved - timedelta(days=settings.payday_lead))
        if item.paused_until:
            dates.add(item.paused_until + timedelta(days=1))
        if item.promised_on:
            dates.add(item.promised_on + grace + timedelta(days=1))
    if settings.paused_until:
        dates.add(settings.paused_until + timedelta(days=1))
    replied_until = reply_waits_until(history, settings)
    if replied_until:
        dates.add(replied_until + timedelta(days=1))
    if history.last_contact:
        dates.add(history.last_contact + timedelta(days=settings.min_interval))
    notice = timedelta(days=settings.notice_days)
    dates.update(sent_on + notice for _cycle, _offset, sent_on in history.messages)
    return dates


def unchanged_until(items, history, settings, on, days, next_on=None, extra=()):
    """The first day after `on` on which the `days`-day look-ahead from
    that day, or what is overdue, may read otherwise than it does on `on`
    (None: no date changes it): a day the decision may change on
    (`changes`, and the `extra` days the settings change on), the day after
    the next action `next_on`, or, without one, the first day whose
    look-ahead reaches a change beyond the horizon. Until then a stored
    summary of the look-ahead stays exact."""
    ahead = [day for day in (*changes(items, history, settings), *extra) if day > on]
    dates = list(ahead)
    if next_on:
        dates.append(next_on + timedelta(days=1))
    else:
        horizon = on + timedelta(days=days)
        dates += [day - timedelta(days=days - 1) for day in ahead if day >= horizon]
    if not dates:
        return None
    return max(min(dates), on + timedelta(days=1))


def forecast(items, history, settings, start, days=30):
    """[(date, action or None, [FeeDue])] the runs would take each day from
    `start` on if nothing is paid meanwhile: the step, then the fees it
    lets charge (as the run's fee pass follows its reminders). Without a
    fee step and its terms, the steps of `look_ahead`; with them, every day
    is decided (a monthly charge falls on no step's day)."""
    if not (settings.fee_terms and any(step.fee for step in settings.steps)):
        return [
            (on, action, [])
            for on, action in look_ahead(items, history, settings, start, days)
        ]
    days_out = []
    for offset in range(days):
        on = start + timedelta(days=offset)
        decision = decide(items, history, settings, on)
        action = None
        if isinstance(decision, Action):
            if decision.clear_stage:
                settings = replace(settings, staged=False)
            if decision.step_id is not None:
                action = decision
                sends = {s.step_id: s.sends for s in settings.steps}
                history = record(history, decision, on, sends[decision.step_id])
        fees = fee_due(items, history, settings, on)
        for due in fees:
            history = record_fee(history, due, on)
        if action or fees:
            days_out.append((on, action, fees))
    return days_out
