"""Aging of receivables: buckets on a given date from real invoices and
payments, the pure bucket function, the date wizard, access and companies."""

from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user

from odoo.addons.billing_followup.tools import aging

from .common import BillingFollowupCommon


def test_bucket_bounds():
    assert [aging.bucket(d) for d in (-5, 0, 1, 30, 31, 60, 61, 90, 91)] == [
        "current",
        "current",
        "1_30",
        "1_30",
        "31_60",
        "31_60",
        "61_90",
        "61_90",
        "90_plus",
    ]
    on = date(2026, 3, 31)
    items = [(date(2026, 3, 31), 100.0), (date(2025, 12, 1), 50.0)]
    assert aging.aging(items, on) == {
        "current": 100.0,
        "1_30": 0.0,
        "31_60": 0.0,
        "61_90": 0.0,
        "90_plus": 50.0,
    }


class TestAgingReport(BillingFollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        invoice = cls._invoice
        c = cls.customer
        invoice(c, 100, "2026-03-01", "2026-03-31")
        invoice(c, 200, "2026-02-14", "2026-03-16")
        invoice(c, 300, "2026-01-15", "2026-02-14")
        invoice(c, 400, "2025-12-16", "2026-01-15")
        cls.oldest = invoice(c, 500, "2025-11-01", "2025-12-01")
        cls._pay(cls.oldest, amount=200, date="2026-04-10")
        cls.settled = invoice(c, 50, "2026-02-01", "2026-03-01")
        cls._pay(cls.settled, date="2026-03-20")

    def _aging(self, on, user=None):
        Report = self.env["billing.aging.report"].with_context(billing_aging_date=on)
        if user:
            Report = Report.with_user(user)
        groups = Report._read_group(
            [("partner_id", "=", self.customer.id)], ["bucket"], ["amount_residual:sum"]
        )
        return dict(groups)

    def test_buckets_on_a_date(self):
        self.assertEqual(
            self._aging("2026-03-31"),
            {
                "current": 100.0,
                "1_30": 200.0,
                "31_60": 300.0,
                "61_90": 400.0,
                "90_plus": 500.0,
            },
        )

    def test_buckets_in_their_natural_order(self):
        """The pivot and graph show buckets as read_group returns them:
        current first, 90+ last, not alphabetically (1-30 ... current)."""
        Report = self.env["billing.aging.report"].with_context(
            billing_aging_date="2026-03-31"
        )
        domain = [("partner_id", "=", self.customer.id)]
        natural = ["current", "1_30", "31_60", "61_90", "90_plus"]
        groups = Report._read_group(domain, ["bucket"], ["__count"])
        self.assertEqual([bucket for bucket, _count in groups], natural)
        groups = Report._read_group(
            domain, ["partner_id", "bucket"], ["__count"], order="bucket desc"
        )
        self.assertEqual([bucket for _p, bucket, _c in groups], natural[::-1])
        rows = Report.formatted_read_group(domain, ["bucket"], ["__count"])
        self.assertEqual([row["bucket"] for row in rows], natural)
        # the pivot reads its rows and columns as grouping sets
        by_partner, by_bucket = Report.formatted_read_grouping_sets(
            domain, [["partner_id", "bucket"], ["bucket"]], ["__count"]
        )
        self.assertEqual([row["bucket"] for row in by_bucket], natural)
        self.assertEqual([row["bucket"] for row in by_partner], natural)

    def test_payments_count_from_their_date(self):
        # before the payment of the 20th, the settled invoice was 14 days late
        self.assertEqual(self._aging("2026-03-15")["1_30"], 50.0 + 300.0)
        # after the partial payment of 10 April, 300 of the oldest is left;
        # 90 days late is still 61-90
        on_15_april = self._aging("2026-04-15")
        self.assertEqual((on_15_april["90_plus"], on_15_april["61_90"]), (300, 400))
        # nothing of what was invoiced after the date
        self.assertEqual(
            self._aging("2026-01-20"),
            {"31_60": 500.0, "1_30": 400.0, "current": 300.0},
        )

    def test_today_uses_the_open_amounts(self):
        today = self._aging(False)
        self.assertEqual(sum(today.values()), 100 + 200 + 300 + 400 + 300)
        self.assertEqual(set(today), {"90_plus"})

    def test_wizard_opens_aging_on_its_date(self):
        form = Form(self.env["billing.aging.wizard"])
        form.date = date(2026, 3, 31)
        action = form.save().action_open()
        self.assertEqual(action["res_model"], "billing.aging.report")
        self.assertEqual(action["context"], {"billing_aging_date": "2026-03-31"})

    def test_access_and_companies(self):
        other = self.setup_other_company(name="Company B")["company"]
        self._invoice(
            self.customer, 999, "2026-03-01", "2026-03-31", company_id=other.id
        )
        clerk = new_test_user(
            self.env,
            login="bf_aging_clerk",
            groups="billing_followup.billing_followup_group_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        self.assertEqual(self._aging("2026-03-31", clerk)["current"], 100.0)
        self.assertEqual(self._aging("2026-03-31")["current"], 100.0 + 999.0)
        outsider = new_test_user(
            self.env, login="bf_aging_outsider", groups="base.group_user"
        )
        with self.assertRaises(AccessError):
            self._aging("2026-03-31", outsider)
