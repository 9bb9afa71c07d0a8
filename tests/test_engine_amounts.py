"""Amounts are exact: netting in each document currency with its rounding,
credits applied to the oldest items first, a minimum amount, Odoo's own
early-payment discount, stages cleared and reviewed notices re-checked."""

from odoo import Command

from .followup_common import FollowupEngineCommon, day


class TestEngineAmounts(FollowupEngineCommon):
    def _unapplied_payment(self, amount, date, currency=None):
        """A customer payment registered without any invoice (a credit)."""
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "amount": amount,
                "date": date,
                "journal_id": self.company_data["default_journal_bank"].id,
                "currency_id": (currency or self.company.currency_id).id,
            }
        )
        payment.action_post()
        self.assertTrue(payment.move_id, "the payment must book a receivable credit")
        return payment

    def test_cents_that_net_to_zero_mean_nothing_due(self):
        """1,802.95 + 62.15 - 1,865.10 is 2e-13 in floats: nothing is due."""
        self._invoice(self.customer, 1802.95, day(-40), day(-10))
        self._invoice(self.customer, 62.15, day(-30), day(-5))
        self._unapplied_payment(1865.10, day(-2))
        for n in (0, 7, 14, 21):
            counts = self._run(day(n))
            self.assertEqual(counts.get("skipped_nothing_due"), 1, counts)
        self.assertFalse(self._events())

    def test_foreign_payment_at_another_rate_covers_its_invoice(self):
        """1,000 EUR invoiced at 1.0 and paid at 2.0: in company currency 500
        looks due, in the document currency nothing is."""
        eur = self.setup_other_currency(
            "EUR", rates=[("2000-01-01", 1.0), ("2026-03-01", 2.0)]
        )
        self._invoice(self.customer, 1000.0, day(-40), day(-10), currency_id=eur.id)
        self._unapplied_payment(1000.0, day(-1), currency=eur)
        counts = self._run(day(0))
        self.assertEqual(counts.get("skipped_nothing_due"), 1, counts)
        self.assertFalse(self._events())

    def test_a_credit_in_another_currency_does_not_cover_a_debt(self):
        """Netting is per currency: a EUR credit leaves the USD invoice due."""
        eur = self.setup_other_currency("EUR", rates=[("2000-01-01", 0.5)])
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-2))
        self._unapplied_payment(1000.0, day(-5), currency=eur)
        self._run(day(0))
        email = self._events(kind="email")
        self.assertEqual(email.reminded_line_ids.move_id, invoice)

    def test_credits_cover_the_oldest_items_first(self):
        """A credit covering the overdue invoice: no overdue reminder, only
        the heads-up about the invoice not due yet."""
        self._invoice(self.customer, 300.0, day(-40), day(-10))
        self._invoice(self.customer, 300.0, day(-5), move_type="out_refund")
        later = self._invoice(self.customer, 500.0, day(-20), day(5))
        self.assertFalse(self._run(day(0)).get("emails"))
        self.assertFalse(self._events())
        self._run(day(2))
        heads_up = self._events(kind="email")
        self.assertEqual(heads_up.step_id, self.steps[-3])
        self.assertEqual(heads_up.reminded_line_ids.move_id, later)
        self.assertEqual(heads_up.line_ids.move_id, later)

    def test_a_partial_credit_leaves_the_oldest_item_overdue(self):
        oldest = self._invoice(self.customer, 300.0, day(-40), day(-10))
        self._invoice(self.customer, 200.0, day(-5), move_type="out_refund")
        self._invoice(self.customer, 500.0, day(-20), day(5))
        self._run(day(0))
        email = self._events(kind="email")
        self.assertEqual(email.step_id, self.steps[7])
        self.assertEqual(email.reminded_line_ids.move_id, oldest)

    def test_a_leftover_below_the_minimum_never_climbs(self):
        """0.01 left on an invoice: no reminder, no stage, ever."""
        self.company.billing_min_amount = 5.0
        stage = self.env["billing.followup.stage"].create(
            {"name": "Hold", "credit_hold": True}
        )
        self.steps[21].stage_id = stage
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-2))
        self._pay(invoice, amount=99.99, date=day(-1))
        self.assertAlmostEqual(invoice.amount_residual, 0.01)
        for n in range(0, 40, 3):
            self._run(day(n))
        self.assertFalse(self._events())
        self.assertFalse(self.customer.with_company(self.company).billing_stage_id)

    def test_minimum_is_converted_to_the_document_currency(self):
        """5.00 USD is 2.50 EUR at 0.5: 3 EUR is reminded, 2 EUR is not."""
        self.company.billing_min_amount = 5.0
        eur = self.setup_other_currency("EUR", rates=[("2000-01-01", 0.5)])
        small = self.customer.copy({"name": "Small balance"})
        self._invoice(self.customer, 3.0, day(-40), day(-2), currency_id=eur.id)
        self._invoice(small, 2.0, day(-40), day(-2), currency_id=eur.id)
        self._run(day(0), self.customer | small)
        self.assertEqual(len(self._events(kind="email")), 1)
        self.assertFalse(self._events(small))

    def test_setting_the_minimum_in_the_settings(self):
        settings = self.env["res.config.settings"].create({})
        settings.billing_min_amount = 12.5
        settings.execute()
        self.assertEqual(self.env.company.billing_min_amount, 12.5)

    def _discount_term(self):
        return self.env["account.payment.term"].create(
            {
                "name": "2/8 net 10",
                "early_discount": True,
                "discount_percentage": 2,
                "discount_days": 8,
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100, "nb_days": 10}
                    )
                ],
            }
        )

    def test_no_early_discount_after_a_partial_payment(self):
        """Odoo grants no early discount once a payment was matched."""
        invoice = self._invoice(
            self.customer,
            1000.0,
            day(-5),
            invoice_payment_term_id=self._discount_term().id,
        )
        self._pay(invoice, amount=100.0, date=day(-3))
        self.assertFalse(
            invoice._is_eligible_for_early_payment_discount(invoice.currency_id, day(2))
        )
        self._run(day(2))
        body = self._events(kind="email").mail_id.body_html
        self.assertIn("900.00", body)
        self.assertNotIn("if paid by", body)
        self.assertNotIn("980.00", body)

    def test_early_discount_shown_only_until_its_date(self):
        invoice = self._invoice(
            self.customer,
            1000.0,
            day(-10),
            invoice_payment_term_id=self._discount_term().id,
        )
        self._run(day(-3))  # heads-up on the discount's last day
        first = self._events(kind="email").mail_id
        self.assertIn("980.00", first.body_html)
        self.assertEqual(invoice.invoice_date_due, day(0))
        self._run(day(1))  # kind reminder, discount expired
        second = self._events(kind="email", step_id=self.steps[1].id).mail_id
        self.assertNotIn("980.00", second.body_html)
        self.assertNotIn("if paid by", second.body_html)

    # Stage and review -----------------------------------------------------

    def test_stage_and_credit_hold_are_cleared_when_nothing_is_overdue(self):
        hold = self.env["billing.followup.stage"].create(
            {"name": "Hold", "credit_hold": True}
        )
        self.steps[1].stage_id = hold
        still_late = self.customer.copy({"name": "Still late"})
        customers = self.customer | still_late
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-2))
        other = self._invoice(still_late, 100.0, day(-40), day(-2))
        self._invoice(self.customer, 50.0, day(-1), day(20))  # not due yet
        self._run(day(0), customers)
        for customer in customers:
            self.assertEqual(customer.with_company(self.company).billing_stage_id, hold)
            self.assertTrue(customer.with_company(self.company).billing_credit_hold)
        self._pay(invoice, date=day(1))
        self._pay(other, amount=40.0, date=day(1))
        self._run(day(2), customers)
        customer = self.customer.with_company(self.company)
        good = self.env.ref("billing_followup.stage_good_standing")
        self.assertEqual(customer.billing_stage_id, good)
        self.assertFalse(customer.billing_credit_hold)
        cleared = self._events(kind="stage", date=day(2))
        self.assertEqual(len(cleared), 1)
        self.assertEqual((cleared.stage_from_id, cleared.stage_id), (hold, good))
        self.assertEqual(
            still_late.with_company(self.company).billing_stage_id, hold, "still late"
        )
        self._run(day(3), customers)
        self.assertEqual(len(self._events(kind="stage")), 2, "cleared once")

    def test_clearing_stages_does_not_trip_the_breaker(self):
        """A day of payments clears many stages: no message, nothing held."""
        self.company.write({"billing_breaker_minimum": 1, "billing_breaker_factor": 3})
        hold = self.env["billing.followup.stage"].create({"name": "Hold"})
        customers = self.customer | self.customer.copy({"name": "Second"})
        for customer in customers:
            customer.with_company(self.company).with_context(
                billing_stage_reason="Test"
            ).billing_stage_id = hold
        counts = self._run(day(0), customers)
        self.assertNotIn("held_by_breaker", counts)
        self.assertEqual(counts["stages_cleared"], 2)
        self.assertEqual(
            customers.with_company(self.company).billing_stage_id,
            self.env.ref("billing_followup.stage_good_standing"),
        )

    def test_stage_cleared_for_a_customer_with_nothing_open(self):
        hold = self.env["billing.followup.stage"].create(
            {"name": "Hold", "credit_hold": True}
        )
        self.steps[1].stage_id = hold
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-2))
        self._run(day(0))
        self._pay(invoice, date=day(1))
        self._run(day(2))
        self.assertEqual(
            self.customer.with_company(self.company).billing_stage_id,
            self.env.ref("billing_followup.stage_good_standing"),
        )
        self.assertEqual(len(self._events(kind="stage")), 2)

    def test_reviewed_final_notice_drops_the_items_paid_since(self):
        self.steps[21].needs_review = True
        paid = self._invoice(self.customer, 111.0, day(-60), day(-25))
        open_ = self._invoice(self.customer, 222.0, day(-60), day(-22))
        self._run(day(0))
        waiting = self._events(kind="email", state="to_review")
        self.assertEqual(waiting.move_ids, paid | open_)
        self._pay(paid, date=day(1))
        waiting.action_send()
        self.assertEqual(waiting.state, "done")
        self.assertEqual(waiting.move_ids, open_)
        self.assertEqual(waiting.reminded_line_ids.move_id, open_)
        self.assertIn("222.00", waiting.mail_id.body_html)
        self.assertNotIn("111.00", waiting.mail_id.body_html)

    def test_reviewed_final_notice_with_everything_paid_is_cancelled(self):
        self.steps[21].needs_review = True
        invoice = self._invoice(self.customer, 111.0, day(-60), day(-25))
        self._run(day(0))
        waiting = self._events(state="to_review")
        self.assertEqual(set(waiting.mapped("kind")), {"email", "letter"})
        self._pay(invoice, date=day(1))
        waiting.action_send()
        self.assertEqual(set(waiting.mapped("state")), {"cancelled"})
        self.assertFalse(waiting.mail_id)
