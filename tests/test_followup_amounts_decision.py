"""Amounts in the decision function, on plain data: rounding, credits to
the oldest items first, per-currency netting and minimum, stage clearing."""

from dataclasses import replace

from odoo.addons.billing_followup.tools import followup_decision as logic

from .test_followup_decision import SETTINGS, day

USD, EUR = 1, 2
NONE = logic.History()


def test_float_noise_is_not_a_debt():
    items = [
        logic.Item(10, day(-10), 1802.95, currency=USD),
        logic.Item(11, day(-5), 62.15, currency=USD),
        logic.Item(12, day(-2), -1865.10, currency=USD),
    ]
    assert sum(i.residual for i in items) > 0  # what raw floats would say
    assert logic.decide(items, NONE, SETTINGS, day(0)) == logic.Skip(
        logic.SKIP_NOTHING_DUE
    )


def test_rounding_of_the_currency_counts():
    """A currency without cents: 0.4 of a yen is nothing."""
    item = logic.Item(10, day(-10), 0.4, currency=EUR, rounding=1.0)
    assert logic.decide([item], NONE, SETTINGS, day(0)).reason == (
        logic.SKIP_NOTHING_DUE
    )


def test_credits_pay_the_oldest_debts_first():
    old = logic.Item(10, day(-10), 300.0, currency=USD)
    credit = logic.Item(11, day(-1), -300.0, currency=USD)
    later = logic.Item(12, day(5), 500.0, currency=USD)
    assert logic.owed([old, credit, later]) == {later: 50000}
    assert logic.decide([old, credit, later], NONE, SETTINGS, day(0)).reason == (
        logic.SKIP_NOTHING_DUE
    )
    heads_up = logic.decide([old, credit, later], NONE, SETTINGS, day(2))
    assert (heads_up.step_id, heads_up.about, heads_up.listed) == (1, (12,), (12,))


def test_netting_is_per_currency():
    debt = logic.Item(10, day(-2), 100.0, currency=USD)
    credit = logic.Item(11, day(-5), -1000.0, currency=EUR)
    action = logic.decide([debt, credit], NONE, SETTINGS, day(0))
    assert action.about == (10,)


def test_below_the_minimum_nothing_happens():
    leftover = logic.Item(10, day(-30), 0.01, currency=USD)
    settings = replace(SETTINGS, min_amounts={USD: 5.0})
    for n in range(40):
        assert logic.decide([leftover], NONE, settings, day(n)).reason == (
            logic.SKIP_BELOW_MINIMUM
        )
    assert logic.look_ahead([leftover], NONE, settings, day(0)) == []
    enough = logic.Item(11, day(-30), 5.0, currency=USD)
    assert isinstance(logic.decide([enough], NONE, settings, day(0)), logic.Action)


def test_minimum_per_currency():
    usd = logic.Item(10, day(-2), 3.0, currency=USD)
    eur = logic.Item(11, day(-2), 3.0, currency=EUR)
    settings = replace(SETTINGS, min_amounts={USD: 5.0, EUR: 2.5})
    assert logic.decide([usd, eur], NONE, settings, day(0)).about == (11,)


def test_empty_sequence_is_its_own_reason():
    item = logic.Item(10, day(-2), 100.0)
    settings = replace(SETTINGS, steps=())
    assert logic.decide([item], NONE, settings, day(0)).reason == (logic.SKIP_NO_STEPS)


def test_a_later_item_due_the_same_day_gets_its_heads_up():
    first = logic.Item(10, day(10), 100.0)
    second = logic.Item(20, day(10), 200.0)
    action = logic.decide([first], NONE, SETTINGS, day(7))
    history = logic.record(NONE, action, day(7))
    again = logic.decide([first, second], history, SETTINGS, day(9))
    assert (again.step_id, again.about, again.heads_up) == (1, (20,), True)


def test_stage_cleared_when_nothing_is_overdue():
    staged = replace(SETTINGS, staged=True)
    paid_up = logic.decide([], NONE, staged, day(0))
    assert paid_up == logic.Action(None, 0, None, (), (), clear_stage=True)
    pending = logic.Item(10, day(5), 100.0)
    heads_up = logic.decide([pending], NONE, staged, day(2))
    assert (heads_up.step_id, heads_up.clear_stage) == (1, True)
    late = logic.Item(11, day(-30), 100.0)
    decision = logic.decide([late], NONE, staged, day(0))
    assert not getattr(decision, "clear_stage", False)
    recent = logic.History(last_contact=day(1))
    waiting = logic.decide([pending], recent, staged, day(2))
    assert waiting.clear_stage and waiting.step_id is None, "not a message"
    assert logic.decide([], NONE, replace(staged, excluded=True), day(0)).reason == (
        logic.SKIP_EXCLUDED
    )


def test_stage_kept_while_an_overdue_item_is_disputed_or_paying():
    staged = replace(SETTINGS, staged=True)
    disputed = logic.Item(10, day(-30), 100.0, disputed=True)
    paying = logic.Item(11, day(-30), 100.0, in_flight=True)
    for item in (disputed, paying):
        assert logic.decide([item], NONE, staged, day(0)) == logic.Skip(
            logic.SKIP_NOTHING_DUE
        )


def test_thanks_follow_exclusion_and_weekdays():
    assert logic.may_thank(SETTINGS, day(0))
    assert not logic.may_thank(replace(SETTINGS, excluded=True), day(0))
    weekend = replace(SETTINGS, blocked_weekdays=frozenset({5, 6}))
    assert not logic.may_thank(weekend, day(5))
    assert logic.may_thank(weekend, day(7))
