"""The late fee computation and the fee decision, with plain data."""

from dataclasses import replace
from datetime import date, timedelta

from odoo.addons.billing_followup.tools import followup_decision as logic
from odoo.addons.billing_followup.tools import late_fee as fee

D = date(2026, 3, 2)


def charge(base=1000.0, days=30, total=None, since=None, first=True, rounding=0.01):
    due = D
    return fee.Charge(
        base=base,
        total=total or base,
        due=due,
        since=since or due,
        on=due + timedelta(days=days),
        first=first,
        rounding=rounding,
    )


def test_fixed_with_grace_minimum_and_cap():
    terms = fee.Terms(fee.FIXED, fixed_amount=40.0, grace_days=10)
    assert fee.compute(terms, charge(days=10)) is None, "paid within grace"
    assert fee.compute(terms, charge(days=11)).amount == 40.0
    minimum = fee.Terms(fee.FIXED, fixed_amount=40.0, min_overdue_amount=100.0)
    assert fee.compute(minimum, charge(base=99.99)) is None
    assert fee.compute(minimum, charge(base=100.0)).amount == 40.0
    capped = fee.Terms(fee.FIXED, fixed_amount=40.0, max_fee_percent=2.0)
    result = fee.compute(capped, charge(base=500.0))
    assert (result.amount, result.capped) == (10.0, True)


def test_percent_with_cap_and_rounding():
    terms = fee.Terms(fee.PERCENT, percent=1.5, max_fee_amount=20.0)
    assert fee.compute(terms, charge(base=1000.0)).amount == 15.0
    assert fee.compute(terms, charge(base=2000.0)).amount == 20.0
    # 1.5 % of 33.33 = 0.49995: half-up to the cent
    assert fee.compute(terms, charge(base=33.33)).amount == 0.5
    assert fee.compute(terms, charge(base=3.0, rounding=1.0)) is None, "rounds to 0"


def test_interest_simple_act_365():
    terms = fee.Terms(fee.INTEREST, annual_rate=10.0, grace_days=5)
    assert fee.compute(terms, charge(days=5)) is None
    result = fee.compute(terms, charge(base=1000.0, days=73))
    # 1000 x 10 % x 73 / 365 = 20.00, counted from the due date
    assert result.amount == 20.0
    assert result.pieces == (fee.Piece(73, 10.0, 20.0),)
    capped = fee.Terms(fee.INTEREST, annual_rate=10.0, max_fee_amount=15.0)
    assert fee.compute(capped, charge(days=73)).amount == 15.0


def test_eu_preset_over_a_reference_rate_change():
    """ECB rate 4 % then 3.5 % from 1 April: 8 points more, piece by piece,
    plus 40 EUR once per invoice."""
    terms = fee.Terms(
        fee.INTEREST,
        fixed_amount=40.0,
        annual_rate=8.0,
        reference=((date(2025, 10, 1), 4.0), (date(2026, 4, 1), 3.5)),
    )
    result = fee.compute(terms, charge(base=10000.0, days=60))
    # 2 March -> 1 April: 30 days at 12 %; 1 April -> 1 May: 30 days at 11.5 %
    assert [(p.days, p.rate) for p in result.pieces] == [(30, 12.0), (30, 11.5)]
    interest = 10000 * 0.12 * 30 / 365 + 10000 * 0.115 * 30 / 365
    assert result.amount == round(40.0 + interest, 2) == 233.15
    again = fee.compute(terms, charge(base=10000.0, days=60, first=False))
    assert again.amount == round(interest, 2), "the 40 EUR only once"


def test_uk_bands():
    terms = fee.Terms(fee.FIXED, uk_bands=True)
    amounts = [
        fee.compute(terms, charge(base=b)).amount
        for b in (999.99, 1000, 9999.99, 10000)
    ]
    assert amounts == [40.0, 70.0, 70.0, 100.0]


def test_foreign_currency_rounding():
    terms = fee.Terms(fee.INTEREST, annual_rate=7.0)
    # JPY, rounding 1: 123457 x 7 % x 31 / 365 = 733.98 -> 734
    assert (
        fee.compute(terms, charge(base=123457.0, days=31, rounding=1.0)).amount == 734.0
    )
    assert fee.round_to(2.675, 0.01) == 2.68, "half-up, not the float's 2.67"


