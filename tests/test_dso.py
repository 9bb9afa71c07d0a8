"""Days sales outstanding by both methods: the plain arithmetic, and the
SQL report per customer and per company over 12 months."""

from datetime import date

from odoo.addons.billing_followup.tools import aging

from .common import BillingFollowupCommon


def test_dso_methods_by_hand():
    # 7300 owed; sales 3100 (31 days), 5600 (28 days), 3100 (31 days)
    assert aging.dso_simple(7300, 3100 + 5600 + 3100, 90) == 55.7
    assert aging.dso_countback(7300, [(3100, 31), (5600, 28), (3100, 31)]) == 52.0
    assert aging.dso_countback(99999, [(10, 31), (10, 28), (10, 31)]) == 90.0
    assert aging.dso_countback(500, [(0, 31), (1000, 28)]) == 45.0
    assert aging.dso_simple(100, 0, 90) == 0.0


class TestDsoReport(BillingFollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        january = cls._invoice(cls.customer, 3100, "2026-01-10", "2026-02-09")
        february = cls._invoice(cls.customer, 5600, "2026-02-10", "2026-03-12")
        cls._invoice(cls.customer, 3100, "2026-03-10", "2026-04-09")
        cls._pay(january, date="2026-02-20")
        cls._pay(february, amount=1400, date="2026-03-20")

    def _rows(self, level):
        return (
            self.env["billing.dso.report"]
            .with_context(billing_dso_date="2026-03-31")
            .search(
                [("level", "=", level), ("company_id", "=", self.company.id)],
                order="month",
            )
        )

    def test_customer_and_company_dso_at_month_end(self):
        for level in ("customer", "company"):
            rows = self._rows(level)
            self.assertEqual(len(rows), 12, "a 12-month trend")
            self.assertEqual(rows[0].month, date(2025, 4, 1))
            march = rows[-1]
            self.assertEqual(
                (march.month, march.sales, march.receivable),
                (date(2026, 3, 1), 3100.0, 7300.0),
            )
            self.assertEqual((march.dso_simple, march.dso_countback), (55.7, 52.0))
        self.assertEqual(self._rows("customer")[-1].partner_id, self.customer)
        # February: 5600 owed against 5600 of February's sales: 28 days
        february = self._rows("customer")[-2]
        self.assertEqual((february.receivable, february.dso_countback), (5600, 28.0))
        # over February, January and December: 90 days
        self.assertEqual(february.dso_simple, round(5600 / 8700 * 90, 1))

    def test_company_trend_groups_by_month(self):
        groups = (
            self.env["billing.dso.report"]
            .with_context(billing_dso_date="2026-03-31")
            ._read_group(
                [("level", "=", "company"), ("company_id", "=", self.company.id)],
                ["month:month"],
                ["dso_countback:avg"],
            )
        )
        self.assertEqual(len(groups), 12)
        self.assertEqual(groups[-1][1], 52.0)
