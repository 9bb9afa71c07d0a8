"""What to do when the follow-up of one customer fails: plain Python, no ORM.

Two kinds of failure meet here. A customer whose reminder cannot be prepared
(a template that does not render, a PDF that fails) is reported in words, at
most once a day, and retried by the next run. An email that the mail queue
could not hand over is either a passing outage (the server could not be
reached: re-queued with a growing delay, for at most `RETRY_FOR`) or a
permanent refusal (invalid address, bounce, blacklist) that needs a person.
"""

import re
from datetime import timedelta

import psycopg2
from psycopg2 import errorcodes

# How long a reminder waits for the mail server before it becomes a failure
# a person must handle, and how many times the queue tries meanwhile.
RETRY_FOR = timedelta(days=2)
MAX_ATTEMPTS = 12
FIRST_DELAY = timedelta(minutes=10)
LONGEST_DELAY = timedelta(hours=4)

# mail.mail.failure_type values that mean the server was not reached.
TRANSIENT_TYPES = frozenset({"mail_smtp"})
# Failure types that no retry can heal.
PERMANENT_TYPES = frozenset(
    {
        "mail_email_invalid",
        "mail_email_missing",
        "mail_bl",
        "mail_optout",
        "mail_bounce",
        "mail_spam",
        "mail_dup",
        "mail_from_invalid",
        "mail_from_missing",
    }
)
# Words of a failure reason that mean the connection, not the message,
# failed: socket errors ("[Errno 111] Connection refused"), timeouts, a
# session dropped half-way, SMTP 4xx (temporary) replies, and Odoo's own
# marker for a send interrupted before it could record the outcome.
_TRANSIENT_REASON = re.compile(
    r"\[Errno|connection|connect to|timed? ?out|temporar|disconnected|"
    r"network|unreachable|name or service|try again|"
    r"(?:^|[\s(])4[0-9]{2}(?:[\s,.-]|$)|Error without exception",
    re.IGNORECASE | re.MULTILINE,
)
REASON_LENGTH = 200


def is_conflict(error):
    """A clash with a concurrent run: the customer is someone else's now."""
    return isinstance(error, psycopg2.IntegrityError) or (
        isinstance(error, psycopg2.OperationalError)
        and error.pgcode
        in (
            errorcodes.SERIALIZATION_FAILURE,
            errorcodes.DEADLOCK_DETECTED,
            errorcodes.LOCK_NOT_AVAILABLE,
        )
    )


def is_fatal(error):
    """An error of the run itself (connection lost, memory), not of one
    customer: no savepoint can carry on after it."""
    if isinstance(error, MemoryError | psycopg2.InterfaceError):
        return True
    return isinstance(error, psycopg2.OperationalError) and not is_conflict(error)


def is_transient(failure_type, failure_reason):
    """Whether a mail in exception failed for a reason a retry can heal."""
    if failure_type in TRANSIENT_TYPES:
        return True
    if failure_type in PERMANENT_TYPES:
        return False
    return bool(_TRANSIENT_REASON.search(failure_reason or ""))


def gives_up(first_queued, now, attempts):
    """Whether a reminder waited long enough for the mail server."""
    return attempts >= MAX_ATTEMPTS or now - first_queued >= RETRY_FOR


def retry_at(now, attempts):
    """When the queue tries again: 10 min, 20, 40... at most every 4 hours."""
    return now + min(FIRST_DELAY * 2**attempts, LONGEST_DELAY)


def short_reason(error):
    """The first meaningful line of an error, never a traceback."""
    text = str(error.args[0]) if getattr(error, "args", None) else ""
    return first_line(text) or type(error).__name__


def mail_reason(text):
    """What a mail failure says in its own words: Odoo's reasons start with
    a heading ("Mail Delivery Failed") and end with the server's answer."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return first_line(lines[-1]) if lines else ""


def first_line(text):
    """The first non-empty line of `text`, cut to REASON_LENGTH."""
    lines = [
        line.strip()
        for line in (text or "").splitlines()
        if line.strip() and not line.startswith("Traceback")
    ]
    reason = lines[0] if lines else ""
    if len(reason) > REASON_LENGTH:
        reason = reason[: REASON_LENGTH - 1].rstrip() + "…"
    return reason
