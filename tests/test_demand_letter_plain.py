"""What a demand letter may claim besides what is owed, with plain data."""

from datetime import date

from odoo.addons.billing_followup.tools import demand_letter as demand
from odoo.addons.billing_followup.tools import followup_decision as logic
from odoo.addons.billing_followup.tools import late_fee as fee

ON = date(2026, 3, 25)
DUE = date(2026, 1, 20)  # 64 days before ON
FIXED = fee.Terms(fee.FIXED, fixed_amount=40.0)
INTEREST = fee.Terms(fee.INTEREST, annual_rate=8.0)


def item(line_id=1, residual=1200.0, due=DUE, **values):
    return logic.Item(line_id, due, residual, currency=1, total=residual, **values)


def history(charged=None, **values):
    return logic.History(charged=charged or {}, **values)


def test_no_policy_no_fee():
    items = [item()]
    assert demand.late_fees(items, history(), 0, {}, ON) == {}
    assert not demand.allows_fees(items, 0)
    assert demand.allows_fees([item(fee_policy=7)], 0)
    assert demand.allows_fees(items, 3)


def test_the_items_policy_comes_before_the_customers():
    terms = {(3, 1): FIXED, (7, 1): INTEREST}
    # 1,200.00 at 8 % for 64 days: 16.83; the other item 40.00 fixed
    items = [item(1, fee_policy=7), item(2)]
    assert demand.late_fees(items, history(), 3, terms, ON) == {1: 16.83 + 40.0}


def test_charged_before_only_interest_runs_on_within_the_cap():
    charged = history({1: date(2026, 3, 1)}, fee_totals={1: 10.0})
    assert demand.late_fees([item()], charged, 3, {(3, 1): FIXED}, ON) == {}
    # 24 days since the charge, no second fixed part: 6.31
    fees = demand.late_fees([item()], charged, 3, {(3, 1): INTEREST}, ON)
    assert fees == {1: 6.31}
    # a cap of 15.00 on the invoice, 10.00 of it already charged
    capped = fee.Terms(fee.INTEREST, annual_rate=8.0, max_fee_amount=15.0)
    assert demand.late_fees([item()], charged, 3, {(3, 1): capped}, ON) == {1: 5.0}


def test_after_a_broken_plan_interest_runs_from_the_break():
    broken = item(plan_broken_on=date(2026, 3, 1))
    # 24 days since the break: 6.31; a policy without fees after a break: none
    after = fee.Terms(fee.INTEREST, annual_rate=8.0, after_broken_plan=True)
    assert demand.late_fees([broken], history(), 3, {(3, 1): after}, ON) == {1: 6.31}
    never = fee.Terms(fee.INTEREST, annual_rate=8.0, after_broken_plan=False)
    assert demand.late_fees([broken], history(), 3, {(3, 1): never}, ON) == {}


def test_nothing_on_fees_disputes_credits_or_items_not_due():
    terms = {(3, 1): FIXED}
    for skipped in (
        item(is_fee=True),
        item(disputed=True),
        item(residual=-50.0),
        item(due=ON),
    ):
        assert demand.late_fees([skipped], history(), 3, terms, ON) == {}


def test_agency_fee_on_what_is_owed_only():
    assert demand.agency_fee(1200.0, 10.0, 0.01) == 120.0
    assert demand.agency_fee(333.33, 12.5, 0.01) == 41.67
    assert demand.agency_fee(-100.0, 10.0, 0.01) == 0.0
