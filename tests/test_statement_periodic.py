"""Monthly statements through the engine: sent on the chosen day with the
outstanding statement attached, once a month (reruns, next day, next
month), never with nothing open, not to customers who opted out or are
paused, not on a day a reminder went out, and counted as a contact for the
minimum interval; the statement a reminder step attaches is the outstanding
statement too."""

from datetime import date
from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, new_test_user

from odoo.addons.billing_followup.tools import followup_kinds as kinds
from odoo.addons.billing_followup.tools import followup_records as records

from .followup_common import FollowupEngineCommon, day

# day(0) is Monday 2 March 2026; the statement day of the sequence: the 5th
STATEMENT_DAY = day(3)


class TestPeriodicStatement(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sequence.statement_day = 5
        # not due before June: no reminder crosses the statements
        cls.invoice = cls._invoice(cls.customer, 300.0, day(-10), day(95))

    def _statements(self, partners=None):
        return self._events(partners, kind=kinds.STATEMENT)

    def test_sent_once_a_month_on_its_day(self):
        self.assertEqual(self._run(day(2))["statements"], 0, "the 4th: not yet")
        counts = self._run(STATEMENT_DAY)
        self.assertEqual(counts["statements"], 1)
        statement = self._statements()
        self.assertEqual(
            (statement.key, statement.date, statement.state),
            ("statement:2026-03", STATEMENT_DAY, kinds.DONE),
        )
        self.assertEqual(statement.line_ids.move_id, self.invoice)
        mail = statement.mail_id
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertIn("your statement of account", mail.subject)
        self.assertIn("300.00", mail.body_html)
        self.assertIn(
            f"/my/billing/{self.customer.id}/{self.company.id}?", mail.body_html
        )
        [pdf] = mail.attachment_ids
        self.assertEqual(pdf.name, "Statement 2026-03-05.pdf")
        # tests render the report's HTML in place of the PDF
        self.assertIn(b"Statement of account", pdf.raw)
        self.assertIn(self.invoice.name.encode(), pdf.raw)
        self.assertIn("Monthly statement", self.customer.message_ids[0].body)
        self.assertEqual(self._run(STATEMENT_DAY)["statements"], 0, "rerun")
        self.assertEqual(self._run(day(4))["statements"], 0, "next day")
        self.assertEqual(self._run(day(20))["statements"], 0, "later that month")
        self.assertEqual(self._run(date(2026, 4, 5))["statements"], 1, "April")
        self.assertEqual(
            self._statements().mapped("key"), ["statement:2026-03", "statement:2026-04"]
        )

    def test_a_missed_day_catches_up_within_the_month(self):
        self.assertEqual(self._run(day(10))["statements"], 1)
        self.assertEqual(self._run(date(2026, 4, 1))["statements"], 0)

    def test_a_crash_leaves_the_month_to_a_rerun(self):
        """The send fails after the event is recorded: the savepoint drops
        both, the rerun sends the statement once."""
        with patch.object(
            type(self.engine),
            "_perform_statement",
            side_effect=RuntimeError("mail server on fire"),
            autospec=True,
        ):
            counts = self._run(STATEMENT_DAY)
        self.assertEqual(counts["statements"], 0)
        self.assertEqual(counts["failed"], 1)
        self.assertEqual(self._statements().mapped("state"), [kinds.FAILED])
        self.assertEqual(self._run(STATEMENT_DAY)["statements"], 1)
        self.assertEqual(self._run(STATEMENT_DAY)["statements"], 0)
        sent = self._statements().filtered(lambda e: e.state == kinds.DONE)
        self.assertEqual(sent.key, "statement:2026-03")

    def test_not_sent_when_nothing_is_open(self):
        self._pay(self.invoice, date=day(0))
        self.assertEqual(self._run(STATEMENT_DAY)["statements"], 0)
        self.assertFalse(self._statements())

    def test_opt_out_and_pause(self):
        self.customer.with_company(self.company).billing_statement_opt_out = True
        self.assertEqual(self._run(STATEMENT_DAY)["statements"], 0)
        self.customer.with_company(self.company).billing_statement_opt_out = False
        with freeze_time(day(0)):
            self.customer.with_company(self.company).write(
                {"billing_paused_until": day(6), "billing_pause_reason": "Away"}
            )
        self.assertEqual(self._run(STATEMENT_DAY)["statements"], 0, "paused")
        self.assertEqual(self._run(day(7))["statements"], 1, "after the pause")

    def test_customer_day_and_no_day(self):
        self.customer.with_company(self.company).billing_statement_day = 10
        self.assertEqual(self._run(STATEMENT_DAY)["statements"], 0)
        self.assertEqual(self._run(day(8))["statements"], 1, "the 10th")
        other = self.customer.copy({"name": "No Statements"})
        self._invoice(other, 50.0, day(-10), day(95))
        self.sequence.statement_day = 0
        self.assertEqual(self._run(date(2026, 4, 20), other)["statements"], 0)

    def test_counts_as_a_contact_and_waits_for_a_reminder_day(self):
        """A reminder due on the statement day goes first, the statement the
        next day; the statement then holds the next reminder for the
        sequence's minimum interval (2 days)."""
        late = self._invoice(self.customer, 120.0, day(-30), day(2))
        counts = self._run(STATEMENT_DAY)
        self.assertEqual((counts.get("emails", 0), counts["statements"]), (1, 0))
        self.assertEqual(self._events(kind="email").step_id, self.steps[1])
        self.assertEqual(self._run(day(4))["statements"], 1)
        statement = self._statements()
        self.assertEqual(statement.line_ids.move_id, self.invoice | late)
        self.assertEqual(self._run(day(9))["emails"], 1, "step 7, day(4) is past")

    def test_statement_holds_the_next_reminder(self):
        self.sequence.statement_day = 11  # day(9), when step 7 is due
        late = self._invoice(self.customer, 120.0, day(-30), day(2))
        self._run(day(3))  # step 1 (day(3))
        counts = self._run(day(8))
        self.assertEqual(counts.get("emails", 0), 0, "step 7 is due on day(9)")
        # the statement day: the reminder goes first, the statement waits
        counts = self._run(day(9))
        self.assertEqual((counts.get("emails", 0), counts["statements"]), (1, 0))
        counts = self._run(day(10))
        self.assertEqual(counts["statements"], 1)
        self.assertIn(late, self._statements().line_ids.move_id)

    def test_statement_contact_delays_a_reminder(self):
        """A statement sent on day(9) delays step 7 of an item falling due
        meanwhile to day(11): the minimum interval counts it."""
        self.sequence.statement_day = 11
        counts = self._run(day(9))
        self.assertEqual(counts["statements"], 1)
        self._invoice(self.customer, 120.0, day(-30), day(2))
        counts = self._run(day(10))
        self.assertEqual(counts.get("emails", 0), 0)
        self.assertEqual(counts[kinds.skipped_key(records.SKIP_INTERVAL)], 1)
        self.assertEqual(self._run(day(11))["emails"], 1)

    def test_other_company_customers_get_their_own(self):
        company_b = self.setup_other_company(name="Company B")["company"]
        company_b.email = "billing@company-b.example"
        self.env["account.move"].with_company(company_b).create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": day(-10),
                "invoice_date_due": day(95),
                "company_id": company_b.id,
                "ref": "B-ONLY",
                "invoice_line_ids": [
                    (0, 0, {"name": "B work", "price_unit": 999.0, "tax_ids": []})
                ],
            }
        ).action_post()
        self._run(STATEMENT_DAY)
        statement = self._statements()
        self.assertEqual(statement.company_id, self.company, "B has no day")
        self.assertNotIn(b"B-ONLY", statement.mail_id.attachment_ids.raw)
        self.assertNotIn(b"999.00", statement.mail_id.attachment_ids.raw)


