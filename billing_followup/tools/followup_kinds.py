"""Names of follow-up events: kinds, states, count keys and natural keys.

One place for the literals the engine, its SQL and its counts share, so a
new kind (fee, loyalty...) is added here and nowhere else is spelled out.
Plain Python, no ORM.
"""

from datetime import date as Date

# billing.followup.event.kind
EMAIL = "email"
ACTIVITY = "activity"
LETTER = "letter"
STAGE = "stage"
FEE = "fee"
THANKS = "thanks"
MANUAL = "manual"
CALL = "call"
PROMISE = "promise"
DISPUTE = "dispute"
PAUSE = "pause"
HANDOVER = "handover"
PLAN = "plan"
LOYALTY = "loyalty"
# A request the client sent from its page (what the daily limit counts).
PORTAL = "portal"
STATEMENT = "statement"
# the client answered a follow-up email; an accountant marked it handled
REPLY = "reply"
REPLY_HANDLED = "reply_handled"

# billing.followup.event.state
TO_REVIEW = "to_review"
TO_APPROVE = "to_approve"
DONE = "done"
FAILED = "failed"
CANCELLED = "cancelled"
# An event that has not happened yet: its date and author are those of the
# review or approval that lets it happen.
WAITING_STATES = (TO_REVIEW, TO_APPROVE)

# Why the engine skips a customer beyond the decision's reasons: the
# company has no email address to send from.
SKIP_NO_SENDER = "no_sender"
# Why a monthly statement is not sent: nothing is open on its date.
SKIP_NOTHING_OPEN = "nothing_open"

# Messages the customer received: what the circuit breaker and the
# thank-you note count as a reminder.
MESSAGE_KINDS = (EMAIL, LETTER)
# Any contact with the customer: what the minimum interval counts.
CONTACT_KINDS = (EMAIL, LETTER, MANUAL, THANKS, CALL, STATEMENT)

# An accountant's answer to a client's reply: what ends the reply's pause
# early. A promise counts when it is recorded (its key, `promise_key(id,
# "open")`), not when the run settles it.
ANSWER_KINDS = (MANUAL, CALL, PAUSE, REPLY_HANDLED)
PROMISE_RECORDED_LIKE = "promise:%:open"

# The key of an event kind in the run's counts ("emails", "activities").
COUNT_KEYS = {
    EMAIL: "emails",
    ACTIVITY: "activities",
    LETTER: "letters",
    STAGE: "stages",
    THANKS: "thanks",
    HANDOVER: "handovers",
    PLAN: "plan_reminders",
    STATEMENT: "statements",
}


def skipped_key(reason: str) -> str:
    """The key of a skip reason in the run's counts ("skipped_interval")."""
    return f"skipped_{reason}"


def step_key(step_id: int, cycle: Date, kind: str, item: int | None = None) -> str:
    """Natural key of a reminder step's event: once per step, cycle, kind;
    a heads-up also names its first item (once per item, not per due date)."""
    key = f"step:{step_id}:{cycle.isoformat()}:{kind}"
    return key if item is None else f"{key}:{item}"


# Prefix of the key of an event withdrawn before it reached the customer
# ("withdrawn:<event id>"): unique to the event, so the step it was for may
# happen again, and never re-keyed by `_billing_fill_keys`.
WITHDRAWN = "withdrawn"


def stage_clear_key(on: Date) -> str:
    """Natural key of clearing a customer's stage: at most once a day."""
    return f"stage:clear:{on.isoformat()}"


def thanks_key(cycle: Date) -> str:
    """Natural key of a thank-you note: once per dunning cycle."""
    return f"thanks:{cycle.isoformat()}"


def failure_key(kind: str, on: Date) -> str:
    """Natural key of a failure report: once per customer, kind and day."""
    return f"failed:{kind}:{on.isoformat()}"


def promise_key(promise_id: int, state: str) -> str:
    """Natural key of a promise's event: recorded once, settled once."""
    return f"promise:{promise_id}:{state}"


def reply_key(message_id: int) -> str:
    """Natural key of a client's reply: one email, one event."""
    return f"reply:{message_id}"


def handover_key(cycle: Date) -> str:
    """Natural key of handing a customer over to the last resort: once per
    dunning cycle."""
    return f"handover:{cycle.isoformat()}"


def plan_key(plan_id: int, line_id: int, what: str) -> str:
    """Natural key of a payment plan's message about one instalment
    ("heads_up" or "missed"): once per instalment and kind."""
    return f"plan:{plan_id}:{line_id}:{what}"


def statement_key(on: Date) -> str:
    """Natural key of a periodic statement: once per customer and month."""
    return f"statement:{on:%Y-%m}"


def loyalty_key(newest_move_id: int) -> str:
    """Natural key of a loyalty credit: once per run of invoices, named by
    its newest invoice (the next run only counts invoices after it)."""
    return f"loyalty:{newest_move_id}"


def fee_key(step_id: int, cycle: Date, period: int, currency: int) -> str:
    """Natural key of a fee: once per fee step, dunning cycle, period (the
    month of a monthly policy, 0 for once) and currency."""
    return f"fee:{step_id}:{cycle.isoformat()}:{period}:{currency}"


# Prefix of the keys of fees charged.
FEE_PREFIX = "fee:"