# THE DECISION


STEPS = (logic.Step(1, -3), logic.Step(2, 7), logic.Step(3, 14, fee=True))


def decide_fees(terms, on, history=None, items=None, **settings):
    items = items or [logic.Item(10, D, 1000.0, currency=1, total=1000.0)]
    rules = logic.Settings(
        steps=STEPS, fee_policy=5, fee_terms={(5, 1): terms}, **settings
    )
    history = history or logic.History(dates={(3, D): D + timedelta(days=14)})
    return logic.fee_due(items, history, rules, on)


def test_no_fee_before_the_fee_step_message():
    terms = fee.Terms(fee.FIXED, fixed_amount=40.0)
    assert decide_fees(terms, D + timedelta(days=20), logic.History()) == []
    [due] = decide_fees(terms, D + timedelta(days=14))
    assert (due.step_id, due.cycle, due.period, due.amount) == (3, D, 0, 40.0)


def test_no_fee_on_a_disputed_or_fee_invoice():
    terms = fee.Terms(fee.FIXED, fixed_amount=40.0)
    on = D + timedelta(days=14)
    disputed = [logic.Item(10, D, 1000.0, disputed=True, currency=1)]
    assert decide_fees(terms, on, items=disputed) == []
    fee_invoice = [logic.Item(10, D, 40.0, is_fee=True, currency=1)]
    assert decide_fees(terms, on, items=fee_invoice) == []


def test_no_fee_while_a_client_reply_waits_for_an_answer():
    """A reply on day 13 with a 3-day reply pause holds the fee of day 14
    until day 17."""
    terms = fee.Terms(fee.FIXED, fixed_amount=40.0)
    history = logic.History(
        dates={(3, D): D + timedelta(days=14)}, replied_on=D + timedelta(days=13)
    )
    assert decide_fees(terms, D + timedelta(days=16), history, reply_pause=3) == []
    [due] = decide_fees(terms, D + timedelta(days=17), history, reply_pause=3)
    assert due.amount == 40.0


def test_notice_rule():
    """The step before the fee step (day 7) announced it: with 10 notice
    days, no fee before day 17."""
    terms = fee.Terms(fee.FIXED, fixed_amount=40.0, notice_days=10)
    dates = {(2, D): D + timedelta(days=7), (3, D): D + timedelta(days=14)}
    history = logic.History(dates=dates)
    assert decide_fees(terms, D + timedelta(days=16), history) == []
    assert decide_fees(terms, D + timedelta(days=17), history)[0].amount == 40.0
    unannounced = logic.History(dates={(3, D): D + timedelta(days=14)})
    assert decide_fees(terms, D + timedelta(days=30), unannounced) == []


def test_monthly_interest_three_months_three_charges():
    terms = fee.Terms(fee.INTEREST, annual_rate=12.0, recurrence=fee.MONTHLY)
    start = D + timedelta(days=14)
    history = logic.History(dates={(3, D): start})
    charged = []
    on = start
    while on < date(2026, 6, 16):  # three months from 16 March
        for due in decide_fees(terms, on, history):
            charged.append((on, due.period, due.amount))
            history = logic.History(
                dates=history.dates,
                fee_keys=history.fee_keys | {due.key},
                charged={10: on},
            )
        on += timedelta(days=1)
    assert [(c[0], c[1]) for c in charged] == [
        (date(2026, 3, 16), 0),
        (date(2026, 4, 16), 1),
        (date(2026, 5, 16), 2),
    ]
    # 14 days, then 31 and 30 days since the previous charge, at 12 %
    assert [c[2] for c in charged] == [4.6, 10.19, 9.86]


def test_once_policy_never_charges_again():
    terms = fee.Terms(fee.FIXED, fixed_amount=40.0)
    start = D + timedelta(days=14)
    history = logic.History(
        dates={(3, D): start},
        fee_keys=frozenset({"fee:3:2026-03-02:0:1"}),
        charged={10: start},
    )
    assert decide_fees(terms, start + timedelta(days=40), history) == []


