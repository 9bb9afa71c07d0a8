"""Which step of the ladder a customer reached on a date: plain Python.

The overdue ladder follows the oldest overdue item (the cycle's anchor) and
never springs a severe step (credit hold, hand-over) without the notice that
announced it; a heads-up goes out per item not due yet, at the steps'
offsets or before the customer's usual payment day.
"""

from datetime import timedelta

from .followup_records import NEVER


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
