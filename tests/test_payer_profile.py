"""Payer profiles: the plain computation on known histories, and the batch
refresh from real invoices and payments by the daily run."""

from datetime import date, timedelta

from odoo.addons.billing_followup.tools import payer_profile as pp

from .followup_common import FollowupEngineCommon


def test_new_client_with_two_late_invoices_is_new():
    history = [(date(2026, 1, 1), date(2026, 3, 1))] * 2
    assert pp.profile(history) == pp.Profile(pp.NEW, 2)


def test_punctual_late_reliable_and_at_risk():
    due = date(2026, 1, 10)
    on_time = [(due, due)] * 4 + [(due, due + timedelta(days=10))]
    found = pp.profile(on_time)
    assert (found.payer_class, found.avg_days_late, found.on_time_share) == (
        pp.PUNCTUAL,
        2.0,
        0.8,
    )
    late = [(due, due + timedelta(days=d)) for d in (10, 20, 30)]
    found = pp.profile(late)
    assert (found.payer_class, found.avg_days_late, found.median_days_late) == (
        pp.LATE_RELIABLE,
        20.0,
        20.0,
    )
    assert pp.profile([(due, due + timedelta(days=45))] * 3).payer_class == (pp.AT_RISK)


def test_usual_payment_day_around_month_end():
    paid = [date(2026, 1, 30), date(2026, 1, 31), date(2026, 3, 31), date(2026, 5, 1)]
    assert pp.usual_payment_day(paid) == 31
    assert pp.usual_payment_day([date(2026, 1, 25), date(2026, 2, 24)]) == 0
    scattered = [date(2026, m, d) for m, d in ((1, 1), (2, 10), (3, 20), (4, 28))]
    assert pp.usual_payment_day(scattered) == 0
    paid = [date(2026, m, d) for m, d in ((1, 25), (2, 24), (3, 26), (4, 10))]
    assert pp.usual_payment_day(paid) == 25


class TestPayerProfileRefresh(FollowupEngineCommon):
    def _history(self, partner, delays, start=date(2025, 6, 1)):
        for month, late in enumerate(delays):
            due = start + timedelta(days=30 * month)
            invoice = self._invoice(partner, 100, due - timedelta(days=30), due)
            self._pay(invoice, date=due + timedelta(days=late))

    def test_run_refreshes_profiles_of_customers(self):
        late_payer = self.customer.copy({"name": "Late Payer"})
        self._history(self.customer, [0, 0, 0, 0, 2])
        self._history(late_payer, [12, 15, 20])
        newcomer = self.customer.copy({"name": "Newcomer"})
        self._history(newcomer, [90])
        customers = self.customer | late_payer | newcomer
        counts = self.engine._run(date=date(2026, 1, 15), partners=customers)
        self.assertEqual(counts["payer_profiles"], 3)
        self.assertEqual(
            customers.mapped("billing_payer_class"),
            ["punctual", "late_reliable", "new"],
        )
        self.assertEqual(self.customer.billing_avg_days_late, 0.4)
        self.assertEqual(self.customer.billing_on_time_share, 0.8)
        self.assertEqual(late_payer.billing_median_days_late, 15.0)
        self.assertEqual(late_payer.billing_paid_invoice_count, 3)
        self.assertIn("15.7 days late", late_payer.billing_payer_rule)
        # a new client is not a late payer, whatever its one invoice says
        self.assertEqual(newcomer.billing_avg_days_late, 0.0)

    def test_usual_day_and_other_company_untouched(self):
        # due on the 20th each month, always paid on the 25th
        for month in (1, 2, 3, 4):
            due = date(2025, month, 20)
            invoice = self._invoice(self.customer, 100, due - timedelta(days=30), due)
            self._pay(invoice, date=date(2025, month, 25))
        other = self.setup_other_company()["company"]
        self.customer._billing_refresh_payer_profile(self.company, date(2025, 6, 1))
        self.assertEqual(self.customer.billing_usual_payment_day, 25)
        self.assertEqual(self.customer.billing_payer_class, "late_reliable")
        in_other = self.customer.with_company(other)
        self.assertFalse(in_other.billing_payer_class)
        self.assertEqual(in_other.billing_usual_payment_day, 0)
        # 24 months later the history is gone: a new client again
        self.customer._billing_refresh_payer_profile(self.company, date(2027, 6, 1))
        self.assertEqual(self.customer.billing_payer_class, "new")
        self.assertEqual(self.customer.billing_usual_payment_day, 0)

    def test_refresh_costs_fixed_queries(self):
        customers = self.customer | self.customer.copy() | self.customer.copy()
        self._history(customers[1], [1, 2, 3])
        customers[2]._billing_refresh_payer_profile(self.company, date(2026, 3, 1))
        cr, counts = self.env.cr, []
        for partners in (customers[:1], customers):
            partners.invalidate_recordset()
            before = cr.sql_log_count
            partners._billing_refresh_payer_profile(self.company, date(2026, 3, 1))
            counts.append(cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1], "as many queries for 1 as for 3")
        self.assertLessEqual(counts[1], 6)

    def test_broken_promises_make_a_customer_at_risk(self):
        self._history(self.customer, [0, 0, 0])
        Promise = self.env["billing.followup.promise"]
        for promised in ("2026-12-05", "2026-12-20"):
            invoice = self._invoice(self.customer, 100, "2026-01-01", "2026-01-31")
            promise = Promise.create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": invoice.ids,
                    "amount": 100,
                    "date": promised,
                }
            )
            self.assertEqual(promise.state, "open")
        self.engine._run(date=date(2026, 12, 28), partners=self.customer)
        invoice.billing_disputed = True
        self.customer._billing_refresh_payer_profile(self.company, date(2027, 1, 1))
        self.assertEqual(self.customer.billing_on_time_share, 1.0)
        self.assertEqual(self.customer.billing_broken_promise_count, 2)
        self.assertEqual(self.customer.billing_dispute_count, 1)
        self.assertEqual(self.customer.billing_payer_class, "at_risk")
        self.assertIn("2 promises to pay broken", self.customer.billing_payer_rule)
