"""The records the follow-up decision works on: plain Python, no ORM.

A customer's open items, its settings and its history of events go in; an
`Action` or a `Skip` (with its reason) comes out. Later inputs (pauses,
promises, disputes, plan instalments, fee steps) arrive as fields here, not
as new code paths.
"""

from dataclasses import dataclass, field
from datetime import date as Date
from typing import Any

NEVER = -(10**6)

# Why a customer gets nothing on a date (the engine counts "skipped_<reason>").
SKIP_EXCLUDED = "excluded"
SKIP_OTHER_MODULE = "other_module"
SKIP_NOTHING_DUE = "nothing_due"
SKIP_BELOW_MINIMUM = "below_minimum"
SKIP_NO_STEPS = "no_steps"
SKIP_PAUSED = "paused"
SKIP_REPLIED = "replied"
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
    # the day a payment plan over its invoice broke: late fees count from
    # then on only (the policy may also charge nothing after a break)
    plan_broken_on: Date | None = None

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
    # days the automated reminders wait after a client's reply no one acted on
    reply_pause: int = 0


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
    letter the customer really received; `replied_on`: the day of the
    client's latest reply to a follow-up email that no one acted on since;
    `fee_totals`: line id -> fees charged on it so far, in its currency
    (waived ones not counted)."""

    had: dict[int, int] = field(default_factory=dict)
    keys: frozenset[tuple[int, Date]] = frozenset()
    last_contact: Date | None = None
    dates: dict[tuple[int, Date], Date] = field(default_factory=dict)
    fee_keys: frozenset[str] = frozenset()
    charged: dict[int, Date] = field(default_factory=dict)
    messages: frozenset[tuple[Date, int, Date]] = frozenset()
    replied_on: Date | None = None
    fee_totals: dict[int, float] = field(default_factory=dict)


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
