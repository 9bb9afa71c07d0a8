"""Smaller rules of the engine: the heads-up's wording and key, the send
window's length, archived and empty sequences, invoices sent are not
reminders."""

from odoo.exceptions import ValidationError
from odoo.tests import freeze_time

from .followup_common import FollowupEngineCommon, day


class TestEngineSmallItems(FollowupEngineCommon):
    def test_heads_up_reached_late_names_the_due_date(self):
        """Invoiced the day before it is due: not "in a few days"."""
        self._invoice(self.customer, 100.0, day(-1), day(1))
        self._run(day(0))
        body = self._events(kind="email").mail_id.body_html
        self.assertNotIn("in a few days", body)
        self.assertIn("is due on 03/03/2026", body)

    def test_heads_up_on_the_due_date_says_today(self):
        self._invoice(self.customer, 100.0, day(-1), day(0))
        self._run(day(0))
        body = self._events(kind="email").mail_id.body_html
        self.assertNotIn("in a few days", body)
        self.assertIn("is due today", body)

    def test_heads_up_ahead_of_time_still_names_the_date(self):
        self._invoice(self.customer, 100.0, day(-10), day(3))
        self._run(day(0))
        body = self._events(kind="email").mail_id.body_html
        self.assertIn("is due on 03/05/2026", body)

    def test_second_invoice_due_the_same_day_gets_its_heads_up(self):
        first = self._invoice(self.customer, 100.0, day(-10), day(10))
        self._run(day(7))
        second = self._invoice(self.customer, 200.0, day(8), day(10))
        self._run(day(9))
        heads_ups = self._events(kind="email")
        self.assertEqual(len(heads_ups), 2)
        self.assertEqual(heads_ups[0].reminded_line_ids.move_id, first)
        self.assertEqual(heads_ups[1].reminded_line_ids.move_id, second)
        self.assertEqual(heads_ups[1].date, day(9))
        self._run(day(9))
        self.assertEqual(len(self._events(kind="email")), 2, "not twice")

    def test_send_window_shorter_than_an_hour_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "at least one hour"):
            self.sequence.write({"send_hour_from": 8.0, "send_hour_to": 8.5})
        self.sequence.write({"send_hour_from": 8.0, "send_hour_to": 9.0})
        self.assertEqual(self.sequence.send_hour_to, 9.0)

    def test_archived_sequence_is_not_used(self):
        own = self.sequence.copy({"name": "Own ladder"})
        self.customer.with_company(self.company).billing_followup_sequence_id = own
        own.active = False
        self._invoice(self.customer, 100.0, day(-40), day(-2))
        self._run(day(0))
        self.assertEqual(self._events(kind="email").step_id.sequence_id, self.sequence)

    def test_empty_sequence_is_reported(self):
        empty = self.env["billing.followup.sequence"].create(
            {"name": "No steps", "company_id": self.company.id}
        )
        self.customer.with_company(self.company).billing_followup_sequence_id = empty
        self._invoice(self.customer, 100.0, day(-40), day(-2))
        counts = self._run(day(0))
        self.assertEqual(counts.get("skipped_no_steps"), 1, counts)
        self.assertFalse(counts.get("skipped_nothing_due"), counts)

    def test_sending_the_invoice_is_not_a_reminder_contact(self):
        """A customer invoiced weekly still gets its reminders."""
        self._invoice(self.customer, 100.0, day(-40), day(-2))
        new = self._invoice(self.customer, 300.0, day(-1), day(29))
        with freeze_time("2026-03-01 19:00:00"):
            self.env["account.move.send"]._generate_and_send_invoices(
                new, sending_methods=["email"]
            )
        self.assertTrue(new.is_move_sent)
        self.assertFalse(self._events(kind="manual"))
        self.assertEqual(self._run(day(0)).get("emails"), 1)

    def test_invoice_sent_with_its_template_is_not_a_reminder_contact(self):
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-2))
        template = self.env.ref("account.email_template_edi_invoice")
        with freeze_time("2026-03-01 19:00:00"):
            composer = (
                self.env["mail.compose.message"]
                .with_context(
                    default_model="account.move",
                    default_res_ids=invoice.ids,
                    default_template_id=template.id,
                    default_composition_mode="comment",
                )
                .create({})
            )
            composer._action_send_mail()
        self.assertIn(self.customer, invoice.message_ids[:1].partner_ids)
        self.assertFalse(self._events(kind="manual"))
        self.assertEqual(self._run(day(0)).get("emails"), 1)
