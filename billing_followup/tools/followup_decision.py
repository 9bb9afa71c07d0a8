"""What is due for one customer on one date: plain Python, no ORM.

The engine gathers a customer's open items, its history of follow-up events
and its settings, and asks `decide` what to do on a date. The same function
drives the preview, the 30-day look-ahead (`look_ahead`) and the real run, so
what the preview shows is what the run does. Later inputs (pauses, promises,
disputes, payment-plan instalments, fee steps) arrive as fields of these
records, not as new code paths.

Rules, in order:
- an excluded customer gets nothing;
- items in flight (payment registered or online payment pending) and disputed
  items are left out; credits (credit notes, unapplied payments) net the debt,
  and a customer whose credits cover the debt gets nothing;
- a customer's ladder follows its oldest overdue item (the anchor of the
  dunning cycle): it reaches the last step whose offset is <= its days late;
  the step goes out unless the anchor already had it or a later one, so after
  a gap only the current step goes out (catch-up); it is about every overdue
  item and lists every open item, so newer items ride along the same ladder;
- with nothing overdue to act on, a pre-due step (offset <= 0) warns about
  the items not due yet that reached it, and lists only those;
- the minimum interval since the last contact of any kind, then the weekday
  rules, may postpone it.
"""

from dataclasses import dataclass, field, replace
from datetime import date as Date
from datetime import timedelta
from typing import Any

NEVER = -(10**6)

# Why a customer gets nothing on a date (the engine counts "skipped_<reason>").
SKIP_EXCLUDED = "excluded"
SKIP_NOTHING_DUE = "nothing_due"
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
    """An open receivable line; `residual` in company currency, < 0 = credit."""

    line_id: int
    due: Date
    residual: float
    in_flight: bool = False
    disputed: bool = False


@dataclass(frozen=True)
class Step:
    step_id: int
    offset: int


@dataclass(frozen=True)
class Settings:
    steps: tuple[Step, ...] = ()
    min_interval: int = 0
    excluded: bool = False
    blocked_weekdays: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Policy:
    """The follow-up rules in force for a customer on a date: the sequence
    (a record of the caller's, opaque here), where it comes from
    ("contract", "customer", "company" or "none") and the decision settings.
    Fee and incentive policies join it as fields."""

    sequence: Any
    source: str
    settings: Settings


@dataclass(frozen=True)
class History:
    """`had`: line id -> furthest offset it was reminded at; `keys`: the
    (step id, cycle date) already acted on; `last_contact`: last date the
    customer was contacted in any way (automatic or by hand)."""

    had: dict[int, int] = field(default_factory=dict)
    keys: frozenset[tuple[int, Date]] = frozenset()
    last_contact: Date | None = None


@dataclass(frozen=True)
class Action:
    step_id: int
    offset: int
    cycle: Date
    about: tuple[int, ...]
    listed: tuple[int, ...]


@dataclass(frozen=True)
class Skip:
    reason: str
    next_date: Date | None = None


def followable(items):
    """Items the follow-up may talk about, or () when credits cover the debt."""
    items = [item for item in items if not item.in_flight and not item.disputed]
    if sum(item.residual for item in items) <= 0:
        return ()
    return tuple(items)


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


def overdue_action(items, history, settings, on):
    """(step, cycle, about) of the customer's ladder: the step reached by its
    oldest overdue item (the cycle's anchor), about every overdue item."""
    overdue = [i for i in items if i.residual > 0 and (on - i.due).days > 0]
    if not overdue:
        return None
    anchor = min(overdue, key=lambda i: (i.due, i.line_id))
    step = reached_step(settings.steps, (on - anchor.due).days)
    if step is None or _had(history, anchor) >= step.offset:
        return None
    return step, anchor.due, overdue


def heads_up_action(items, history, settings, on):
    """(step, cycle, about) for items not due yet that reached a pre-due step."""
    pending = {}
    for item in items:
        days = (on - item.due).days
        step = reached_step(settings.steps, days)
        if (
            item.residual > 0
            and days <= 0
            and step
            and _had(history, item) < step.offset
        ):
            pending[item] = step
    if not pending:
        return None
    about = list(pending)
    return (
        max(pending.values(), key=lambda s: s.offset),
        min(i.due for i in about),
        about,
    )


def decide(items, history, settings, on):
    """The action due for a customer on date `on`, or a Skip saying why not."""
    if settings.excluded:
        return Skip(SKIP_EXCLUDED)
    items = followable(items)
    if not items:
        return Skip(SKIP_NOTHING_DUE)
    found = overdue_action(items, history, settings, on)
    listed = items
    if found is None:
        found = heads_up_action(items, history, settings, on)
        listed = found and found[2]
    if found is None:
        return Skip(SKIP_NOTHING_DUE)
    step, cycle, about = found
    if (step.step_id, cycle) in history.keys:
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
    )


def record(history, action, on):
    """The history after `action` was taken on `on` (for look-ahead)."""
    had = dict(history.had)
    for line_id in action.about:
        had[line_id] = max(had.get(line_id, action.offset), action.offset)
    return replace(
        history,
        had=had,
        keys=history.keys | {(action.step_id, action.cycle)},
        last_contact=on,
    )


def look_ahead(items, history, settings, start, days=30):
    """[(date, action)] the run would take each day from `start` on."""
    actions = []
    for offset in range(days):
        on = start + timedelta(days=offset)
        decision = decide(items, history, settings, on)
        if isinstance(decision, Action):
            actions.append((on, decision))
            history = record(history, decision, on)
    return actions
