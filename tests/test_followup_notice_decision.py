"""No surprise on plain data: a severe step (credit hold, hand-over) waits
for the final notice of its cycle and the deadline that notice states; a
catch-up sends the final notice instead."""

from datetime import date, timedelta

from odoo.addons.billing_followup.tools import followup_decision as logic

D = date(2026, 3, 2)  # a Monday
FINAL, HOLD, HANDOVER = 5, 6, 7
STEPS = (
    logic.Step(1, -3),
    logic.Step(2, 1),
    logic.Step(3, 7),
    logic.Step(4, 14, sends=False),  # a call
    logic.Step(FINAL, 21),
    logic.Step(HOLD, 30, severe=True, sends=False),
    logic.Step(HANDOVER, 60, approval=True, severe=True),
)
SETTINGS = logic.Settings(steps=STEPS, min_interval=3, notice_days=3)


def day(n):
    return D + timedelta(days=n)


def late(days):
    """An invoice `days` late on D."""
    return logic.Item(10, day(-days), 1000.0)


def steps_of(actions):
    return [((on - D).days, action.step_id) for on, action in actions]


def test_never_contacted_45_days_late_gets_the_final_notice_first():
    item = late(45)
    first = logic.decide([item], logic.History(), SETTINGS, D)
    assert (first.step_id, first.offset, first.cycle) == (FINAL, 21, day(-45))
    # the hold on the deadline the notice states, the hand-over (awaiting a
    # manager) once 60 days late: never before the notice
    assert steps_of(logic.look_ahead([item], logic.History(), SETTINGS, D)) == [
        (0, FINAL),
        (3, HOLD),
        (15, HANDOVER),
    ]


def test_never_contacted_90_days_late_is_not_handed_over():
    action = logic.decide([late(90)], logic.History(), SETTINGS, D)
    assert (action.step_id, action.approval) == (FINAL, False)


def test_final_notice_received_then_hold_as_configured():
    item = late(30)
    history = logic.History(
        had={10: 21},
        keys=frozenset({(FINAL, day(-30))}),
        last_contact=day(-9),
        messages=frozenset({(day(-30), 21, day(-9))}),
    )
    action = logic.decide([item], history, SETTINGS, D)
    assert (action.step_id, action.cycle) == (HOLD, day(-30))


def test_hold_waits_for_the_deadline_of_a_late_final_notice():
    item = late(30)
    history = logic.History(
        had={10: 21},
        keys=frozenset({(FINAL, day(-30))}),
        messages=frozenset({(day(-30), 21, day(-1))}),
    )
    assert logic.decide([item], history, SETTINGS, D) == logic.Skip("nothing_due")
    assert logic.decide([item], history, SETTINGS, day(1)) == logic.Skip("nothing_due")
    assert logic.decide([item], history, SETTINGS, day(2)).step_id == HOLD


def test_final_notice_not_received_keeps_the_hold_back():
    """Waiting for review (had) or failed: no message received, no hold."""
    history = logic.History(had={10: 21}, keys=frozenset({(FINAL, day(-35))}))
    decision = logic.decide([late(35)], history, SETTINGS, D)
    assert decision == logic.Skip("nothing_due")


def test_an_earlier_reminder_or_another_cycle_is_not_the_notice():
    history = logic.History(
        had={10: 7},
        messages=frozenset(
            {
                (day(-40), 7, day(-33)),  # this cycle, a mere reminder
                (day(-90), 21, day(-69)),  # the final notice of an old cycle
            }
        ),
    )
    assert logic.decide([late(40)], history, SETTINGS, D).step_id == FINAL


def test_after_the_notice_the_hold_comes_before_the_hand_over():
    """90 days late, the final notice (announcing the hold) received: the
    hold, not straight the hand-over."""
    history = logic.History(had={10: 21}, messages=frozenset({(day(-90), 21, day(-3))}))
    action = logic.decide([late(90)], history, SETTINGS, D)
    assert (action.step_id, action.approval) == (HOLD, False)


def test_a_hold_email_counts_as_notice_for_the_hand_over():
    history = logic.History(
        had={10: 30},
        messages=frozenset({(day(-61), 30, day(-31))}),
    )
    assert logic.decide([late(61)], history, SETTINGS, D).step_id == HANDOVER


def test_a_ladder_without_a_notice_step_is_not_held_back():
    steps = (logic.Step(1, -3), logic.Step(HOLD, 30, severe=True))
    settings = logic.Settings(steps=steps, notice_days=3)
    assert logic.decide([late(45)], logic.History(), settings, D).step_id == HOLD