class TestReminderStatement(FollowupEngineCommon):
    def test_reminder_attaches_the_outstanding_statement(self):
        self.steps[7].attach_statement = True
        invoice = self._invoice(self.customer, 432.0, day(-40), day(-8))
        self._run(day(0))
        email = self._events(kind="email")
        self.assertEqual(email.step_id, self.steps[7])
        [pdf] = email.mail_id.attachment_ids
        self.assertEqual(pdf.name, f"Statement {day(0)}.pdf")
        self.assertIn(b"Statement of account", pdf.raw)
        self.assertIn(b"Open items on", pdf.raw)
        self.assertIn(invoice.name.encode(), pdf.raw)
        self.assertIn(b"31-60 days late", pdf.raw)


class TestStatementSettings(FollowupEngineCommon):
    def test_follow_up_user_sets_the_day_within_1_to_28(self):
        clerk = new_test_user(
            self.env,
            login="bf_statement_settings_clerk",
            groups="billing_followup.billing_followup_group_user",
            company_id=self.company.id,
        )
        Settings = self.env["billing.followup.partner.settings"].with_user(clerk)
        wizard = Settings.create({"partner_id": self.customer.id, "statement_day": 12})
        wizard.action_apply()
        customer = self.customer.with_company(self.company)
        self.assertEqual(customer.billing_statement_day, 12)
        wizard = Settings.create({"partner_id": self.customer.id, "statement_day": 29})
        with self.assertRaises(ValidationError):
            wizard.action_apply()
        with self.assertRaises(ValidationError):
            self.sequence.statement_day = 31
