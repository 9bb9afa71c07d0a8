"""The decision function on plain data: no database involved."""

from datetime import date, timedelta

from odoo.addons.billing_followup.tools import followup_decision as logic

D = date(2026, 3, 2)  # a Monday
STEPS = (
    logic.Step(1, -3),
    logic.Step(2, 1),
    logic.Step(3, 7),
    logic.Step(4, 14),
    logic.Step(5, 21),
)
SETTINGS = logic.Settings(steps=STEPS, min_interval=2)


def day(n):
    return D + timedelta(days=n)


def test_timeline_of_two_invoices_and_a_payment():
    """60 days, one action per step of the customer's ladder, never twice."""
    a = logic.Item(10, day(10), 1000.0)
    b = logic.Item(20, day(12), 500.0)
    history = logic.History()
    done = []
    for n in range(61):
        items = [b] if n >= 30 else [a, b]  # A paid on day 30
        decision = logic.decide(items, history, SETTINGS, day(n))
        if isinstance(decision, logic.Action):
            done.append((n, decision.step_id, decision.about))
            history = logic.record(history, decision, day(n))
    assert done == [
        (7, 1, (10,)),  # heads-up about A only
        (9, 1, (20,)),  # heads-up about B only
        (11, 2, (10,)),  # kind reminder, A overdue
        (17, 3, (10, 20)),  # B rides along the customer's ladder
        (24, 4, (10, 20)),
        (33, 5, (20,)),  # A paid: B is the anchor of a new cycle at +21
    ]


def test_lists_every_open_item_but_heads_up_only_its_own():
    a = logic.Item(10, day(-1), 100.0)
    b = logic.Item(20, day(20), 300.0)
    credit = logic.Item(30, day(-5), -50.0)
    action = logic.decide([a, b, credit], logic.History(), SETTINGS, D)
    assert (action.step_id, action.about, action.listed) == (2, (10,), (10, 20, 30))
    heads_up = logic.decide([b], logic.History(), SETTINGS, day(17))
    assert (heads_up.step_id, heads_up.listed) == (1, (20,))


def test_credits_covering_the_debt_mean_nothing_due():
    items = [logic.Item(10, day(-10), 100.0), logic.Item(11, day(-30), -100.0)]
    assert logic.decide(items, logic.History(), SETTINGS, D) == logic.Skip(
        "nothing_due"
    )


def test_in_flight_and_disputed_items_are_left_out():
    paying = logic.Item(10, day(-10), 100.0, in_flight=True)
    disputed = logic.Item(11, day(-10), 100.0, disputed=True)
    assert logic.decide([paying, disputed], logic.History(), SETTINGS, D).reason == (
        "nothing_due"
    )
    other = logic.Item(12, day(-2), 40.0)
    action = logic.decide([paying, other], logic.History(), SETTINGS, D)
    assert action.listed == (12,)


def test_catch_up_sends_only_the_current_step():
    item = logic.Item(10, day(-15), 100.0)
    action = logic.decide([item], logic.History(), SETTINGS, D)
    assert (action.step_id, action.cycle) == (4, day(-15))


def test_interval_weekday_exclusion_and_done():
    item = logic.Item(10, day(-1), 100.0)
    recent = logic.History(last_contact=day(-1))
    assert logic.decide([item], recent, SETTINGS, D) == logic.Skip("interval", day(1))
    monday_off = logic.Settings(steps=STEPS, blocked_weekdays=frozenset({0}))
    assert logic.decide([item], logic.History(), monday_off, D).reason == "weekday"
    excluded = logic.Settings(steps=STEPS, excluded=True)
    assert logic.decide([item], logic.History(), excluded, D).reason == "excluded"
    acted = logic.History(keys=frozenset({(2, day(-1))}))
    assert logic.decide([item], acted, SETTINGS, D).reason == "done"


def test_look_ahead_uses_the_same_decisions():
    item = logic.Item(10, day(2), 100.0)
    plan = logic.look_ahead([item], logic.History(), SETTINGS, D, days=30)
    assert [(on, action.step_id) for on, action in plan] == [
        (D, 1),
        (day(3), 2),
        (day(9), 3),
        (day(16), 4),
        (day(23), 5),
    ]


def test_pause_and_promise_hold_then_only_the_current_step():
    """A paused customer gets nothing until its pause ends, then the step
    it has reached, not the ones it missed; a promised item waits until the
    promise's date plus grace."""
    item = logic.Item(10, day(0), 100.0)
    paused = logic.Settings(steps=STEPS, paused_until=day(9))
    skip = logic.decide([item], logic.History(), paused, day(5))
    assert skip == logic.Skip(logic.SKIP_PAUSED, day(10))
    resumed = logic.decide([item], logic.History(), paused, day(10))
    assert (resumed.step_id, resumed.offset) == (3, 7)
    promised = logic.Item(10, day(0), 100.0, promised_on=day(4))
    grace = logic.Settings(steps=STEPS, promise_grace=2)
    waiting = logic.decide([promised], logic.History(), grace, day(6))
    assert waiting == logic.Skip(logic.SKIP_NOTHING_DUE)
    assert logic.decide([promised], logic.History(), grace, day(7)).step_id == 3


def test_a_client_reply_waits_the_reply_pause_then_the_current_step():
    """A reply no one answered holds the reminders (and fees) the day of the
    reply and the `reply_pause` days after it; without a pause set, or once
    answered (no `replied_on`), nothing waits."""
    item = logic.Item(10, day(0), 100.0)
    replied = logic.History(replied_on=day(6))
    rules = logic.Settings(steps=STEPS, reply_pause=3)
    assert logic.decide([item], replied, rules, day(7)) == logic.Skip(
        logic.SKIP_REPLIED, day(10)
    )
    assert logic.decide([item], replied, rules, day(9)).reason == logic.SKIP_REPLIED
    assert logic.decide([item], replied, rules, day(10)).step_id == 3
    no_pause = logic.Settings(steps=STEPS)
    assert logic.decide([item], replied, no_pause, day(7)).step_id == 3
    assert logic.decide([item], logic.History(), rules, day(7)).step_id == 3
    ahead = logic.look_ahead([item], replied, rules, day(7), 10)
    assert [(on, a.step_id) for on, a in ahead][:1] == [(day(10), 3)]


def test_manual_mode_and_held_items():
    """Manual mode proposes the step for review; a paused item is left out
    of the message while the others are reminded."""
    a = logic.Item(10, day(0), 100.0, paused_until=day(20))
    b = logic.Item(20, day(1), 50.0)
    manual = logic.Settings(steps=STEPS, manual=True)
    action = logic.decide([a, b], logic.History(), manual, day(3))
    assert action.review
    assert action.about == (20,) and action.listed == (20,)
    assert action.cycle == day(1)
