"""The client talks to us: promises to pay, disputes, pauses, calls, a
reminder sent by hand and manual mode, through the real run."""

from contextlib import contextmanager

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, new_test_user

from .followup_common import FollowupEngineCommon, day


class TestFollowupClientTalks(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(
            cls.env,
            login="bf_talks_clerk",
            groups="account.group_account_invoice,"
            "billing_followup.billing_followup_group_user",
            company_id=cls.company.id,
        )
        cls.Promise = cls.env["billing.followup.promise"].with_user(cls.clerk)

    @contextmanager
    def _refused(self, error, text):
        """Like assertRaisesRegex, in a savepoint (Odoo's assertRaises)."""
        with self.assertRaises(error) as caught:
            yield
        self.assertIn(text, str(caught.exception))

    def _promise(self, invoices, amount, on):
        with freeze_time(day(0)):
            return self.Promise.create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": invoices.ids,
                    "amount": amount,
                    "date": on,
                }
            )

    def _emails(self):
        return self._events(kind="email")

    def _call(self, outcome, on, **values):
        with freeze_time(on):
            action = self.customer.with_user(self.clerk).action_billing_log_call()
            wizard = (
                self.env[action["res_model"]]
                .with_user(self.clerk)
                .with_context(action["context"])
                .create({"outcome": outcome, **values})
            )
            wizard.action_log()

    def test_promise_kept_by_partial_payments(self):
        invoice = self._invoice(self.customer, 100.0, day(-30), day(-2))
        promise = self._promise(invoice, 100.0, day(5))
        self.assertEqual(self._events(kind="promise").key, f"promise:{promise.id}:open")
        self._run(day(0))
        self.assertFalse(self._emails(), "the promised invoice waits")
        self._pay(invoice, 60.0, day(3))
        self.assertEqual(self._run(day(4)).get("promises_kept", 0), 0)
        self.assertEqual(promise.state, "open", "60 of 100 paid: not kept yet")
        self._pay(invoice, 40.0, day(5))
        self.assertEqual(self._run(day(5))["promises_kept"], 1)
        self.assertEqual(promise.state, "kept")
        self.assertFalse(self._emails())

    def test_promise_broken_resumes_at_the_current_step(self):
        invoice = self._invoice(self.customer, 100.0, day(-30), day(-2))
        promise = self._promise(invoice, 80.0, day(3))
        self._run(day(0))
        self.assertFalse(self._emails(), "the promised invoice waits")
        self.assertEqual(self._run(day(5)).get("promises_broken", 0), 0)
        self.assertEqual(promise.state, "open", "within the 2 days of grace")
        counts = self._run(day(6))
        self.assertEqual(counts["promises_broken"], 1)
        self.assertEqual(promise.state, "broken")
        activity = self.customer.activity_ids.filtered(
            lambda a: a.summary == "Promise to pay broken"
        )
        self.assertEqual(len(activity), 1)
        latest = self._emails()
        self.assertEqual(latest.step_id, self.steps[7], "8 days late: the second step")
        self.assertEqual(latest.move_ids, invoice)
        self._run(day(7))
        self.assertEqual(len(self._events(kind="promise")), 2, "never retried")

    def test_bad_promises_are_refused(self):
        invoice = self._invoice(self.customer, 100.0, day(-30), day(-2))
        with self._refused(ValidationError, "in the past"):
            self._promise(invoice, 50.0, day(-1))
        with self._refused(ValidationError, "more than the"):
            self._promise(invoice, 150.0, day(5))
        self._promise(invoice, 50.0, day(5))
        with self._refused(ValidationError, "already covers"):
            self._promise(invoice, 20.0, day(6))

    def test_dispute_stops_one_invoice_and_resolving_resumes(self):
        disputed = self._invoice(self.customer, 100.0, day(-30), day(-2))
        other = self._invoice(self.customer, 50.0, day(-30), day(-1))
        with self.assertRaises(UserError):
            disputed.with_user(self.clerk)._billing_dispute(" ")
        disputed.with_user(self.clerk)._billing_dispute("Hours not agreed")
        self.assertTrue(disputed.billing_disputed)
        self.assertEqual(disputed.billing_dispute_reason, "Hours not agreed")
        self.assertEqual(len(disputed.activity_ids), 1)
        self._run(day(0))
        self.assertEqual(self._emails().move_ids, other, "the other one only")
        disputed.with_user(self.clerk)._billing_resolve_dispute("Credit note agreed")
        self._run(day(2))
        latest = self._emails()[-1]
        self.assertIn(disputed, latest.move_ids)
        self.assertEqual(len(self._events(kind="dispute")), 2)

    def test_customer_pause_ends_by_itself_with_the_current_step(self):
        self._invoice(self.customer, 100.0, day(-30), day(-2))
        with freeze_time(day(0)):
            action = self.customer.with_user(self.clerk).action_billing_pause()
            self.env[action["res_model"]].with_user(self.clerk).with_context(
                action["context"]
            ).create({"paused_until": day(10), "reason": "On holiday"}).action_apply()
        customer = self.customer.with_company(self.company)
        self.assertEqual(customer.billing_paused_until, day(10))
        self.assertEqual(self._run(day(0))["skipped_paused"], 1)
        row = self.env["billing.followup.worklist"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertIn("Waits: paused until", row.next_action)
        self.assertEqual(self._run(day(10))["skipped_paused"], 1)
        self.assertFalse(self._emails())
        self._run(day(11))
        self.assertEqual(self._emails().step_id, self.steps[7], "one step, no burst")
        self.assertEqual(len(self._events(kind="pause")), 1)

    def test_paused_invoice_waits_alone(self):
        paused = self._invoice(self.customer, 100.0, day(-30), day(-2))
        other = self._invoice(self.customer, 50.0, day(-30), day(-1))
        with freeze_time(day(0)):
            with self._refused(ValidationError, "Say why"):
                paused.billing_paused_until = day(4)
            paused.write(
                {
                    "billing_paused_until": day(4),
                    "billing_pause_reason": "Client checks the order",
                }
            )
        self._run(day(0))
        self.assertEqual(self._emails().move_ids, other)

    def test_bad_pauses_are_refused(self):
        customer = self.customer.with_company(self.company)
        with freeze_time(day(0)):
            with self._refused(ValidationError, "Say why"):
                customer.billing_paused_until = day(5)
            with self._refused(ValidationError, "today or later"):
                customer.write(
                    {"billing_paused_until": day(-1), "billing_pause_reason": "x"}
                )
            # an invoice's pause follows the same rule as its customer's
            invoice = self._invoice(self.customer, 100.0, day(-30), day(-2))
            with self._refused(ValidationError, "today or later"):
                invoice.write(
                    {"billing_paused_until": day(-1), "billing_pause_reason": "x"}
                )

    def test_completed_call_counts_for_the_interval(self):
        self._invoice(self.customer, 100.0, day(-30), day(-2))
        self._run(day(0))
        self._run(day(14))
        self._call("reached", day(18), note="Will check with the boss")
        activity = self._events(kind="activity").activity_id
        self.assertFalse(activity.active, "the call step's activity is done")
        self.assertEqual(len(self._events(kind="call")), 1, "logged once")
        self.assertEqual(self._run(day(19))["skipped_interval"], 1)
        self._run(day(20))
        self.assertEqual(self._emails()[-1].step_id, self.steps[21])

    def test_call_activity_done_counts_for_the_interval(self):
        self._invoice(self.customer, 100.0, day(-30), day(-2))
        for n in (0, 5, 12):
            self._run(day(n))
        activity = self._events(kind="activity").activity_id
        self.assertEqual(activity.activity_type_id.name, "Call")
        with freeze_time(day(18)):
            activity.action_feedback(feedback="Reached: pays next week")
        call = self._events(kind="call")
        self.assertEqual((call.date, call.state), (day(18), "done"))
        self.assertEqual(self._run(day(19))["skipped_interval"], 1)
        self._run(day(20))
        self.assertEqual(self._emails()[-1].step_id, self.steps[21])

    def test_unanswered_call_is_no_contact(self):
        self._invoice(self.customer, 100.0, day(-30), day(-2))
        self._run(day(0))
        self._call("no_answer", day(5))
        self.assertEqual(self._events(kind="call").state, "failed")
        self._run(day(5))
        self.assertEqual(self._emails()[-1].step_id, self.steps[7])

    def test_call_outcomes_create_the_records(self):
        invoice = self._invoice(self.customer, 100.0, day(-30), day(-2))
        self._call(
            "promised",
            day(0),
            move_ids=invoice.ids,
            promise_amount=100.0,
            promise_date=day(4),
        )
        self.assertEqual(self.customer.billing_promise_ids.date, day(4))
        self._call("disputed", day(1), move_ids=invoice.ids, note="Wrong rate")
        self.assertEqual(invoice.billing_dispute_reason, "Wrong rate")
        self._call("paid", day(2))
        customer = self.customer.with_company(self.company)
        self.assertEqual(customer.billing_paused_until, day(7))
        with self._refused(UserError, "Choose the invoices"):
            self._call("promised", day(2))

    def test_send_now_records_a_manual_touch(self):
        invoice = self._invoice(self.customer, 100.0, day(-30), day(-2))
        with freeze_time(day(0)):
            action = self.customer.with_user(self.clerk).action_billing_send_now()
            wizard = (
                self.env[action["res_model"]]
                .with_user(self.clerk)
                .with_context(action["context"])
                .create({})
            )
            self.assertEqual(wizard.step_id, self.steps[1])
            self.assertIn(invoice.name, wizard.body)
            wizard.subject = "About your invoice"
            wizard.action_send()
        touch = self._events(kind="manual")
        self.assertEqual(touch.note, "About your invoice")
        self.assertEqual(touch.date, day(0))
        self.assertEqual(self._run(day(1))["skipped_interval"], 1)
        self.assertFalse(self._events(state="to_review"), "the rendering left nothing")

    def test_manual_mode_proposes_and_never_sends(self):
        self._invoice(self.customer, 100.0, day(-30), day(-2))
        self.customer.with_company(self.company).billing_followup_manual = True
        self.assertEqual(self._run(day(0))["to_review"], 1)
        event = self._emails()
        self.assertEqual(event.state, "to_review")
        self.assertFalse(event.mail_id)

    def test_preview_shows_pause_and_promise(self):
        invoice = self._invoice(self.customer, 100.0, day(-30), day(-2))
        self._promise(invoice, 100.0, day(5))
        with freeze_time(day(0)):
            self.customer.with_company(self.company).write(
                {"billing_paused_until": day(3), "billing_pause_reason": "Holiday"}
            )
        text = self.customer.with_company(self.company).billing_hold_text
        self.assertIn("paused until", text)
        self.assertIn("promise due on", text)

    def test_run_preview_shows_why_a_customer_waits(self):
        self._invoice(self.customer, 100.0, day(-30), day(-2))
        with freeze_time(day(0)):
            self.customer.with_company(self.company).write(
                {"billing_paused_until": day(3), "billing_pause_reason": "Holiday"}
            )
            preview = self.env["billing.followup.run.preview"].create(
                {"date": day(0), "days": 10}
            )
            preview.action_compute()
        line = preview.line_ids.filtered(lambda ln: ln.partner_id == self.customer)[0]
        self.assertEqual(line.date, day(4), "the day after the pause")
        self.assertIn("paused until", line.waits)

    def test_other_company_promises_are_hidden(self):
        other = self.setup_other_company(name="Company B")["company"]
        invoice = self._invoice(
            self.customer, 100.0, day(-30), day(-2), company_id=other.id
        )
        with freeze_time(day(0)):
            foreign = self.env["billing.followup.promise"].create(
                {
                    "partner_id": self.customer.id,
                    "company_id": other.id,
                    "move_ids": invoice.ids,
                    "amount": 50.0,
                    "date": day(5),
                }
            )
        self.assertNotIn(foreign, self.Promise.search([]))
        with self.assertRaises(AccessError):
            foreign.with_user(self.clerk).read(["amount"])
