"""The engine on real invoices, payments and dates."""

import contextlib
from unittest.mock import patch

from odoo import Command
from odoo.tests import freeze_time
from odoo.tools import mute_logger

from odoo.addons.billing_followup.models import billing_followup_engine
from odoo.addons.billing_followup.tools import followup_decision as logic

from .followup_common import FollowupEngineCommon, day, total_lines


class Crash(BaseException):
    """Stands for the process dying half-way through a run: not an error
    the engine can record and go on from, as a failing customer is."""


class TestEngineTimeline(FollowupEngineCommon):
    def test_sixty_days_of_a_customer(self):
        """Two invoices, a credit note, a partial then a full payment: one
        message per step of the customer's ladder, each listing every item."""
        a = self._invoice(self.customer, 1000.0, day(-20), day(10))
        b = self._invoice(self.customer, 500.0, day(-18), day(12))
        credit = self._invoice(
            self.customer, 100.0, day(5), move_type="out_refund", label="Refund"
        )
        sent = []
        for n in range(61):
            if n == 14:
                self._pay(b, amount=200.0, date=day(14))
            if n == 30:
                self._pay(a, date=day(30))
            self._run(day(n))
            self._run(day(n))  # a second run the same day adds nothing
            for event in self._events(date=day(n), kind="email"):
                sent.append((n, event.step_id.offset_days, event.move_ids))
        self.assertEqual(
            [(n, offset) for n, offset, _moves in sent],
            [(7, -3), (9, -3), (11, 1), (17, 7), (24, 14), (33, 21)],
        )
        self.assertEqual(sent[0][2], a, "the heads-up is only about A")
        self.assertEqual(sent[1][2], b, "the heads-up is only about B")
        self.assertEqual(sent[2][2], a | b | credit, "a reminder lists every item")
        self.assertEqual(sent[5][2], b | credit, "A was paid on day 30")
        emails = self._events(kind="email")
        self.assertEqual(len(emails.mail_id), 6)
        self.assertEqual(emails.mail_id.recipient_ids, self.customer)
        second = emails.filtered(lambda e: e.step_id.offset_days == 7).mail_id
        self.assertIn("300.00", second.body_html, "B's residual after payment")
        self.assertRegex(second.body_html, r"-\W?100\.00", "the credit note nets")
        self.assertIn("1,200.00", second.body_html, "total due")
        call = self._events(kind="activity")
        self.assertEqual(call.date, day(24))
        self.assertEqual(call.activity_id.activity_type_id.name, "Call")
        self.assertEqual(self._events(kind="letter").date, day(33))

    def test_catch_up_after_a_gap(self):
        """A week without runs: only the step the customer is at now."""
        self._invoice(self.customer, 800.0, day(-40), day(-16))
        counts = self._run(day(0))
        self.assertEqual(counts["emails"], 1)
        self.assertEqual(self._events().step_id, self.steps[14])
        self.assertEqual(set(self._events().mapped("kind")), {"email", "activity"})
        self._run(day(1))
        self._run(day(4))
        self.assertEqual(len(self._events()), 2)

    def test_credit_note_covering_the_debt(self):
        self._invoice(self.customer, 300.0, day(-40), day(-10))
        self._invoice(self.customer, 300.0, day(-5), move_type="out_refund")
        counts = self._run(day(0))
        self.assertEqual(counts.get("skipped_nothing_due"), 1, counts)
        self.assertFalse(self._events())

    def test_instalments_are_followed_line_by_line(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "Half now, half in 30 days",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 50, "nb_days": 0}
                    ),
                    Command.create(
                        {"value": "percent", "value_amount": 50, "nb_days": 30}
                    ),
                ],
            }
        )
        invoice = self._invoice(
            self.customer, 1000.0, day(-5), invoice_payment_term_id=term.id
        )
        self._run(day(0))
        event = self._events(kind="email")
        self.assertEqual(event.step_id, self.steps[1])
        self.assertEqual(len(event.line_ids), 2, "both instalments are listed")
        self.assertEqual(len(event.reminded_line_ids), 1, "only the first is late")
        self.assertEqual(event.move_ids, invoice)

    def test_foreign_currency_items_in_their_currency(self):
        eur = self.setup_other_currency("EUR", rates=[("2000-01-01", 0.5)])
        usd = self._invoice(self.customer, 1000.0, day(-40), day(-2))
        self._invoice(self.customer, 400.0, day(-40), day(-3), currency_id=eur.id)
        self._invoice(self.customer, 50.0, day(-40), day(-1), currency_id=eur.id)
        self._run(day(0))
        body = self._events(kind="email").mail_id.body_html
        self.assertEqual(usd.currency_id.name, "USD")
        self.assertEqual(  # one line per currency, by currency code
            total_lines(body), ["Overdue now 450.00 €", "Overdue now $ 1,000.00"]
        )

    def test_exclusion(self):
        self._invoice(self.customer, 100.0, day(-40), day(-2))
        self.customer.with_company(self.company).billing_excluded = True
        self.assertEqual(self._run(day(0)).get("skipped_excluded"), 1)
        self.assertFalse(self._events())

    def test_weekday_rule(self):
        self._invoice(self.customer, 100.0, day(-40), day(-2))
        monday = self.env.ref("billing_followup.weekday_0")
        self.customer.billing_no_send_weekday_ids = monday
        self.assertEqual(self._run(day(0)).get("skipped_weekday"), 1)
        self._run(day(1))
        self.assertEqual(self._events(kind="email").date, day(1))

    def test_manual_send_counts_for_the_interval(self):
        """An invoice sent by hand yesterday evening: no reminder this morning."""
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-2))
        with freeze_time("2026-03-01 19:00:00"):
            invoice.message_post(
                body="Here is your invoice again",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.customer.ids,
            )
        manual = self._events(kind="manual")
        self.assertEqual(manual.date, day(-1))
        self.assertEqual(self._run(day(0)).get("skipped_interval"), 1)
        self._run(day(1))
        self.assertEqual(self._events(kind="email").date, day(1))

    def test_internal_note_is_not_a_contact(self):
        """A note is not a contact; a message to the customer is, on its day."""
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-2))
        with freeze_time("2026-03-01 09:00:00"):
            invoice.message_post(body="Customer is slow", subtype_xmlid="mail.mt_note")
        self.assertFalse(self._events(kind="manual"))
        self.assertEqual(self._run(day(0))["emails"], 1, "the note did not count")
        with freeze_time("2026-03-06 10:00:00"):
            invoice.message_post(
                body="Could you confirm the payment date?",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.customer.ids,
            )
        manual = self._events(kind="manual")
        self.assertEqual(manual.date, day(4))
        # the second step is due on day 5, within 2 days of that message
        self.assertEqual(self._run(day(5)).get("skipped_interval"), 1)
        self._run(day(6))
        second = self._events(kind="email", step_id=self.steps[7].id)
        self.assertEqual(second.date, day(6))

    def test_paid_between_planning_and_sending(self):
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-2))
        self._run(day(0))
        event = self._events(kind="email")
        mail = event.mail_id
        self.assertEqual(mail.state, "outgoing")
        self._pay(invoice, date=day(0))
        mail.send()
        self.assertEqual(mail.state, "cancel")
        self.assertEqual(event.state, "cancelled")

    def test_pending_online_payment_holds_the_reminder(self):
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-2))
        provider = self.env["payment.provider"].create(
            {"name": "Test provider", "state": "test", "company_id": self.company.id}
        )
        self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
                "amount": 100.0,
                "currency_id": invoice.currency_id.id,
                "partner_id": self.customer.id,
                "reference": "TEST-PENDING",
                "state": "pending",
                "invoice_ids": [Command.set(invoice.ids)],
            }
        )
        self.assertEqual(self._run(day(0)).get("skipped_nothing_due"), 1)

    def test_changed_due_date_is_judged_on_the_new_date(self):
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-2))
        line = invoice.line_ids.filtered(lambda ln: ln.date_maturity)
        line.date_maturity = day(10)
        self._run(day(0))
        self.assertFalse(self._events())
        self.assertEqual(self._run(day(6)).get("skipped_nothing_due"), 1)
        self._run(day(7))
        heads_up = self._events(kind="email")
        self.assertEqual(heads_up.date, day(7))
        self.assertEqual(heads_up.step_id, self.steps[-3])
        self.assertEqual(heads_up.reminded_line_ids, line)
        self.assertIn("03/12/2026", heads_up.mail_id.body_html, "the new due date")
        self.assertNotIn("02/28/2026", heads_up.mail_id.body_html)

    def test_undeliverable_contact_gets_an_activity(self):
        self.customer.email = "not an email"
        self._invoice(self.customer, 100.0, day(-40), day(-2))
        counts = self._run(day(0))
        self.assertEqual(counts["undeliverable"], 1)
        email = self._events(kind="email")
        self.assertEqual(email.state, "failed")
        self.assertFalse(email.mail_id)
        self.assertIn("malformed", email.note)
        activity = self._events(kind="activity")
        self.assertEqual(activity.activity_id.res_id, self.customer.id)
        self.assertIn("malformed", self.customer.billing_email_problem)

    def test_no_address_blacklisted_or_bouncing_gets_an_activity(self):
        """Each reason an email would not arrive: no email, a task instead."""
        no_email = self.customer.copy({"name": "No email", "email": False})
        blacklisted = self.customer.copy(
            {"name": "Blacklisted", "email": "gone@blacklisted.example"}
        )
        self.env["mail.blacklist"]._add(blacklisted.email)
        bouncing = self.customer.copy(
            {"name": "Bouncing", "email": "full@bouncing.example"}
        )
        bouncing.message_bounce = 3
        fine = self.customer
        customers = no_email | blacklisted | bouncing | fine
        for customer in customers:
            self._invoice(customer, 100.0, day(-40), day(-2))
        counts = self._run(day(0), customers)
        self.assertEqual(counts["undeliverable"], 3)
        self.assertEqual(counts["emails"], 1)
        for customer, reason in (
            (no_email, "No email has no email address"),
            (blacklisted, "gone@blacklisted.example is blacklisted"),
            (bouncing, "Emails to full@bouncing.example bounce"),
        ):
            email = self._events(customer, kind="email")
            self.assertEqual(email.state, "failed")
            self.assertFalse(email.mail_id)
            self.assertEqual(email.note, reason)
            activity = self._events(customer, kind="activity").activity_id
            self.assertEqual(activity.res_id, customer.id)
            self.assertEqual(activity.user_id, self.env.user)
            self.assertEqual(activity.date_deadline, day(0))
        self.assertEqual(self._events(fine, kind="email").state, "done")
        self.assertFalse(self._events(fine, kind="activity"))

    def test_thank_you_when_the_reminded_item_is_paid(self):
        self._enable_thanks()
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-2))
        self._run(day(0))
        self._pay(invoice, date=day(1))
        self.assertEqual(self._run(day(2))["thanks"], 1)
        thanks = self._events(kind="thanks")
        self.assertIn("thank you", thanks.mail_id.subject.lower())
        self.assertEqual(self._run(day(3))["thanks"], 0)

    def test_no_thanks_when_a_credit_note_settles_the_item(self):
        self._enable_thanks()
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-2))
        self._run(day(0))
        with freeze_time(day(1)):  # a credit note of a later day is auto-posted
            reversal = (
                self.env["account.move.reversal"]
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create({"journal_id": invoice.journal_id.id, "date": day(1)})
            )
            reversal.refund_moves()
            invoice.reversal_move_ids.action_post()
        self.assertEqual(invoice.payment_state, "reversed")
        self.assertEqual(self._run(day(2))["thanks"], 0)

    def test_crash_between_two_customers_then_rerun(self):
        other = self.customer.copy({"name": "Second customer"})
        customers = self.customer | other
        for customer in customers:
            self._invoice(customer, 100.0, day(-40), day(-2))
        send = type(self.engine)._send_emails
        calls = []

        def crash_on_second(engine, events):
            calls.extend(events.partner_id.ids)
            if len(calls) == 2:
                raise Crash()
            return send(engine, events)

        with (
            patch.object(billing_followup_engine, "BATCH_SIZE", 1),
            patch.object(type(self.engine), "_send_emails", crash_on_second),
            contextlib.suppress(Crash),
        ):
            self._run(day(0), customers)
        self.assertEqual(len(self._events(customers, kind="email")), 1)
        first = self._events(customers).partner_id
        self._run(day(0), customers)
        emails = self._events(customers, kind="email")
        self.assertEqual(emails.partner_id, customers)
        self.assertEqual(len(emails), 2)
        self.assertEqual(len(self._events(first, kind="email")), 1)

    def test_two_companies_in_one_run(self):
        """Each message carries only its company's items and sender."""
        company_b = self.setup_other_company(name="Company B")["company"]
        company_b.write({"email": "billing@company-b.example"})
        company_b.billing_followup_sequence_id = self.sequence.copy(
            {"name": "B ladder", "company_id": company_b.id}
        )
        inv_a = self._invoice(self.customer, 111.0, day(-40), day(-2))
        inv_b = self._invoice(
            self.customer, 222.0, day(-40), day(-2), company_id=company_b.id
        )
        engine = self.engine.with_context(
            allowed_company_ids=(self.company | company_b).ids
        )
        engine._run(date=day(0), partners=self.customer)
        emails = self._events(kind="email").sudo()
        self.assertEqual(len(emails), 2)
        for event, invoice, company in (
            (emails.filtered(lambda e: e.company_id == self.company), inv_a, "a"),
            (emails.filtered(lambda e: e.company_id == company_b), inv_b, "b"),
        ):
            self.assertEqual(event.move_ids, invoice)
            self.assertIn(f"company-{company}.example", event.mail_id.email_from)
            amount = f"{invoice.amount_total:.2f}"
            other = f"{((inv_a | inv_b) - invoice).amount_total:.2f}"
            self.assertIn(amount, event.mail_id.body_html)
            self.assertNotIn(other, event.mail_id.body_html)

    def test_unique_index_stops_a_duplicate_the_python_checks_missed(self):
        """With the ledger unseen (a stale snapshot), the database refuses the
        second (customer, step, cycle) and the run skips the customer."""
        self._invoice(self.customer, 100.0, day(-40), day(-2))
        self._run(day(0))
        history = type(self.engine)._history

        def blind_history(engine, keys, lines):
            return {key: logic.History() for key in history(engine, keys, lines)}

        with (
            patch.object(type(self.engine), "_history", blind_history),
            mute_logger("odoo.sql_db"),
        ):
            counts = self._run(day(0))
        self.assertEqual(counts["skipped_conflict"], 1)
        self.assertEqual(len(self._events(kind="email")), 1)
        self.assertEqual(len(self._events(kind="email").mail_id), 1)
