"""Loyalty credit: a customer who paid its last N invoices on time gets a
credit on its next customer invoice when it is posted, whatever made it (a
contract, a hand-made invoice): a line on it or a credit note against it
(company setting), once per run of invoices, and none while anything is
overdue."""

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
        cls.loyalty_account = cls.company_data["default_account_revenue"].copy(
            {"name": "Loyalty credits", "code": "709900"}
        )
        cls.company.write(
            {
                "billing_loyalty_streak": 2,
                "billing_loyalty_percent": 5.0,
                "billing_loyalty_cap": 40.0,
                "billing_loyalty_product_id": cls.product.id,
                "billing_loyalty_account_id": cls.loyalty_account.id,
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

    def _credit(self, invoice):
        return invoice.invoice_line_ids.filtered(
            lambda line: line.product_id == self.product
        )

    def _events(self, partner):
        return self.env["billing.followup.event"].search(
            [("partner_id", "=", partner.id), ("kind", "=", "loyalty")]
        )

    def test_credit_granted_once_per_run_of_invoices(self):
        contract = self._contract()
        self._paid_on_time(self.customer, 2)
        invoice = self._contract_invoice(contract)
        self.assertFalse(self._credit(invoice), "the credit comes at posting")
        self.assertFalse(self._events(self.customer))
        invoice.action_post()
        credit = self._credit(invoice)
        self.assertEqual(credit.price_unit, -40.0, "5 % of 1,000 capped at 40")
        self.assertEqual(credit.account_id, self.loyalty_account)
        self.assertEqual(invoice.amount_untaxed, 960.0)
        event = self._events(self.customer)
        self.assertEqual(len(event), 1)
        self.assertEqual(event.key, invoice.billing_loyalty_key)
        self.assertIn(invoice, event.move_ids)
        self._pay(invoice, date="2026-03-01")

        again = self._contract_invoice(contract)
        again.action_post()
        self.assertFalse(again.billing_loyalty_key, "same run: no second credit")
        self.assertFalse(self._credit(again))
        self.assertEqual(len(self._events(self.customer)), 1)

    def test_hand_made_invoice_gets_the_credit_when_posted(self):
        self._paid_on_time(self.customer, 2)
        invoice = self._invoice(self.customer, 300.0, "2026-03-01", post=False)
        self.assertFalse(invoice.billing_loyalty_key, "a draft carries nothing")
        invoice.action_post()
        self.assertEqual(self._credit(invoice).price_unit, -15.0, "5 % of 300")
        self.assertEqual(invoice.amount_total, 285.0)
        self.assertEqual(len(self._events(self.customer)), 1)

    def test_two_invoices_posted_together_get_one_credit(self):
        self._paid_on_time(self.customer, 2)
        first = self._invoice(self.customer, 300.0, "2026-03-01", post=False)
        second = self._invoice(self.customer, 500.0, "2026-03-01", post=False)
        (first | second).action_post()
        credited = (first | second).filtered("billing_loyalty_key")
        self.assertEqual(len(credited), 1)
        self.assertEqual(len(self._events(self.customer)), 1)
        self.assertEqual(len((first | second).invoice_line_ids), 3)

    def test_credit_note_mode_with_a_fixed_amount(self):
        self.company.write(
            {"billing_loyalty_mode": "credit_note", "billing_loyalty_amount": 25.0}
        )
        self._paid_on_time(self.customer, 2)
        invoice = self._invoice(self.customer, 300.0, "2026-03-01")
        self.assertFalse(self._credit(invoice), "the invoice itself is unchanged")
        self.assertEqual(invoice.amount_total, 300.0)
        note = invoice.billing_loyalty_credit_note_id
        self.assertEqual(note.move_type, "out_refund")
        self.assertEqual(note.state, "posted")
        self.assertEqual(note.amount_total, 25.0, "the fixed amount, not 5 %")
        self.assertEqual(note.invoice_line_ids.account_id, self.loyalty_account)
        self.assertEqual(note.payment_state, "paid", "reconciled with the invoice")
        self.assertEqual(invoice.amount_residual, 275.0)
        event = self._events(self.customer)
        self.assertEqual(len(event), 1)
        self.assertEqual(event.key, invoice.billing_loyalty_key)
        # the credit note is no invoice of its own: no credit on it, and
        # the next invoice of the same run gets none
        self.assertFalse(note.billing_loyalty_key)
        later = self._invoice(self.customer, 200.0, "2026-03-01")
        self.assertFalse(later.billing_loyalty_credit_note_id)

    def test_no_credit_for_late_payers_or_with_anything_overdue(self):
        contract = self._contract()
        self._paid_on_time(self.customer, 2, late=True)
        late = self._contract_invoice(contract)
        late.action_post()
        self.assertFalse(late.billing_loyalty_key)
        punctual = self.env["res.partner"].create({"name": "Punctual but overdue"})
        self._invoice(punctual, 50.0, "2026-01-20", "2026-02-10")  # overdue
        self._paid_on_time(punctual, 2)
        by_hand = self._invoice(punctual, 300.0, "2026-03-01")
        self.assertFalse(by_hand.billing_loyalty_key)
        self.assertFalse(self._events(punctual))

    def test_no_credit_on_a_fee_invoice_nor_when_the_setting_is_off(self):
        self._paid_on_time(self.customer, 2)
        self.company.billing_loyalty_streak = 0
        off = self._invoice(self.customer, 300.0, "2026-03-01")
        self.assertFalse(off.billing_loyalty_key)
        self.company.billing_loyalty_streak = 2
        policy = self.env["billing.late.fee.policy"].create(
            {
                "name": "Fixed",
                "company_id": self.company.id,
                "kind": "fixed",
                "fixed_amount": 10.0,
                "product_id": self.product.id,
            }
        )
        fee = self._invoice(
            self.customer, 10.0, "2026-03-01", billing_fee_policy_id=policy.id
        )
        self.assertFalse(fee.billing_loyalty_key)
        self.assertFalse(self._events(self.customer))

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