def monthly_charges(terms, until):
    """[(date, amount)] of the fees a monthly policy charges day by day from
    the fee step (16 March) to `until`, the history growing as the run's."""
    start = D + timedelta(days=14)
    history = logic.History(dates={(3, D): start})
    charged, on = [], start
    while on <= until:
        for due in decide_fees(terms, on, history):
            [(line, _policy, fee_)] = due.charges
            charged.append((on, due.amount))
            totals = dict(history.fee_totals)
            totals[line] = totals.get(line, 0.0) + fee_.amount
            history = logic.History(
                dates=history.dates,
                fee_keys=history.fee_keys | {due.key},
                charged={line: on},
                fee_totals=totals,
            )
        on += timedelta(days=1)
    return charged


def test_caps_bound_the_total_charged_on_an_invoice():
    """12 % a year on 1,000 charges 4.60, 10.19, 9.86 a month: a cap of 20
    (absolute, or 2 % of the invoice) leaves 5.21 for the third month and
    nothing for the fourth."""
    for cap in ({"max_fee_amount": 20.0}, {"max_fee_percent": 2.0}):
        terms = fee.Terms(fee.INTEREST, annual_rate=12.0, recurrence=fee.MONTHLY, **cap)
        charged = monthly_charges(terms, date(2026, 7, 31))
        assert charged == [
            (date(2026, 3, 16), 4.6),
            (date(2026, 4, 16), 10.19),
            (date(2026, 5, 16), 5.21),
        ], cap


def test_a_charge_gets_what_earlier_charges_left_under_the_cap():
    terms = fee.Terms(fee.PERCENT, percent=5.0, max_fee_amount=40.0)
    assert fee.compute(terms, charge(base=1000.0)).amount == 40.0
    left = fee.compute(terms, replace(charge(base=1000.0), charged=30.0))
    assert (left.amount, left.capped) == (10.0, True)
    assert fee.compute(terms, replace(charge(base=1000.0), charged=40.0)) is None


def test_after_a_broken_plan_interest_runs_from_the_break_only():
    """Broken on 28 March: the April charge counts 19 days (28 March to
    16 April), not the 31 days since the March charge; a policy that does
    not charge after a broken plan charges nothing."""
    plain = logic.Item(10, D, 1000.0, currency=1, total=1000.0)
    item = replace(plain, plan_broken_on=date(2026, 3, 28))
    terms = fee.Terms(fee.INTEREST, annual_rate=12.0, recurrence=fee.MONTHLY)
    start = D + timedelta(days=14)
    history = logic.History(
        dates={(3, D): start},
        fee_keys=frozenset({logic.FeeDue(3, D, 0, 1, ()).key}),
        charged={10: start},
        fee_totals={10: 4.6},
    )
    april = date(2026, 4, 16)
    [due] = decide_fees(terms, april, history, items=[item])
    [(_line, _policy, charged)] = due.charges
    assert (charged.amount, charged.pieces[0].days) == (6.25, 19)
    assert charged.days == 45, "days late count from the original due date"
    never = replace(terms, after_broken_plan=False)
    assert decide_fees(never, april, history, items=[item]) == []
    [due] = decide_fees(terms, april, history, items=[plain])
    assert due.amount == 10.19, "without a plan: the 31 days since March"


def test_the_forecast_lists_the_fees_with_their_amounts():
    """From day 10, the 30-day forecast charges 4.60 with the day-14 step,
    then a month of interest (10.19) on 16 April with no step at all."""
    terms = fee.Terms(fee.INTEREST, annual_rate=12.0, recurrence=fee.MONTHLY)
    item = logic.Item(10, D, 1000.0, currency=1, total=1000.0)
    rules = logic.Settings(steps=STEPS, fee_policy=5, fee_terms={(5, 1): terms})
    ahead = logic.forecast([item], logic.History(), rules, D + timedelta(days=10), 40)
    summary = [
        (on, action and action.step_id, [due.amount for due in dues])
        for on, action, dues in ahead
    ]
    assert summary == [
        (D + timedelta(days=10), 2, []),
        (D + timedelta(days=14), 3, [4.6]),
        (date(2026, 4, 16), None, [10.19]),
    ]
    assert [on for on, _a in logic.look_ahead([item], logic.History(), rules, D)] == [
        D,
        D + timedelta(days=7),
        D + timedelta(days=14),
    ], "look_ahead keeps listing the steps only"
