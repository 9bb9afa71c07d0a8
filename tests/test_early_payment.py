"""Odoo's early-payment discount: said in the messages sent before its
date (how much and until when), granted by Odoo's payment wizard inside the
window, after which the reminders stop."""

from odoo import Command

from .followup_common import FollowupEngineCommon, day


class TestEarlyPayment(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term = cls.env["account.payment.term"].create(
            {
                "name": "2/7 net 10",
                "early_discount": True,
                "discount_percentage": 2,
                "discount_days": 7,
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100, "nb_days": 10}
                    )
                ],
            }
        )

    def test_discount_said_then_applied_by_the_payment_wizard(self):
        invoice = self._invoice(
            self.customer, 1000.0, day(-10), invoice_payment_term_id=self.term.id
        )
        self.assertEqual(invoice.invoice_date_due, day(0))
        self._run(day(-3))  # heads-up, inside the discount window (until day -3)
        body = self._events(kind="email").mail_id.body_html
        self.assertIn("980.00", body)
        self.assertIn("you save", body)
        self.assertIn("20.00", body)

        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"payment_date": day(-3)})
        )
        self.assertEqual(wizard.amount, 980.0, "Odoo offers the discounted amount")
        wizard._create_payments()
        self.assertTrue(invoice.currency_id.is_zero(invoice.amount_residual))
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        for n in (1, 7, 14, 21):
            counts = self._run(day(n))
            self.assertFalse(counts.get("emails"), f"no reminder on day {n}")
        self.assertEqual(len(self._events(kind="email")), 1)

    def test_no_saving_said_after_the_discount_date(self):
        invoice = self._invoice(
            self.customer, 1000.0, day(-10), invoice_payment_term_id=self.term.id
        )
        self._run(day(1))
        body = self._events(kind="email").mail_id.body_html
        self.assertNotIn("you save", body)
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"payment_date": day(1)})
        )
        self.assertEqual(wizard.amount, 1000.0, "no discount after its date")
