"""Payment-plan and loyalty arithmetic on plain data (no database)."""

from datetime import date

from odoo.addons.billing_followup.tools import loyalty
from odoo.addons.billing_followup.tools import payment_plan as plans

D = date(2026, 3, 2)


def test_instalments_add_up_to_the_cent():
    lines = plans.propose(100_00, 3, D)  # 100.00 in cents
    assert [units for _d, units in lines] == [33_34, 33_33, 33_33]
    assert [d for d, _u in lines] == [D, date(2026, 4, 2), date(2026, 5, 2)]


def test_down_payment_then_weekly_parts():
    lines = plans.propose(1000, 2, D, plans.WEEKS, down_payment=200, down_date=D)
    assert lines == [(D, 200), (D, 400), (date(2026, 3, 9), 400)]


def test_bad_proposals_refused():
    for kwargs in ({"count": 0}, {"count": 2, "down_payment": 1000}):
        try:
            plans.propose(1000, first=D, **kwargs)
        except ValueError:
            continue
        raise AssertionError(kwargs)


def test_payments_allocated_in_date_order_overpayment_covers_next():
    instalments = [(D, 200), (date(2026, 4, 2), 200), (date(2026, 5, 2), 200)]
    settled = plans.settle(instalments, 300, D, 5)
    assert settled == plans.Settled(("paid", "open", "open"), "running")
    assert plans.settle(instalments, 600, D, 5).state == "done"


def test_late_within_tolerance_then_broken():
    instalments = [(D, 200), (date(2026, 4, 2), 200)]
    on = date(2026, 3, 7)  # five days late: still tolerated
    assert plans.settle(instalments, 100, on, 5).line_states == ("late", "open")
    assert plans.settle(instalments, 100, on, 5).state == "running"
    assert plans.settle(instalments, 100, date(2026, 3, 8), 5).state == "broken"


def test_plan_reminder_kinds():
    assert plans.reminder_due(D, date(2026, 2, 26), 3) is None
    assert plans.reminder_due(D, date(2026, 2, 27), 3) == "heads_up"
    assert plans.reminder_due(D, D, 3) == "heads_up"
    assert plans.reminder_due(D, date(2026, 3, 3), 3) == "missed"


def test_loyalty_streak_and_credit():
    assert loyalty.streak_reached([True, True, False], 2)
    assert not loyalty.streak_reached([True, False, True], 2)
    assert not loyalty.streak_reached([True], 2)
    assert not loyalty.streak_reached([True, True], 0)
    assert not loyalty.paid_on_time(D, None)
    assert loyalty.credit_units(1000_00, percent=5) == 50_00
    assert loyalty.credit_units(1000_00, percent=5, cap=40_00) == 40_00
    assert loyalty.credit_units(1000_00, fixed=25_00, percent=5) == 25_00
    assert loyalty.credit_units(10_00, fixed=25_00) == 10_00, "never above the base"
