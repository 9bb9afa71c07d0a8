"""Thank-you notes: one per settlement, once everything reminded is paid,
never for a payment still in flight, within the customer's sending rules;
a reminder cancelled for a payment in flight does not count as sent."""

from contextlib import contextmanager
from datetime import datetime
from unittest.mock import patch

from odoo import Command
from odoo.tests import freeze_time

from .followup_common import FollowupEngineCommon, day


class TestEngineThanks(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sequence.write(
            {
                "send_thanks": True,
                "thanks_template_id": cls.env.ref(
                    "billing_followup.mail_template_thanks"
                ).id,
            }
        )

    @contextmanager
    def _payments_in_flight(self):
        """Payments stay `in_payment` until matched with the bank, as with
        Odoo's accounting app installed."""
        with patch.object(
            type(self.env["account.move"]),
            "_get_invoice_in_payment_state",
            lambda move: "in_payment",
        ):
            yield

    def _pay_together(self, invoices, date):
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create({"payment_date": date, "group_payment": True})
        )
        return wizard._create_payments()

    def test_no_thanks_while_a_reminded_item_is_open(self):
        first = self._invoice(self.customer, 100.0, day(-40), day(-2))
        second = self._invoice(self.customer, 200.0, day(-40), day(3))
        self._run(day(0))  # reminder about the first
        self._run(day(5))  # second reminder, about both
        self.assertEqual(len(self._events(kind="email")), 2)
        self._pay(first, date=day(6))
        self.assertEqual(self._run(day(7))["thanks"], 0)
        self._pay(second, date=day(8))
        self.assertEqual(self._run(day(9))["thanks"], 1)
        thanks = self._events(kind="thanks")
        self.assertEqual(thanks.move_ids, first | second)
        self.assertEqual(self._run(day(10))["thanks"], 0)

    def test_one_thanks_when_one_payment_settles_two_cycles(self):
        first = self._invoice(self.customer, 100.0, day(-40), day(-2))
        second = self._invoice(self.customer, 200.0, day(-40), day(5))
        self._run(day(0))  # cycle of the first invoice
        first.billing_disputed = True
        self._run(day(6))  # the second starts its own cycle
        cycles = set(self._events(kind="email").mapped("cycle_date"))
        self.assertEqual(cycles, {day(-2), day(5)})
        first.billing_disputed = False
        self._pay_together(first | second, day(8))
        self.assertEqual(self._run(day(9))["thanks"], 1)
        self.assertEqual(self._run(day(10))["thanks"], 0)
        self.assertEqual(len(self._events(kind="thanks").mail_id), 1)

    def test_no_thanks_while_the_payment_is_in_flight(self):
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-2))
        self._run(day(0))
        with self._payments_in_flight():
            self._pay(invoice, date=day(1))
            self.assertEqual(invoice.payment_state, "in_payment")
            self.assertEqual(self._run(day(2))["thanks"], 0)
        invoice._compute_payment_state()
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(self._run(day(3))["thanks"], 1)

    def test_no_thanks_for_an_excluded_customer(self):
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-2))
        self._run(day(0))
        self.customer.with_company(self.company).billing_excluded = True
        self._pay(invoice, date=day(1))
        self.assertEqual(self._run(day(2))["thanks"], 0)
        self.assertFalse(self._events(kind="thanks"))

    def test_thanks_wait_for_a_sending_day(self):
        weekdays = self.env["billing.followup.weekday"].search([("number", "<", 5)])
        self.sequence.send_weekday_ids = [Command.set(weekdays.ids)]
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-2))
        self._run(day(0))
        self._pay(invoice, date=day(1))
        self.assertEqual(self._run(day(5))["thanks"], 0, "Saturday")
        self.assertEqual(self._run(day(7))["thanks"], 1, "Monday")
        self.assertEqual(self._events(kind="thanks").date, day(7))

    def test_thanks_wait_for_the_send_window(self):
        self.customer.tz = "UTC"
        self.sequence.write({"send_hour_from": 8.0, "send_hour_to": 17.0})
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-2))
        self._run(day(0))
        self._pay(invoice, date=day(1))
        with freeze_time(datetime(2026, 3, 4, 3, 0)):
            counts = self.engine._run(partners=self.customer)
        self.assertEqual(counts["thanks"], 0)
        with freeze_time(datetime(2026, 3, 4, 10, 0)):
            counts = self.engine._run(partners=self.customer)
        self.assertEqual(counts["thanks"], 1)

    def test_reminder_cancelled_for_a_failed_payment_goes_out(self):
        """Queued, cancelled because the payment was in flight, the payment
        then failed: the step is not counted as sent, it goes out again."""
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-2))
        self._run(day(0))
        email = self._events(kind="email")
        with self._payments_in_flight():
            payment = self._pay(invoice, date=day(0))
            email.mail_id.send()
        self.assertEqual(email.state, "cancelled")
        Event = self.env["billing.followup.event"]
        Event._billing_fill_keys()  # an upgrade does not take the key back
        self.assertEqual(email.key, f"withdrawn:{email.id}")
        payment.action_draft()
        payment.action_cancel()
        self.assertEqual(invoice.payment_state, "not_paid")
        counts = self._run(day(1))
        self.assertEqual(counts.get("emails"), 1, counts)
        resent = self._events(kind="email", state="done")
        self.assertEqual(resent.step_id, self.steps[1])
        self.assertEqual(resent.mail_id.state, "outgoing")
        Event._billing_fill_keys()
        self.assertEqual(email.key, f"withdrawn:{email.id}")
