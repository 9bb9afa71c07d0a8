"""Cash forecast of the next 13 weeks: open items by due date, promises and
plan instalments instead of the invoices they cover, moved and weighted by
the payer profile; the plain rule and the SQL view on one fixture."""

from collections import defaultdict

from odoo.exceptions import AccessError
from odoo.tests import Form, freeze_time, new_test_user

from odoo.addons.billing_followup.tools import cash_forecast

from .followup_common import D, FollowupEngineCommon, day


def test_expected_date_and_amount():
    today = D
    assert cash_forecast.expected(day(10), 100.0, "punctual", 9.0, today) == (
        day(10),
        100.0,
    )
    # late but reliable: moved by its average days late, half a day up
    assert cash_forecast.expected(day(3), 200.0, "late_reliable", 12.5, today) == (
        day(16),
        200.0,
    )
    # at risk: moved and counted at half
    assert cash_forecast.expected(day(20), 400.0, "at_risk", 20.0, today) == (
        day(40),
        200.0,
    )
    # a promise keeps its date; nothing is expected before today
    assert cash_forecast.expected(day(4), 50.0, "at_risk", 9.0, today, False) == (
        day(4),
        25.0,
    )
    assert cash_forecast.expected(day(-20), 50.0, None, 0.0, today) == (day(0), 50.0)
    assert cash_forecast.horizon(day(3)) == (day(0), day(91))


class TestCashForecast(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.punctual = cls.customer
        cls.late, cls.risky, cls.new = Partner.create(
            [{"name": "Late Lilies"}, {"name": "Risky Roses"}, {"name": "New Ferns"}]
        )
        for partner, payer_class, late in (
            (cls.punctual, "punctual", 1.0),
            (cls.late, "late_reliable", 12.4),
            (cls.risky, "at_risk", 20.0),
        ):
            partner.with_company(cls.company).sudo().write(
                {"billing_payer_class": payer_class, "billing_avg_days_late": late}
            )

    def _fixture(self):
        invoice = self._invoice
        invoice(self.punctual, 100.0, day(-20), day(10))
        invoice(self.late, 200.0, day(-20), day(3))
        invoice(self.late, 50.0, day(-50), day(-20))  # overdue: expected now
        invoice(self.risky, 400.0, day(-20), day(20))
        invoice(self.risky, 70.0, day(-20), day(5))._billing_dispute("Wrong")
        invoice(self.new, 60.0, day(-20), day(5))
        invoice(self.new, 80.0, day(-20), day(100))  # beyond 13 weeks
        promised = invoice(self.punctual, 300.0, day(-35), day(-5))
        with freeze_time(day(0)):
            self.env["billing.followup.promise"].create(
                {
                    "partner_id": self.punctual.id,
                    "move_ids": promised.ids,
                    "amount": 120.0,
                    "date": day(14),
                }
            )
        self._pay(promised, 50.0, day(1))  # 70 of the promise left
        planned = invoice(self.late, 600.0, day(-60), day(-30))
        with freeze_time(day(0)):
            wizard = Form(
                self.env["billing.payment.plan.propose"].with_context(
                    active_model="account.move", active_ids=planned.ids
                )
            )
            wizard.count = 3
            wizard.first_date = day(7)
            action = wizard.save().action_propose()
            plan = self.env["billing.payment.plan"].browse(action["res_id"])
            plan.action_start()
        # 200 of 200, 50 of 200 paid: 150 and 200 left, on 9 April and 9 May
        self._pay(planned, 250.0, day(1))

    def _rows(self, Forecast=None):
        Forecast = Forecast or self.env["billing.cash.forecast"]
        rows = Forecast.with_context(billing_forecast_date=day(0)).search(
            [("company_id", "=", self.company.id)]
        )
        return sorted(
            (
                row.source,
                row.partner_id.name,
                (row.expected_date - D).days,
                row.expected_amount,
            )
            for row in rows
        )

    def test_rows_and_weeks(self):
        self._fixture()
        rows = self._rows()
        self.assertEqual(
            rows,
            sorted(
                [
                    ("item", "Orchid Florists", 10, 100.0),
                    ("item", "Late Lilies", 15, 200.0),  # due day 3, 12.4 late
                    ("item", "Late Lilies", 0, 50.0),
                    ("item", "Risky Roses", 40, 200.0),  # day 20 + 20, at half
                    ("item", "New Ferns", 5, 60.0),
                    ("promise", "Orchid Florists", 14, 70.0),
                    ("instalment", "Late Lilies", 38 + 12, 150.0),
                    ("instalment", "Late Lilies", 68 + 12, 200.0),
                ]
            ),
        )
        weeks = defaultdict(float)
        for _source, _name, days, amount in rows:
            weeks[days // 7] += amount
        self.assertEqual(
            dict(weeks),
            {0: 110.0, 1: 100.0, 2: 270.0, 5: 200.0, 7: 150.0, 11: 200.0},
        )
        groups = (
            self.env["billing.cash.forecast"]
            .with_context(billing_forecast_date=day(0))
            ._read_group(
                [("company_id", "=", self.company.id)],
                ["payer_class"],
                ["expected_amount:sum", "amount:sum"],
            )
        )
        self.assertEqual(
            {cls: tuple(values) for cls, *values in groups},
            {
                "punctual": (170.0, 170.0),
                "late_reliable": (600.0, 600.0),
                "at_risk": (200.0, 400.0),
                "new": (60.0, 60.0),
            },
        )

    def test_access_and_companies(self):
        self._fixture()
        company_b = self.setup_other_company(name="Company B")["company"]
        self._invoice(self.new, 500.0, day(-20), day(5), company_id=company_b.id)
        user = new_test_user(
            self.env,
            login="bf_forecast_user",
            groups="billing_followup.billing_followup_group_user",
            company_id=self.company.id,
        )
        Forecast = self.env["billing.cash.forecast"].with_user(user)
        self.assertEqual(len(self._rows(Forecast)), 8)
        every = Forecast.with_context(billing_forecast_date=day(0)).search([])
        self.assertEqual(every.company_id, self.company, "company B is not its own")
        clerk = new_test_user(
            self.env,
            login="bf_forecast_clerk",
            groups="account.group_account_readonly",
            company_id=self.company.id,
        )
        with self.assertRaises(AccessError):
            self.env["billing.cash.forecast"].with_user(clerk).search([])
