"""The statement figures with plain data: buckets that add up to the
total, credits never late, currencies apart, rounding, the running balance
of the activity statement and the monthly day rule."""

from datetime import date, timedelta

from odoo.addons.billing_followup.tools import statement as st

ON = date(2026, 3, 2)
USD, EUR = 2, 1


def entry(number, kind, due_days_ago, open_, currency=USD, amount=None):
    due = ON - timedelta(days=due_days_ago)
    return st.Entry(
        move_id=len(number),
        kind=kind,
        number=number,
        reference="",
        date=due,
        due=due,
        currency_id=currency,
        amount=open_ if amount is None else amount,
        open=open_,
    )


def test_buckets_add_up_and_credits_are_never_late():
    entries = [
        entry("INV1", st.INVOICE, 0, 100.0),  # due today: not late
        entry("INV2", st.INVOICE, 1, 10.0),
        entry("INV3", st.INVOICE, 30, 20.0),
        entry("INV4", st.INVOICE, 31, 30.0),
        entry("INV5", st.INVOICE, 61, 40.0),
        entry("INV6", st.INVOICE, 91, 50.0, amount=80.0),  # partly paid
        entry("RINV1", st.CREDIT_NOTE, 45, -25.0),
        entry("PAY1", st.PAYMENT, 2, -5.0),
        entry("PAID", st.INVOICE, 10, 0.0),  # nothing open: not listed
        entry("EINV1", st.INVOICE, 5, 7.5, currency=EUR),
    ]
    eur, usd = st.outstanding(entries, ON)
    assert usd["buckets"] == {
        "current": 100.0,
        "1_30": 25.0,  # 10 + 20 - 5
        "31_60": 5.0,  # 30 - 25
        "61_90": 40.0,
        "90_plus": 50.0,
    }
    assert usd["total"] == sum(usd["buckets"].values()) == 220.0
    assert usd["overdue"] == 120.0, "the 100 due today is not overdue"
    late = {i["number"]: i["days_late"] for i in usd["items"]}
    assert late["RINV1"] is None and late["PAY1"] is None
    assert late["INV1"] == 0 and late["INV6"] == 91
    assert "PAID" not in late
    assert [i["amount"] for i in usd["items"] if i["number"] == "INV6"] == [80.0]
    assert (eur["currency_id"], eur["total"], eur["buckets"]["1_30"]) == (EUR, 7.5, 7.5)


def test_rounding_per_currency_and_no_negative_zero():
    entries = [
        entry("A", st.INVOICE, 5, 0.1),
        entry("B", st.INVOICE, 5, 0.2),
        entry("C", st.CREDIT_NOTE, 5, -0.3),
        entry("J", st.INVOICE, 5, 1000.4, currency=EUR),
    ]
    eur, usd = st.outstanding(entries, ON, places={USD: 2, EUR: 0})
    assert usd["total"] == 0.0 and str(usd["total"]) == "0.0"
    assert usd["overdue"] == 0.0
    assert eur["total"] == 1000.0


def test_credits_beyond_the_debt_leave_nothing_overdue():
    entries = [entry("A", st.INVOICE, 5, 50.0), entry("P", st.PAYMENT, 1, -80.0)]
    [usd] = st.outstanding(entries, ON)
    assert (usd["overdue"], usd["total"]) == (0.0, -30.0)


def test_activity_running_balance_per_currency():
    entries = [
        entry("INV2", st.INVOICE, 3, 0.0, amount=200.0),
        entry("PAY1", st.PAYMENT, 10, 0.0, amount=-150.0),
        entry("FEE1", st.FEE, 1, 0.0, amount=15.0),
        entry("XCH", st.OTHER, 2, 0.0, amount=0.0),  # an exchange difference
        entry("EINV", st.INVOICE, 4, 0.0, amount=60.0, currency=EUR),
    ]
    eur, usd = st.activity({USD: 500.0, 99: 0.0}, entries)
    assert usd["opening"] == 500.0
    assert [(line["number"], line["balance"]) for line in usd["lines"]] == [
        ("PAY1", 350.0),
        ("INV2", 550.0),
        ("FEE1", 565.0),
    ]
    assert (usd["invoiced"], usd["credited"], usd["closing"]) == (215.0, 150.0, 565.0)
    assert (eur["opening"], eur["closing"]) == (0.0, 60.0)
    assert st.activity({}, []) == [], "no balance, no entry: no block"


def test_kinds():
    assert st.kind_of("entry", True, False) == st.PAYMENT
    assert st.kind_of("out_refund", False, False) == st.CREDIT_NOTE
    assert st.kind_of("out_invoice", False, True) == st.FEE
    assert st.kind_of("out_invoice", False, False) == st.INVOICE
    assert st.kind_of("entry", False, False) == st.OTHER


def test_monthly_day():
    assert not st.statement_due(0, False, ON), "no day: no statement"
    assert not st.statement_due(5, False, date(2026, 3, 4))
    assert st.statement_due(5, False, date(2026, 3, 5))
    assert st.statement_due(5, False, date(2026, 3, 31)), "a missed day catches up"
    assert not st.statement_due(5, True, date(2026, 3, 5)), "opted out"
