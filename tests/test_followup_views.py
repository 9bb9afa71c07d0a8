"""The screens' back-end: run preview with look-ahead, step preview, the
customers to follow up and the invoice's follow-up status."""

from odoo.exceptions import UserError
from odoo.tests import Form, freeze_time

from .followup_common import FollowupEngineCommon, day, total_lines


class TestFollowupViews(FollowupEngineCommon):
    def test_run_preview_looks_ahead_and_runs_the_selected(self):
        other = self.customer.copy({"name": "Other customer"})
        self._invoice(self.customer, 100.0, day(-40), day(-2))
        self._invoice(other, 100.0, day(-40), day(5))
        wizard = self.env["billing.followup.run.preview"].create(
            {"date": day(0), "days": 30}
        )
        wizard.action_compute()
        today = wizard.line_ids.filtered(lambda ln: ln.date == day(0))
        self.assertEqual(today.partner_id, self.customer)
        self.assertEqual(today.contact_id, self.customer)
        self.assertIn("Email", today.channels)
        ahead = wizard.line_ids.filtered(lambda ln: ln.partner_id == other)
        self.assertEqual(ahead[0].date, day(2), "heads-up 3 days before day 5")
        self.assertFalse(self._events(self.customer | other), "a preview acts not")
        with freeze_time(day(0)):  # "Run now" runs today only
            with self.assertRaisesRegex(UserError, "Tick the customers"):
                wizard.action_run_selected()
            today.selected = True
            wizard.action_run_selected()
        self.assertEqual(self._events(kind="email").date, day(0))
        self.assertFalse(self._events(other))

    @freeze_time(day(0))
    def test_step_preview_shows_recipient_and_message(self):
        """The preview is of today: the customer's items as late as today."""
        invoice = self._invoice(self.customer, 321.0, day(-40), day(-2))
        preview = Form(
            self.env["billing.followup.step.preview"].with_context(
                default_step_id=self.steps[1].id
            )
        )
        preview.partner_id = self.customer
        self.assertEqual(preview.contact_id, self.customer)
        self.assertEqual(
            preview.subject,
            f"{self.company.name}: a kind reminder about your open balance",
        )
        self.assertIn(invoice.name, preview.body)
        self.assertIn("321.00", preview.body)
        self.assertEqual(total_lines(preview.body), ["Overdue now $ 321.00"])
        self.assertFalse(
            self.env["billing.followup.event"]
            .search([])
            .filtered(lambda e: e.partner_id == self.customer)
        )

    @freeze_time(day(0))
    def test_customers_to_follow_up_and_invoice_status(self):
        """Today is day 0: the invoice is 10 days late, the second reminder
        (7 days) is due today."""
        invoice = self._invoice(self.customer, 250.0, day(-40), day(-10))
        Partner = self.env["res.partner"]
        self.assertIn(self.customer, Partner.search([("billing_to_follow", "=", True)]))
        customer = self.customer.with_company(self.company)
        self.assertEqual(customer.billing_overdue_amount, 250.0)
        self.assertEqual(customer.billing_oldest_days_late, 10)
        self.assertEqual(customer.billing_next_date, day(0))
        self.assertIn("Second", customer.billing_next_action)
        self._run(day(0))
        invoice.invalidate_recordset(["billing_event_ids", "billing_followup_status"])
        self.assertEqual(invoice.billing_event_ids.step_id, self.steps[7])
        self.assertIn("Second", invoice.billing_followup_status)

    def test_letter_prints_the_customer_items_on_company_letterhead(self):
        self._invoice(self.customer, 432.0, day(-40), day(-22))
        self._run(day(0))
        letter = self._events(kind="letter")
        self.assertEqual(letter.step_id, self.steps[21])
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "billing_followup.report_followup_letter", letter.ids
        )
        html = html.decode()
        self.assertIn("432.00", html)
        self.assertIn(self.customer.name, html)
        self.assertIn(self.company.name, html)
        action = letter.action_print_letter()
        # the report itself, or the layout wizard that opens it once chosen
        self.assertIn("billing_followup.report_followup_letter", str(action))
