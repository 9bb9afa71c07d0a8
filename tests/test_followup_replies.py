"""Replies reach a person: a client's emailed reply to a follow-up email,
routed by Odoo's mail gateway (`message_process`), lands in the customer's
chatter, gives the responsible an activity, shows in the review list and
pauses the automated reminders until someone acts."""

from odoo.tests import freeze_time, new_test_user

from .followup_common import FollowupEngineCommon, day

REPLY = """From: {sender}
To: billing@company-a.example
Subject: Re: {subject}
Message-ID: <{reply_id}@orchid-florists.example>
In-Reply-To: {parent}
References: {parent}
Date: Mon, 2 Mar 2026 10:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{body}
"""


class TestFollowupReplies(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(
            cls.env,
            login="bf_replies_clerk",
            groups="account.group_account_invoice,"
            "billing_followup.billing_followup_group_user",
            company_id=cls.company.id,
        )
        cls.customer.with_company(cls.company).billing_responsible_id = cls.clerk
        # due on day 0: the reminder on day 1, the second reminder on day 7
        cls.invoice = cls._invoice(cls.customer, 100.0, day(-30), day(0))

    def _reply(self, event, on, sender=None, body="We paid last week, see attached."):
        """The client's reply to the email of `event`, through the gateway."""
        mail = event.mail_id
        raw = REPLY.format(
            sender=sender or '"Orchid Accounts" <accounts@orchid-florists.example>',
            subject=mail.subject,
            reply_id=f"reply-{event.id}-{on.isoformat()}",
            parent=mail.message_id,
            body=body,
        )
        with freeze_time(on):
            self.env["mail.thread"].message_process(None, raw)
        return self._events(kind="reply")

    def _first_reminder(self):
        self._run(day(1))
        reminder = self._events(kind="email")
        self.assertEqual(reminder.step_id, self.steps[1])
        self.assertTrue(reminder.mail_id.message_id)
        return reminder

    def test_reply_lands_in_chatter_notifies_and_pauses(self):
        reminder = self._first_reminder()
        self._reply(reminder, day(6))
        reply = self._reply(reminder, day(6))  # the same email fetched again
        self.assertEqual(len(reply), 1, "one email, one event")
        self.assertEqual(reply.date, day(6))
        self.assertEqual(reply.replied_event_id, reminder)
        message = reply.reply_message_id
        self.assertEqual(
            (message.model, message.res_id), ("res.partner", self.customer.id)
        )
        self.assertEqual(message.parent_id, reminder.mail_id.mail_message_id)
        self.assertEqual(message.author_id, self.customer)
        self.assertEqual(reply.key, f"reply:{message.id}")
        self.assertIn("We paid last week", message.body)
        # the responsible is asked to answer
        self.assertEqual(reply.activity_id.user_id, self.clerk)
        self.assertEqual(reply.activity_id.res_id, self.customer.id)
        self.assertEqual(reply.activity_id.date_deadline, day(6))

        # the sequence pauses 3 days after the reply: the second reminder
        # (due on day 7) waits until day 10
        with freeze_time(day(7)):
            self.assertEqual(self.customer.billing_replied_on, day(6))
            self.assertIn("client replied on", self.customer.billing_hold_text)
            forecast = self.engine._look_ahead(day(7), 10, self.customer)
        self.assertEqual(
            [(on, a.step_id) for _p, _c, on, a, _s in forecast][:1],
            [(day(10), self.steps[7].id)],
        )
        self.assertEqual(self._run(day(7)).get("skipped_replied"), 1)
        self.assertEqual(self._run(day(9)).get("skipped_replied"), 1)
        self.assertEqual(self._events(kind="email"), reminder)
        self._run(day(10))
        self.assertEqual(self._events(kind="email")[-1].step_id, self.steps[7])

    def test_reply_pause_length_is_the_sequence_setting(self):
        self.sequence.reply_pause_days = 1
        reminder = self._first_reminder()
        self._reply(reminder, day(6))
        self.assertEqual(self._run(day(7)).get("skipped_replied"), 1)
        self._run(day(8))
        self.assertEqual(self._events(kind="email")[-1].step_id, self.steps[7])

    def test_reply_from_an_unknown_address_lands_on_the_customer(self):
        reminder = self._first_reminder()
        reply = self._reply(
            reminder, day(6), sender='"Someone" <someone@elsewhere.example>'
        )
        self.assertEqual(len(reply), 1)
        self.assertEqual(reply.partner_id, self.customer)
        self.assertEqual(reply.contact_id, reminder.contact_id)
        message = reply.reply_message_id
        self.assertFalse(message.author_id)
        self.assertEqual(message.email_from, '"Someone" <someone@elsewhere.example>')
        self.assertEqual(message.res_id, self.customer.id)
        self.assertEqual(self._run(day(7)).get("skipped_replied"), 1)

    def test_reply_to_a_thank_you_note_counts_too(self):
        self._enable_thanks()
        reminder = self._first_reminder()
        self._pay(self.invoice, date=day(3))
        self._run(day(4))
        thanks = self._events(kind="thanks")
        self.assertTrue(thanks.mail_id)
        reply = self._reply(thanks, day(5), body="You are welcome!")
        self.assertEqual(reply.replied_event_id, thanks)
        self.assertNotEqual(reply.replied_event_id, reminder)

    def test_reply_to_a_monthly_statement_counts_too(self):
        self.sequence.statement_day = 5  # day 3
        self._first_reminder()
        self._run(day(3))
        statement = self._events(kind="statement")
        self.assertTrue(statement.mail_id)
        reply = self._reply(statement, day(4), body="Our balance differs.")
        self.assertEqual(reply.replied_event_id, statement)
        self.assertEqual(self._run(day(7)).get("skipped_replied"), 1)

    def test_handled_button_ends_the_pause(self):
        reminder = self._first_reminder()
        reply = self._reply(reminder, day(6))
        activity = reply.activity_id
        with freeze_time(day(7)):
            self.customer.with_user(self.clerk).action_billing_reply_handled()
            self.assertFalse(self.customer.billing_replied_on)
        self.assertFalse(activity.exists().active, "the reply's activity is done")
        handled = self._events(kind="reply_handled")
        self.assertEqual(len(handled), 1, "one answer, not one more per activity")
        self.assertEqual(handled.user_id, self.clerk)
        self._run(day(7))
        self.assertEqual(self._events(kind="email")[-1].step_id, self.steps[7])

    def test_activity_done_or_call_logged_ends_the_pause(self):
        reminder = self._first_reminder()
        reply = self._reply(reminder, day(6))
        with freeze_time(day(7)):
            reply.activity_id.with_user(self.clerk).action_feedback("Called back")
        self.assertEqual(self._events(kind="reply_handled").note, "Called back")
        self._run(day(7))
        self.assertEqual(self._events(kind="email")[-1].step_id, self.steps[7])

        # a second reply pauses again; a call logged answers it
        second = self._events(kind="email")[-1]
        self._reply(second, day(8))
        self.assertEqual(self._run(day(9)).get("skipped_replied"), 1)
        with freeze_time(day(9)):
            action = self.customer.with_user(self.clerk).action_billing_log_call()
            self.env[action["res_model"]].with_user(self.clerk).with_context(
                action["context"]
            ).create({"outcome": "reached"}).action_log()
            self.assertFalse(self.customer.billing_replied_on)
        self.assertNotIn("skipped_replied", self._run(day(10)))

    def test_an_answer_from_the_chatter_ends_the_pause(self):
        reminder = self._first_reminder()
        reply = self._reply(reminder, day(6))
        with freeze_time(day(7)):
            self.customer.with_user(self.clerk).message_post(
                body="Thank you, we found your payment.",
                partner_ids=self.customer.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                parent_id=reply.reply_message_id.id,
            )
            self.assertFalse(self.customer.billing_replied_on)
        self.assertEqual(len(self._events(kind="manual")), 1)
        self.assertFalse(self._events(kind="reply_handled"))

    def test_promise_settled_by_the_run_is_no_answer(self):
        reminder = self._first_reminder()
        self._reply(reminder, day(6))
        with freeze_time(day(6)):
            promise = (
                self.env["billing.followup.promise"]
                .with_user(self.clerk)
                .create(
                    {
                        "partner_id": self.customer.id,
                        "move_ids": self.invoice.ids,
                        "amount": 100.0,
                        "date": day(7),
                    }
                )
            )
        with freeze_time(day(6)):
            self.assertFalse(self.customer.billing_replied_on, "a promise answers")
        self._reply(reminder, day(8))
        self._run(day(10))  # the run breaks the promise: no answer to the reply
        self.assertEqual(promise.state, "broken")
        with freeze_time(day(10)):
            self.customer.invalidate_recordset(["billing_replied_on"])
            self.assertEqual(self.customer.billing_replied_on, day(8))

    def test_review_list_shows_client_replied(self):
        reminder = self._first_reminder()
        self._reply(reminder, day(6))
        self.customer.with_company(self.company).billing_followup_manual = True
        self._run(day(10))
        Review = self.env["billing.followup.review"].with_user(self.clerk)
        line = Review.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(line.step_id, self.steps[7])
        self.assertEqual(line.replied_on, day(6))
        self.assertEqual(Review.search([("replied_on", "!=", False)]), line)
        with freeze_time(day(10)):
            line.action_reply_handled()
        line.invalidate_recordset()
        self.assertFalse(Review.search([("replied_on", "!=", False)]))
        self.assertTrue(Review.search([("partner_id", "=", self.customer.id)]))

    def test_a_reply_elsewhere_or_from_staff_is_not_a_client_reply(self):
        reminder = self._first_reminder()
        note = self.customer.message_post(
            body="Internal remark", message_type="comment"
        )
        raw = REPLY.format(
            sender='"Orchid Accounts" <accounts@orchid-florists.example>',
            subject="Remark",
            reply_id="other",
            parent=note.message_id,
            body="Answer to something else",
        )
        with freeze_time(day(6)):
            self.env["mail.thread"].message_process(None, raw)
        self.assertFalse(self._events(kind="reply"))
        self.clerk.partner_id.email = "clerk@company-a.example"
        self._reply(reminder, day(6), sender=self.clerk.partner_id.email_formatted)
        self.assertFalse(self._events(kind="reply"), "staff writes, no client reply")
        self.assertNotIn("skipped_replied", self._run(day(7)))
