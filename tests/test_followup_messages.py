"""What a reminder says is true: no invented history, computed facts,
credits and items not due shown apart, a sender and a person greeted."""

from odoo import Command
from odoo.tests import freeze_time
from odoo.tools import format_date

from .followup_common import FollowupEngineCommon, day, total_lines


class TestFollowupMessages(FollowupEngineCommon):
    def _body(self, customer=None, step_offset=None):
        events = self._events(customer, kind="email")
        if step_offset is not None:
            events = events.filtered(lambda e: e.step_id.offset_days == step_offset)
        return " ".join(events[-1:].mail_id.body_html.split())

    def test_catch_up_first_contact_claims_no_earlier_reminder(self):
        """Reached 16 days late (first run after install), the call step is
        the first message of the cycle: it says so, not "despite"."""
        self._invoice(self.customer, 300.0, day(-46), day(-16))
        self._run(day(0))
        body = self._body(step_offset=14)
        self.assertIn("The items below are overdue and still unpaid.", body)
        self.assertNotIn("Despite", body)
        self.assertNotIn("earlier", body)
        self.assertNotIn("second reminder", self._events(kind="email").mail_id.subject)

    def test_real_second_reminder_names_the_dates_sent(self):
        self._invoice(self.customer, 300.0, day(-30), day(-1))
        self._run(day(0))  # reminder (1 day late)
        self._run(day(6))  # statement (7 days late)
        self._run(day(13))  # firmer (14 days late)
        body = self._body(step_offset=14)
        dates = ", ".join(format_date(self.env, d) for d in (day(0), day(6)))
        self.assertIn(f"Despite our reminders of {dates}, the items", body)
        self.assertNotIn("overdue and still unpaid", body)
        statement = self._body(step_offset=7)
        self.assertIn(
            f"which we wrote to you about on {format_date(self.env, day(0))}", statement
        )

    def test_final_notice_counts_the_real_days_late(self):
        late_45 = self.customer
        late_90 = self.customer.copy({"name": "Late ninety"})
        self._invoice(late_45, 100.0, day(-60), day(-45))
        # an old credit note is not an overdue item: it does not count as late
        self._invoice(late_45, 10.0, day(-100), day(-100), move_type="out_refund")
        self._invoice(late_90, 100.0, day(-120), day(-90))
        self._run(day(0), late_45 | late_90)
        for customer, days in ((late_45, 45), (late_90, 90)):
            body = self._body(customer, step_offset=21)
            self.assertIn(f"is now {days} days overdue.", body)
            for phrase in (
                "three weeks",
                "late fee",
                "agreement",
                "payment plan",
                "on hold",
            ):
                self.assertNotIn(phrase, body)

    def test_final_notice_names_the_credit_hold_only_when_the_ladder_has_one(self):
        hold = self.env["billing.followup.stage"].create(
            {"name": "Credit hold", "sequence": 90, "credit_hold": True}
        )
        self.sequence.write(
            {
                "step_ids": [
                    Command.create(
                        {
                            "name": "Hold",
                            "offset_days": 30,
                            "send_email": False,
                            "create_activity": True,
                            "stage_id": hold.id,
                        }
                    )
                ]
            }
        )
        self._invoice(self.customer, 100.0, day(-50), day(-21))
        self._run(day(0))
        body = self._body(step_offset=21)
        hold_date = format_date(self.env, day(9))  # due date + 30 days
        self.assertIn(
            f"hear from you by {hold_date}, we will have to put your account on hold",
            body,
        )

    def test_credits_and_items_not_due_shown_apart(self):
        self.steps[14].attach_invoices = True
        overdue = self._invoice(self.customer, 300.0, day(-40), day(-16))
        coming = self._invoice(self.customer, 200.0, day(-5), day(10))
        refund = self._invoice(
            self.customer, 50.0, day(-3), day(-3), move_type="out_refund"
        )
        self._run(day(0))
        body = self._body(step_offset=14)
        for text in ("Overdue", "Coming up", "Your credits", "Overdue now"):
            self.assertIn(text, body)
        self.assertRegex(body, rf"Overdue</strong>.*{overdue.name}.*Coming up")
        self.assertRegex(body, rf"Coming up</strong>.*{coming.name}.*Your credits")
        self.assertRegex(body, rf"Your credits</strong>.*{refund.name}")
        self.assertEqual(
            total_lines(body), ["Overdue now $ 250.00", "Total open balance $ 450.00"]
        )
        mail = self._events(kind="email").mail_id
        names = mail.attachment_ids.mapped("name")
        self.assertTrue(any(overdue.name.replace("/", "_") in n for n in names), names)
        self.assertFalse(any(refund.name.replace("/", "_") in n for n in names), names)

    def test_no_sender_no_reminder(self):
        self._invoice(self.customer, 100.0, day(-30), day(-1))
        self.company.email = False
        counts = self._run(day(0))
        self.assertEqual(counts.get("skipped_no_sender"), 1)
        self.assertFalse(self._events())
        self.company.email = "billing@company-a.example"
        counts = self._run(day(0))
        self.assertEqual(counts.get("emails"), 1)
        self.assertIn(
            "billing@company-a.example", self._events(kind="email").mail_id.email_from
        )

    def test_run_now_says_why_nothing_went_out(self):
        self._invoice(self.customer, 100.0, day(-30), day(-1))
        self.company.email = False
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.billing_company_email, "the settings warn")
        with freeze_time(day(0)):
            wizard = self.env["billing.followup.run.preview"].create({"date": day(0)})
            wizard.action_compute()
            wizard.line_ids.filtered(lambda ln: ln.date == day(0)).selected = True
            action = wizard.action_run_selected()
        self.assertIn(
            f"{self.company.name} has no email address to send reminders from: "
            "1 not sent.",
            action["params"]["message"],
        )
        self.assertFalse(self._events())

    def test_greeting_a_person_by_name_a_company_neutrally(self):
        company_customer = self.customer.copy(
            {"name": "Acme Holdings SA", "is_company": True}
        )
        person = self.env["res.partner"].create(
            {
                "name": "Maria Lopez",
                "type": "invoice",
                "parent_id": self.customer.id,
                "email": "maria@orchid-florists.example",
            }
        )
        self._invoice(self.customer, 100.0, day(-30), day(-1))
        self._invoice(company_customer, 100.0, day(-30), day(-1))
        self._run(day(0), self.customer | company_customer)
        self.assertIn(person, self._events(kind="email").contact_id)
        self.assertIn("<p>Hello Maria Lopez,</p>", self._body())
        body = self._body(company_customer)
        self.assertIn("<p>Hello,</p>", body)
        self.assertNotIn("Acme Holdings SA,", body)
        self.assertNotIn("Early payment", body)

    def test_early_payment_column_only_with_a_discount(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "30 days, 2 % at 10 days",
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
        self._invoice(self.customer, 100.0, day(0), invoice_payment_term_id=term.id)
        self._run(day(7))  # heads-up: 3 days before the due date, discount on day 8
        body = self._body()
        self.assertIn("Early payment", body)
        self.assertIn("Coming up", body)
        self.assertNotIn("Overdue now", body)

    def test_chatter_keeps_a_summary_not_the_table(self):
        self._invoice(self.customer, 100.0, day(-30), day(-1))
        self._run(day(0))
        event = self._events(kind="email")
        message = event.mail_id.mail_message_id
        self.assertEqual(message.model, "res.partner")
        self.assertIn("See the reminder", message.body)
        self.assertIn(f"/odoo/billing.followup.event/{event.id}", message.body)
        self.assertNotIn("<table", message.body)
        self.assertIn("<table", event.mail_id.body_html)
