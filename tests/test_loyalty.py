"""Loyalty credit: a customer who paid its last N invoices on time gets a
credit line on its next contract invoice, once per run of invoices, and
none while anything is overdue."""

from odoo.tests import freeze_time

from .contract_common import ContractCommon


@freeze_time("2026-03-01")
class TestLoyalty(ContractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "Loyalty credit", "type": "service", "taxes_id": False}
        )
        cls.company.write(
            {
                "billing_loyalty_streak": 2,
                "billing_loyalty_percent": 5.0,
                "billing_loyalty_cap": 40.0,
                "billing_loyalty_product_id": cls.product.id,
            }
        )

    def _paid_on_time(self, partner, count, late=False):
        for n in range(count):
            invoice = self._invoice(
                partner, 100.0, f"2026-01-0{n + 1}", f"2026-01-1{n + 1}"
            )
            self._pay(invoice, date="2026-02-20" if late else "2026-01-10")

    def _contract_invoice(self, contract):
        values = contract._prepare_invoice_values(
            [contract._prepare_invoice_line_values("Retainer", 1000.0)],
            invoice_date="2026-03-01",
        )
        return self.env["account.move"].create(values)

    def _events(self, partner):
        return self.env["billing.followup.event"].search(
            [("partner_id", "=", partner.id), ("kind", "=", "loyalty")]
        )

    def test_credit_granted_once_per_run_of_invoices(self):
        contract = self._contract()
        self._paid_on_time(self.customer, 2)
        invoice = self._contract_invoice(contract)
        credit = invoice.invoice_line_ids.filtered(
            lambda line: line.product_id == self.product
        )
        self.assertEqual(credit.price_unit, -40.0, "5 % of 1,000 capped at 40")
        self.assertEqual(invoice.amount_untaxed, 960.0)
        event = self._events(self.customer)
        self.assertEqual(len(event), 1)
        self.assertEqual(event.key, invoice.billing_loyalty_key)
        self.assertIn(invoice, event.move_ids)
        invoice.action_post()
        self._pay(invoice, date="2026-03-01")

        again = self._contract_invoice(contract)
        self.assertFalse(again.billing_loyalty_key, "same run: no second credit")
        self.assertNotIn(self.product, again.invoice_line_ids.product_id)
        self.assertEqual(len(self._events(self.customer)), 1)

    def test_no_credit_for_late_payers_or_with_anything_overdue(self):
        contract = self._contract()
        self._paid_on_time(self.customer, 2, late=True)
        self.assertFalse(self._contract_invoice(contract).billing_loyalty_key)
        punctual = self.env["res.partner"].create({"name": "Punctual but overdue"})
        other = self._contract(partner=punctual)
        self._paid_on_time(punctual, 2)
        self._invoice(punctual, 50.0, "2026-01-20", "2026-02-10")  # overdue
        self.assertFalse(self._contract_invoice(other).billing_loyalty_key)
        self.assertFalse(self._events(punctual))

    def test_thank_you_note_says_the_credit_is_coming(self):
        self._paid_on_time(self.customer, 2)
        event = (
            self.env["billing.followup.event"]
            .sudo()
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "date": "2026-03-01",
                    "kind": "thanks",
                    "contact_id": self.customer.id,
                }
            )
        )
        template = self.env.ref("billing_followup.mail_template_thanks")
        body = template._render_field("body_html", event.ids)[event.id]
        self.assertIn("loyalty credit", body)
        self.company.billing_loyalty_streak = 3  # not earned any more
        event.invalidate_recordset()
        body = template._render_field("body_html", event.ids)[event.id]
        self.assertNotIn("loyalty credit", body)
