from datetime import timedelta

from odoo.tests import TransactionCase


class TestDemoData(TransactionCase):
    """The demo database shows every follow-up case the README promises."""

    def _invoice(self, key):
        return self.env.ref(f"billing_followup.demo_invoice_{key}")

    def _days_overdue(self, invoice):
        """Days past due on the day the demo was loaded (dates are relative)."""
        return (invoice.create_date.date() - invoice.invoice_date_due).days

    def test_invoices_due_soon_and_overdue(self):
        overdue = {
            key: self._days_overdue(self._invoice(key))
            for key in ("lumen", "harbor", "northwind", "atlas", "cobalt", "solar")
        }
        self.assertEqual(
            overdue,
            {
                "lumen": -3,
                "harbor": 5,
                "northwind": 20,
                "atlas": 45,
                "cobalt": 90,
                "solar": 20,
            },
        )
        for key in overdue:
            invoice = self._invoice(key)
            self.assertEqual(invoice.state, "posted")
            self.assertEqual(invoice.payment_state, "not_paid")

    def test_one_paid_on_time(self):
        invoice = self._invoice("greenleaf")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        payment_dates = {
            line.date for line in invoice.line_ids.matched_credit_ids.credit_move_id
        }
        self.assertTrue(payment_dates)
        self.assertTrue(all(date <= invoice.invoice_date_due for date in payment_dates))

    def test_one_in_foreign_currency(self):
        invoice = self._invoice("solar")
        self.assertEqual(invoice.currency_id, self.env.ref("base.EUR"))
        self.assertNotEqual(invoice.currency_id, invoice.company_id.currency_id)
        self.assertEqual(invoice.partner_id.country_id.code, "ES")

    def test_one_customer_on_a_payment_plan(self):
        plan = self.env.ref("billing_followup.demo_payment_plan_birch")
        self.assertEqual(plan.state, "running")
        self.assertEqual(plan.move_ids, self._invoice("birch"))
        self.assertEqual(plan.line_ids.mapped("amount"), [500.0] * 3)
        self.assertEqual(self._days_overdue(self._invoice("birch")), 30)
        [(_on, decision, _seq)] = (
            self.env["billing.followup.engine"]._plan(partners=plan.partner_id).values()
        )
        self.assertEqual(decision.reason, "nothing_due", "no ladder while planned")

    def test_one_customer_charged_a_late_fee_by_the_daily_run(self):
        """Quarry & Stone's contract announces late interest; its invoice is
        17 days late: the daily run (on a weekday, as the ladder sends)
        charges one fee, shown with its computation, and only once."""
        invoice = self._invoice("quarry")
        self.assertEqual(self._days_overdue(invoice), 17)
        policy = self.env.ref("billing_followup.demo_late_fee_policy")
        self.assertEqual(invoice.billing_contract_id.late_fee_policy_id, policy)
        self.assertEqual(invoice.billing_contract_id.state, "signed")
        on = invoice.create_date.date()
        while on.weekday() >= 5:
            on += timedelta(days=1)
        engine = self.env["billing.followup.engine"]
        self.assertEqual(engine._run(date=on, partners=invoice.partner_id)["fees"], 1)
        fee = invoice.billing_fee_ids
        days = (on - invoice.invoice_date_due).days
        self.assertEqual(fee.state, "posted")
        self.assertEqual(fee.amount_total, round(40.0 + 4800.0 * 0.12 * days / 365, 2))
        self.assertIn(f"overdue {days} days", fee.invoice_line_ids.name)
        self.assertIn("interest", fee.invoice_line_ids.name)
        again = engine._run(date=on, partners=invoice.partner_id)
        self.assertEqual(again.get("fees", 0), 0)
        self.assertEqual(len(invoice.billing_fee_ids), 1)

    def test_a_morning_on_the_dashboard(self):
        """The demo's promise due today and its dispute reach the dashboard;
        Cobalt is followed up by another accountant."""
        company = self.env.ref("base.main_company")
        admin = self.env.ref("base.user_admin")
        rows = (
            self.env["billing.followup.dashboard"]
            .with_user(admin)
            .search([("company_id", "=", company.id)])
        )
        cards = {row.card: (row.count_mine, row.count_all) for row in rows}
        self.assertEqual(cards["promises_due"], (1, 1))
        self.assertEqual(cards["disputes"], (1, 1))
        cobalt = self.env.ref("billing_followup.demo_partner_cobalt")
        self.assertEqual(
            cobalt.with_company(company).billing_responsible_id,
            self.env.ref("base.user_demo"),
        )
